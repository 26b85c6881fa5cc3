package org.parley.server.storage;

import org.parley.server.common.StorageException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.messages.StoredMessage;

/** Edge cases of the message store (the group-commit append and paging) that every adapter must pass unchanged. */
public abstract class StorageContractMessages extends StorageContractSupport {

    private static List<Long> seqs(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::seq).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void lastSeqsListsEveryConversationWithMessagesByIdWithItsLastSeq() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long empty = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        long a = storage.conversations().createGroup("a", ann, List.of(), 1).id();
        long b = storage.conversations().createGroup("b", ann, List.of(), 1).id();
        storage.messages().append(List.of(text(b, ann, "b1", "x"), text(a, ann, "a1", "y"), text(b, ann, "b2", "z")));
        assertThat(storage.messages().lastSeqs()).as("the empty conversation %d is left out", empty).containsExactly(
                new MessageStore.LastSeq(a, 1), new MessageStore.LastSeq(b, 2));
    }

    private static Draft edit(long conversation, long sender, String clientId, long target, String text) {
        return new Draft(conversation, sender, clientId, Kind.EDIT, 50, text, new byte[0], target, List.of());
    }

    private static Draft delete(long conversation, long sender, String clientId, long target) {
        return new Draft(conversation, sender, clientId, Kind.DELETE, 60, "", new byte[0], target, List.of());
    }

    @Test
    void anEditIsAnEntryOfItsOwnAndGivesItsTargetAndEarlierEditsTheNewText() {
        long ann = account("ann").id();
        long g = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        storage.messages().append(List.of(text(g, ann, "m1", "one"), text(g, ann, "m2", "two")));
        List<AppendResult> r = storage.messages().append(List.of(edit(g, ann, "e1", 1, "one!"),
                edit(g, ann, "e2", 1, "one!!")));
        assertThat(r).extracting(x -> x.message().seq()).containsExactly(3L, 4L);
        assertThat(r.get(0).message().targetSeq()).isEqualTo(1);
        StoredMessage target = storage.messages().message(g, 1).orElseThrow();
        assertThat(target.text()).isEqualTo("one!!");
        assertThat(target.editedAt()).isEqualTo(50);
        assertThat(target.deleted()).isFalse();
        assertThat(storage.messages().after(g, 0, 10)).extracting(StoredMessage::text)
                .containsExactly("one!!", "two", "one!!", "one!!");
        assertThat(storage.messages().message(g, 3).orElseThrow().kind()).isEqualTo(Kind.EDIT);
        assertThat(storage.messages().lastSeq(g)).isEqualTo(4);
        reopen();
        assertThat(storage.messages().message(g, 1).orElseThrow().text()).as("durable").isEqualTo("one!!");
    }

    @Test
    void aDeletionMakesItsTargetATombstoneBlanksItsEditsAndAnEditAfterItChangesNothing() {
        long ann = account("ann").id();
        long g = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        storage.messages().append(List.of(text(g, ann, "m1", "secret")));
        storage.messages().append(List.of(edit(g, ann, "e1", 1, "secret!")));
        List<AppendResult> r = storage.messages().append(List.of(delete(g, ann, "d1", 1),
                edit(g, ann, "e2", 1, "back again"), delete(g, ann, "d1", 1)));
        assertThat(r.get(0).message().kind()).isEqualTo(Kind.DELETE);
        assertThat(r.get(1).message().text()).as("an edit of a deleted message keeps no text").isEmpty();
        assertThat(r.get(2).duplicate()).as("a resent deletion, in the same batch").isTrue();
        StoredMessage tombstone = storage.messages().message(g, 1).orElseThrow();
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.text()).isEmpty();
        assertThat(tombstone.attachments()).isEmpty();
        assertThat(storage.messages().after(g, 0, 10)).extracting(StoredMessage::seq, StoredMessage::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, ""),
                        org.assertj.core.groups.Tuple.tuple(2L, ""), org.assertj.core.groups.Tuple.tuple(3L, ""),
                        org.assertj.core.groups.Tuple.tuple(4L, ""));
        assertThat(storage.messages().append(List.of(edit(g, ann, "e1", 1, "whatever"))).get(0).duplicate())
                .isTrue();
        assertThat(storage.messages().lastSeq(g)).isEqualTo(4);
    }

    @Test
    void changesAfterNameTheEditDeleteAndSystemEntriesAfterASeqAscendingInTheirConversationOnly() {
        long ann = account("ann").id();
        long g = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        long other = storage.conversations().createGroup("other", ann, List.of(), 1).id();
        storage.messages().append(List.of(text(g, ann, "m1", "one"), text(g, ann, "m2", "two"),
                edit(g, ann, "e1", 1, "one!"), text(g, ann, "m3", "three"), delete(g, ann, "d1", 2),
                text(other, ann, "o1", "x"), edit(other, ann, "oe1", 1, "x!")));
        storage.messages().append(List.of(edit(g, ann, "e2", 3, "three!"), text(g, ann, "m4", "four"),
                new Draft(g, ann, "", Kind.SYSTEM, 70, "ann renamed the group to “g2”", new byte[0])));
        // g: 1 one, 2 two (deleted), 3 EDIT of 1, 4 three, 5 DELETE of 2, 6 EDIT of 4, 7 four, 8 SYSTEM
        assertThat(storage.messages().changesAfter(g, 0)).containsExactly(3, 5, 6, 8);
        assertThat(storage.messages().changesAfter(g, 3)).containsExactly(5, 6, 8);
        assertThat(storage.messages().changesAfter(g, 8)).isEmpty();
        assertThat(storage.messages().changesAfter(other, 0)).containsExactly(2);
        assertThat(storage.messages().changesAfter(other + g + 100, 0)).as("no such conversation").isEmpty();
        // An edit of message 4 still rewrites only the EDIT entries of 4, not the SYSTEM line beside them.
        storage.messages().append(List.of(edit(g, ann, "e3", 4, "three!!")));
        assertThat(storage.messages().message(g, 8).orElseThrow().text()).isEqualTo("ann renamed the group to “g2”");
    }

    @Test
    void anEmptyBatchStoresNothing() {
        assertThat(storage.messages().append(List.of())).isEmpty();
    }

    @Test
    void oneLargeBatchOverSeveralConversationsIsGapFreeInEach() {
        long ann = account("ann").id();
        long[] cs = new long[3];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = storage.conversations().createGroup("g" + i, ann, List.of(), 1).id();
        }
        List<Draft> drafts = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            drafts.add(text(cs[i % 3], ann, "m" + i, "text " + i));
        }
        List<AppendResult> results = storage.messages().append(drafts);
        assertThat(results).hasSize(900).noneMatch(AppendResult::duplicate);
        for (int i = 0; i < results.size(); i++) {
            StoredMessage m = results.get(i).message();
            assertThat(m.conversationId()).isEqualTo(cs[i % 3]);
            assertThat(m.seq()).isEqualTo(i / 3 + 1);
            assertThat(m.clientMessageId()).isEqualTo("m" + i);
        }
        for (long c : cs) {
            assertThat(seqs(storage.messages().after(c, 0, 1000))).isEqualTo(range(1, 300));
            assertThat(storage.messages().lastSeq(c)).isEqualTo(300);
            assertThat(member(c, ann).readUpTo()).isEqualTo(300);
        }
    }

    @Test
    void concurrentAppendersToOneConversationGetDistinctGapFreeSeqs() throws Exception {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        int threads = 4;
        int batches = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> got = new ArrayList<>();
                    for (int b = 0; b < batches; b++) {
                        long sender = thread % 2 == 0 ? ann : bob;
                        for (AppendResult r : storage.messages().append(List.of(
                                text(c, sender, thread + "-" + b + "-a", "x"),
                                text(c, sender, thread + "-" + b + "-b", "y")))) {
                            got.add(r.message().seq());
                        }
                    }
                    return got;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            int total = threads * batches * 2;
            assertThat(all).hasSize(total).doesNotHaveDuplicates();
            assertThat(seqs(storage.messages().after(c, 0, total + 10))).isEqualTo(range(1, total));
            assertThat(storage.messages().lastSeq(c)).isEqualTo(total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentResendsOfOneClientIdStoreItOnceAndAnswerBoth() throws Exception {
        // A client that resends while its first send is still being written, or two writers (several servers on
        // one database): each batch must succeed, and exactly one copy is stored.
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        int rounds = 30;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        List<RuntimeException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<AppendResult>>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<AppendResult> got = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        together.await(30, TimeUnit.SECONDS);
                        try {
                            got.addAll(storage.messages().append(List.of(text(c, ann, "shared-" + round, "once"),
                                    text(c, bob, "own-" + thread + "-" + round, "x"))));
                        } catch (RuntimeException e) {
                            errors.add(e); // keep going, so that the other thread is not left at the barrier
                        }
                    }
                    return got;
                }));
            }
            List<List<AppendResult>> done = new ArrayList<>();
            for (Future<List<AppendResult>> f : futures) {
                done.add(f.get(60, TimeUnit.SECONDS));
            }
            if (!errors.isEmpty()) {
                throw new AssertionError(errors.size() + " concurrent appends failed", errors.get(0));
            }
            List<AppendResult> first = done.get(0);
            List<AppendResult> second = done.get(1);
            for (int round = 0; round < rounds; round++) {
                AppendResult a = first.get(2 * round);
                AppendResult b = second.get(2 * round);
                assertThat(a.duplicate() ^ b.duplicate()).as("round %d: exactly one stored", round).isTrue();
                assertThat(a.message().seq()).isEqualTo(b.message().seq());
            }
            int total = rounds * 3;
            assertThat(seqs(storage.messages().after(c, 0, total + 10))).isEqualTo(range(1, total));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void authorsNameTheSenderOfEachMessageInARangeOldestFirst() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long c = storage.conversations().createGroup("g", ann, List.of(bob, cat), 1).id();
        long other = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        storage.messages().append(List.of(text(c, ann, "1", "a"), text(c, bob, "2", "b"), text(other, cat, "x", "-"),
                text(c, bob, "3", "c"), text(c, cat, "4", "d")));
        assertThat(storage.messages().authors(c, 1, 3)).containsExactly(new MessageStore.Authorship(2, bob),
                new MessageStore.Authorship(3, bob));
        assertThat(storage.messages().authors(c, 0, 99)).extracting(MessageStore.Authorship::senderId)
                .containsExactly(ann, bob, bob, cat);
        assertThat(storage.messages().authors(c, 4, 9)).isEmpty();
        assertThat(storage.messages().authors(c, 3, 3)).isEmpty();
    }

    @Test
    void aDuplicateChangesNothing() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        StoredMessage first = storage.messages().append(List.of(text(c, ann, "x", "hello"))).get(0).message();
        storage.messages().append(List.of(text(c, bob, "y", "hi")));
        storage.conversations().updateMarks(List.of()); // no-op, keeps marks as the appends left them
        AppendResult again = storage.messages().append(List.of(text(c, ann, "x", "hello, edited"))).get(0);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.message()).usingRecursiveComparison().isEqualTo(first);
        assertThat(storage.messages().lastSeq(c)).isEqualTo(2);
        assertThat(member(c, ann).readUpTo()).isEqualTo(1);
        assertThat(storage.messages().after(c, 0, 10)).extracting(StoredMessage::text).containsExactly("hello", "hi");
    }

    @Test
    void aClientIdIsTheSendersAcrossConversations() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long withBob = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        long withCat = storage.conversations().findOrCreateDirect(ann, cat, 1).id();
        storage.messages().append(List.of(text(withBob, ann, "same", "to bob")));
        AppendResult r = storage.messages().append(List.of(text(withCat, ann, "same", "to cat"))).get(0);
        assertThat(r.duplicate()).isTrue();
        assertThat(r.message().conversationId()).isEqualTo(withBob);
        assertThat(storage.messages().lastSeq(withCat)).isZero();
        AppendResult catsOwn = storage.messages().append(List.of(text(withCat, cat, "same", "cat's"))).get(0);
        assertThat(catsOwn.duplicate()).isFalse();
        assertThat(catsOwn.message().seq()).isEqualTo(1);
        assertThat(storage.messages().clientIdUsed(ann, "same")).isTrue();
        assertThat(storage.messages().clientIdUsed(bob, "same")).isFalse();
        assertThat(storage.messages().clientIdUsed(ann, "other")).isFalse();
    }

    @Test
    void clientIdsOfAnyShapeAreStoredOnceAndAResendInABatchOfNewOnesIsAnsweredFromTheStore() {
        // Parley's client sends time-ordered ids (version 7 UUIDs); older clients and other implementations send
        // random UUIDs or any 1 to 64 characters: all are stored and deduplicated alike. A resend among new drafts
        // (the optimistic attempt refused by the unique index, then the checked one) keeps the batch gap-free.
        long ann = account("ann").id();
        long bob = account("bob").id();
        long withBob = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        long g = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
        String ordered = org.parley.protocol.ClientIds.next();
        String random = java.util.UUID.randomUUID().toString();
        String longest = "z".repeat(64);
        List<AppendResult> first = storage.messages().append(List.of(text(withBob, ann, ordered, "v7"),
                text(g, ann, random, "v4"), text(withBob, ann, "x", "short"), text(g, bob, longest, "long")));
        assertThat(first).noneMatch(AppendResult::duplicate);
        List<AppendResult> r = storage.messages().append(List.of(text(g, ann, org.parley.protocol.ClientIds.next(),
                "new 1"), text(withBob, ann, ordered, "v7 resent"), text(withBob, bob, java.util.UUID.randomUUID()
                        .toString(), "new 2"), text(g, bob, longest, "long resent"), text(withBob, ann, "y", "new 3")));
        assertThat(r).extracting(AppendResult::duplicate).containsExactly(false, true, false, true, false);
        assertThat(r.get(1).message().text()).isEqualTo("v7");
        assertThat(r.get(3).message().seq()).isEqualTo(first.get(3).message().seq());
        assertThat(seqs(storage.messages().after(withBob, 0, 10))).isEqualTo(range(1, 4));
        assertThat(seqs(storage.messages().after(g, 0, 10))).isEqualTo(range(1, 3));
        assertThat(storage.messages().lastSeq(withBob)).isEqualTo(4);
        assertThat(member(withBob, ann).readUpTo()).isEqualTo(4);
        assertThat(member(withBob, bob).readUpTo()).isEqualTo(3);
        for (String id : List.of(ordered, random, "x", "y")) {
            assertThat(storage.messages().clientIdUsed(ann, id)).as(id).isTrue();
        }
        assertThat(storage.messages().clientIdUsed(bob, longest)).isTrue();
    }

    @Test
    void aFailedBatchLeavesNoTraceSoItsDraftsCanBeSentAgain() {
        long ann = account("ann").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        storage.messages().append(List.of(text(c, ann, "before", "before")));
        assertThatThrownBy(() -> storage.messages().append(List.of(text(c, ann, "ok", "ok"),
                text(c, ann, "ok", "ok again"), text(-5, ann, "bad", "bad")))).isInstanceOf(StorageException.class);
        assertThat(storage.messages().lastSeq(c)).isEqualTo(1);
        assertThat(member(c, ann).readUpTo()).isEqualTo(1);
        AppendResult retry = storage.messages().append(List.of(text(c, ann, "ok", "ok"))).get(0);
        assertThat(retry.duplicate()).isFalse();
        assertThat(retry.message().seq()).isEqualTo(2);
    }

    @Test
    void systemDraftsMixWithDeduplicatedOnesInOneBatch() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
        Draft system = new Draft(c, ann, "", Kind.SYSTEM, 1, "ann added bob", new byte[0]);
        List<AppendResult> r = storage.messages().append(List.of(system, text(c, bob, "b", "hi"), system,
                text(c, bob, "b", "hi"), system));
        assertThat(r).extracting(AppendResult::duplicate).containsExactly(false, false, false, true, false);
        assertThat(r).extracting(x -> x.message().seq()).containsExactly(1L, 2L, 3L, 2L, 4L);
        reopen();
        assertThat(storage.messages().append(List.of(system)).get(0).message().seq()).isEqualTo(5);
    }

    @Test
    void aSenderInManyConversationsMovesOnlyItsOwnMarksInEach() {
        // The reconnect storm's shape: one sender, a member of many direct conversations, writes to each in one
        // batch (and again in a second batch); only the sender's row of each conversation moves, to that message.
        long ann = account("ann").id();
        int n = 300;
        long[] cs = new long[n];
        long[] others = new long[n];
        for (int i = 0; i < n; i++) {
            others[i] = account("u" + i).id();
            cs[i] = storage.conversations().findOrCreateDirect(ann, others[i], 1).id();
        }
        for (int round = 1; round <= 2; round++) {
            List<Draft> drafts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                drafts.add(text(cs[i], ann, "r" + round + "m" + i, "hello " + i));
            }
            assertThat(storage.messages().append(drafts)).noneMatch(AppendResult::duplicate);
        }
        for (int i = 0; i < n; i++) {
            assertThat(member(cs[i], ann)).extracting(m -> m.deliveredUpTo(), m -> m.readUpTo())
                    .containsExactly(2L, 2L);
            assertThat(member(cs[i], others[i])).extracting(m -> m.deliveredUpTo(), m -> m.readUpTo())
                    .containsExactly(0L, 0L);
        }
        assertThat(storage.conversations().conversationsOf(ann)).hasSize(n);
        reopen();
        assertThat(member(cs[n - 1], ann).readUpTo()).isEqualTo(2);
    }

    @Test
    void aNonMemberSenderDoesNotBecomeAMember() {
        long ann = account("ann").id();
        long server = account("server").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        storage.messages().append(List.of(new Draft(c, server, "", Kind.SYSTEM, 1, "notice", new byte[0])));
        assertThat(storage.conversations().isMember(c, server)).isFalse();
        assertThat(member(c, ann).readUpTo()).isZero();
        assertThat(storage.messages().lastSeq(c)).isEqualTo(1);
    }

    @Test
    void aReplyKeepsTheSeqItAnswersThroughEveryReadAndAResend() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().createGroup("g", ann, List.of(bob), 1).id();
        storage.messages().append(List.of(text(c, ann, "q", "a question")));
        List<AppendResult> stored = storage.messages().append(List.of(
                new Draft(c, bob, "r", Kind.TEXT, 2, "the answer", new byte[0], 1)));
        assertThat(stored.get(0).message().replyTo()).isEqualTo(1);
        reopen();
        assertThat(storage.messages().after(c, 0, 10)).extracting(StoredMessage::seq, StoredMessage::replyTo)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0L), org.assertj.core.groups.Tuple.tuple(
                        2L, 1L));
        assertThat(storage.messages().before(c, 0, 1)).extracting(StoredMessage::replyTo).containsExactly(1L);
        AppendResult resend = storage.messages().append(List.of(
                new Draft(c, bob, "r", Kind.TEXT, 3, "the answer", new byte[0], 1))).get(0);
        assertThat(resend.duplicate()).isTrue();
        assertThat(resend.message().replyTo()).isEqualTo(1);
        assertThat(storage.messages().lastSeq(c)).isEqualTo(2);
    }

    @Test
    void emptyAndLongTextsAndBinaryAttachmentsRoundTrip() {
        long ann = account("ann").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        String longText = "é∂😀".repeat(20_000);
        byte[] blob = new byte[64 * 1024];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }
        storage.messages().append(List.of(new Draft(c, ann, "f", Kind.FILE, 1, "", blob),
                new Draft(c, ann, "t", Kind.TEXT, 2, longText, new byte[0]),
                new Draft(c, ann, "m", Kind.MEDIA, 3, "clip", new byte[] {0})));
        reopen();
        List<StoredMessage> all = storage.messages().after(c, 0, 10);
        assertThat(all).extracting(StoredMessage::kind).containsExactly(Kind.FILE, Kind.TEXT, Kind.MEDIA);
        assertThat(all.get(0).text()).isEmpty();
        assertThat(all.get(0).attachments()).isEqualTo(blob);
        assertThat(all.get(1).text()).isEqualTo(longText);
        assertThat(all.get(1).attachments()).isEmpty();
        assertThat(all.get(2).attachments()).containsExactly(0);
        assertThat(all.get(2).senderId()).isEqualTo(ann);
    }

    @Test
    void pagingBeyondTheEndsAndInUnknownConversations() {
        long ann = account("ann").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        assertThat(storage.messages().before(c, 0, 10)).isEmpty();
        assertThat(storage.messages().after(c, 0, 10)).isEmpty();
        List<Draft> drafts = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            drafts.add(text(c, ann, "m" + i, "m" + i));
        }
        storage.messages().append(drafts);
        assertThat(seqs(storage.messages().after(c, 0, 100))).isEqualTo(range(1, 5));
        assertThat(seqs(storage.messages().after(c, 4, 1))).containsExactly(5L);
        assertThat(seqs(storage.messages().after(c, 99, 10))).isEmpty();
        assertThat(seqs(storage.messages().before(c, 0, 100))).isEqualTo(range(1, 5));
        assertThat(seqs(storage.messages().before(c, 99, 2))).containsExactly(4L, 5L);
        assertThat(seqs(storage.messages().before(c, 6, 1))).containsExactly(5L);
        assertThat(seqs(storage.messages().before(c, 2, 10))).containsExactly(1L);
        assertThat(storage.messages().after(777_777, 0, 10)).isEmpty();
        assertThat(storage.messages().before(777_777, 0, 10)).isEmpty();
        assertThat(storage.messages().lastSeq(777_777)).isZero();
    }

    @Test
    void walkingBackwardsPageByPageVisitsEveryMessageOnce() {
        long ann = account("ann").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        List<Draft> drafts = new ArrayList<>();
        for (int i = 1; i <= 23; i++) {
            drafts.add(text(c, ann, "m" + i, "m" + i));
        }
        storage.messages().append(drafts);
        List<Long> seen = new ArrayList<>();
        long before = 0;
        while (true) {
            List<StoredMessage> page = storage.messages().before(c, before, 5);
            if (page.isEmpty()) {
                break;
            }
            assertThat(page.size()).isLessThanOrEqualTo(5);
            seen.addAll(0, seqs(page));
            before = page.get(0).seq();
        }
        assertThat(seen).isEqualTo(range(1, 23));
    }
}
