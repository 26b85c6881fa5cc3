package org.parley.server.storage;

import org.parley.server.common.DuplicateKeyException;
import org.parley.server.common.StorageException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.SessionToken;
import org.parley.server.conversations.Conversation;
import org.parley.server.conversations.Member;
import org.parley.server.messages.MessageStore.AppendResult;
import org.parley.server.messages.MessageStore.Draft;
import org.parley.server.messages.StoredMessage;

/**
 * The contract every storage adapter must pass, unchanged: H2 now, PostgreSQL later. A subclass only says how to
 * open its storage on a directory (and may ignore the directory when the data lives elsewhere, as long as
 * reopening finds the same data). The other {@code StorageContract*} classes hold the edge cases per store.
 */
public abstract class StorageContract extends StorageContractSupport {

    // ---- accounts

    @Test
    void accountsAreCreatedAndFoundByNameAndId() {
        Account ann = account("ann");
        assertThat(ann.id()).isPositive();
        assertThat(storage.accounts().findByName("ann")).contains(ann);
        assertThat(storage.accounts().findById(ann.id())).contains(ann);
        assertThat(storage.accounts().findByName("nobody")).isEmpty();
        assertThat(storage.accounts().findByIds(List.of(ann.id(), 999_999L))).containsOnlyKeys(ann.id());
    }

    @Test
    void aTakenNameIsADuplicateKey() {
        account("ann");
        assertThatThrownBy(() -> account("ann")).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void searchMatchesNameOrDisplayNameIgnoringCaseAndSkipsDisabled() {
        Account ann = account("ann");
        account("bob");
        Account hannah = storage.accounts().create("hannah", "Hannah Roy", "h", false, 1);
        Account anton = account("anton");
        storage.accounts().setDisabled(anton.id(), true);
        assertThat(storage.accounts().search("AN", 10)).extracting(Account::name).containsExactly("ann", "hannah");
        assertThat(storage.accounts().search("roy", 10)).containsExactly(hannah);
        assertThat(storage.accounts().search("%", 10)).isEmpty();
        assertThat(storage.accounts().search("n", 1)).containsExactly(ann);
    }

    @Test
    void disableAndAdminFlagsPersist() {
        Account ann = account("ann");
        storage.accounts().setDisabled(ann.id(), true);
        storage.accounts().setAdmin(ann.id(), true);
        reopen();
        Account again = storage.accounts().findById(ann.id()).orElseThrow();
        assertThat(again.disabled()).isTrue();
        assertThat(again.admin()).isTrue();
    }

    @Test
    void tokensLiveExtendAndDie() {
        Account ann = account("ann");
        byte[] hash = new byte[32];
        hash[0] = 7;
        storage.accounts().saveToken(new SessionToken(hash, ann.id(), "laptop", 10, 20));
        SessionToken found = storage.accounts().findToken(hash).orElseThrow();
        assertThat(found.accountId()).isEqualTo(ann.id());
        assertThat(found.device()).isEqualTo("laptop");
        storage.accounts().extendToken(hash, 99);
        assertThat(storage.accounts().findToken(hash).orElseThrow().expiresAt()).isEqualTo(99);
        storage.accounts().deleteToken(hash);
        assertThat(storage.accounts().findToken(hash)).isEmpty();

        byte[] other = new byte[32];
        other[1] = 1;
        storage.accounts().saveToken(new SessionToken(other, ann.id(), "phone", 10, 20));
        storage.accounts().deleteTokensOf(ann.id());
        assertThat(storage.accounts().findToken(other)).isEmpty();
    }

    // ---- contacts

    @Test
    void requestsAndSymmetricContacts() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        storage.contacts().addRequest(ann, bob, 1);
        storage.contacts().addRequest(ann, bob, 2); // again: no-op
        assertThat(storage.contacts().hasRequest(ann, bob)).isTrue();
        assertThat(storage.contacts().hasRequest(bob, ann)).isFalse();
        assertThat(storage.contacts().requestsTo(bob)).containsExactly(ann);
        assertThat(storage.contacts().requestsFrom(ann)).containsExactly(bob);

        storage.contacts().addContacts(bob, ann);
        assertThat(storage.contacts().areContacts(ann, bob)).isTrue();
        assertThat(storage.contacts().areContacts(bob, ann)).isTrue();
        assertThat(storage.contacts().requestsTo(bob)).isEmpty();
        assertThat(storage.contacts().contactsOf(ann)).containsExactly(bob);

        storage.contacts().removeContacts(ann, bob);
        assertThat(storage.contacts().contactsOf(ann)).isEmpty();
        assertThat(storage.contacts().contactsOf(bob)).isEmpty();
    }

    // ---- conversations

    @Test
    void aPairHasExactlyOneDirectConversation() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        Conversation first = storage.conversations().findOrCreateDirect(ann, bob, 1);
        Conversation second = storage.conversations().findOrCreateDirect(bob, ann, 2);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(first.kind()).isEqualTo(Conversations.Kind.DIRECT);
        assertThat(storage.conversations().members(first.id())).extracting(Member::accountId)
                .containsExactlyInAnyOrder(ann, bob);
    }

    @Test
    void twoThreadsOpeningTheSameDirectConversationGetOne() throws Exception {
        long ann = account("ann").id();
        long bob = account("bob").id();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Conversation>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long a = i % 2 == 0 ? ann : bob;
            long b = a == ann ? bob : ann;
            racers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return storage.conversations().findOrCreateDirect(a, b, 1);
            }));
        }
        start.countDown();
        Set<Long> ids = new java.util.HashSet<>();
        for (var f : racers) {
            ids.add(f.get().id());
        }
        assertThat(ids).hasSize(1);
    }

    @Test
    void groupsTheirMembersAndTitles() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        Conversation g = storage.conversations().createGroup("team", ann, List.of(bob, ann), 7);
        assertThat(g.kind()).isEqualTo(Conversations.Kind.GROUP);
        assertThat(storage.conversations().members(g.id())).extracting(Member::accountId).containsExactly(ann, bob);
        storage.conversations().addMembers(g.id(), List.of(cat, bob));
        assertThat(storage.conversations().isMember(g.id(), cat)).isTrue();
        storage.conversations().removeMember(g.id(), bob);
        assertThat(storage.conversations().isMember(g.id(), bob)).isFalse();
        storage.conversations().rename(g.id(), "release");
        assertThat(storage.conversations().find(g.id()).orElseThrow().title()).isEqualTo("release");
        assertThat(storage.conversations().conversationsOf(cat)).extracting(Conversation::id).containsExactly(g.id());
        assertThat(storage.conversations().members(List.of(g.id()))).containsOnlyKeys(g.id());
        assertThat(storage.conversations().find(123_456)).isEmpty();
    }

    @Test
    void marksNeverGoBackwards() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        storage.conversations().updateMarks(List.of(new Member(c, bob, 5, 3)));
        storage.conversations().updateMarks(List.of(new Member(c, bob, 4, 4)));
        Member m = storage.conversations().members(c).stream().filter(x -> x.accountId() == bob).findFirst()
                .orElseThrow();
        assertThat(m.deliveredUpTo()).isEqualTo(5);
        assertThat(m.readUpTo()).isEqualTo(4);
    }

    // ---- messages

    @Test
    void appendAssignsGapFreeSequencesPerConversation() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long cat = account("cat").id();
        long c1 = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        long c2 = storage.conversations().findOrCreateDirect(ann, cat, 1).id();
        List<AppendResult> r = storage.messages().append(List.of(text(c1, ann, "a1", "one"),
                text(c2, ann, "a2", "other"), text(c1, bob, "b1", "two"), text(c1, ann, "a3", "three")));
        assertThat(r).extracting(x -> x.message().seq()).containsExactly(1L, 1L, 2L, 3L);
        assertThat(r).noneMatch(AppendResult::duplicate);
        assertThat(storage.messages().append(List.of(text(c1, bob, "b2", "four"))).get(0).message().seq())
                .isEqualTo(4);
        assertThat(storage.messages().lastSeq(c1)).isEqualTo(4);
        assertThat(storage.conversations().find(c1).orElseThrow().lastSeq()).isEqualTo(4);
        assertThat(storage.messages().after(c1, 0, 10)).extracting(StoredMessage::text)
                .containsExactly("one", "two", "three", "four");
    }

    @Test
    void aResentClientIdIsADuplicateInTheDatabaseAndWithinOneBatch() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        storage.messages().append(List.of(text(c, ann, "x", "hello")));
        List<AppendResult> r = storage.messages().append(List.of(text(c, ann, "x", "hello again"),
                text(c, ann, "y", "new"), text(c, ann, "y", "new resent"), text(c, bob, "x", "bob's own x")));
        assertThat(r).extracting(AppendResult::duplicate).containsExactly(true, false, true, false);
        assertThat(r.get(0).message().seq()).isEqualTo(1);
        assertThat(r.get(0).message().text()).isEqualTo("hello");
        assertThat(r.get(2).message().seq()).isEqualTo(r.get(1).message().seq());
        assertThat(storage.messages().after(c, 0, 10)).hasSize(3);
    }

    @Test
    void systemMessagesWithoutClientIdAreNeverDuplicates() {
        long ann = account("ann").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        Draft system = new Draft(c, ann, "", Kind.SYSTEM, 1, "ann created the group", new byte[0]);
        List<AppendResult> r = storage.messages().append(List.of(system, system));
        assertThat(r).extracting(x -> x.message().seq()).containsExactly(1L, 2L);
        assertThat(storage.messages().after(c, 0, 10)).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(Kind.SYSTEM);
            assertThat(m.clientMessageId()).isEmpty();
        });
    }

    @Test
    void sendingMovesTheSendersMarks() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        storage.messages().append(List.of(text(c, ann, "1", "a"), text(c, ann, "2", "b")));
        Member annMark = storage.conversations().members(c).stream().filter(m -> m.accountId() == ann).findFirst()
                .orElseThrow();
        Member bobMark = storage.conversations().members(c).stream().filter(m -> m.accountId() == bob).findFirst()
                .orElseThrow();
        assertThat(annMark.readUpTo()).isEqualTo(2);
        assertThat(annMark.deliveredUpTo()).isEqualTo(2);
        assertThat(bobMark.readUpTo()).isZero();
    }

    @Test
    void attachmentsAndUnicodeRoundTrip() {
        long ann = account("ann").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        byte[] blob = {1, 2, 3};
        storage.messages().append(List.of(new Draft(c, ann, "f", Kind.FILE, 9, "pic ✓ 世界", blob)));
        StoredMessage m = storage.messages().after(c, 0, 1).get(0);
        assertThat(m.attachments()).containsExactly(1, 2, 3);
        assertThat(m.text()).isEqualTo("pic ✓ 世界");
        assertThat(m.kind()).isEqualTo(Kind.FILE);
        assertThat(m.timestamp()).isEqualTo(9);
    }

    @Test
    void pagingForwardAndBackwardAtTheEdges() {
        long ann = account("ann").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        List<Draft> drafts = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            drafts.add(text(c, ann, "m" + i, "m" + i));
        }
        storage.messages().append(drafts);
        assertThat(storage.messages().after(c, 7, 5)).extracting(StoredMessage::seq).containsExactly(8L, 9L, 10L);
        assertThat(storage.messages().after(c, 10, 5)).isEmpty();
        assertThat(storage.messages().before(c, 0, 3)).extracting(StoredMessage::seq).containsExactly(8L, 9L, 10L);
        assertThat(storage.messages().before(c, 8, 3)).extracting(StoredMessage::seq).containsExactly(5L, 6L, 7L);
        assertThat(storage.messages().before(c, 3, 5)).extracting(StoredMessage::seq).containsExactly(1L, 2L);
        assertThat(storage.messages().before(c, 1, 5)).isEmpty();
    }

    @Test
    void appendToAMissingConversationStoresNothing() {
        long ann = account("ann").id();
        long c = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        assertThatThrownBy(() -> storage.messages().append(List.of(text(c, ann, "ok", "ok"),
                text(987_654, ann, "bad", "bad")))).isInstanceOf(StorageException.class);
        assertThat(storage.messages().after(c, 0, 10)).isEmpty();
        assertThat(storage.messages().lastSeq(c)).isZero();
    }

    @Test
    void reopeningKeepsEverythingAndSequencesContinue() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        long c = storage.conversations().findOrCreateDirect(ann, bob, 1).id();
        storage.messages().append(List.of(text(c, ann, "1", "a"), text(c, bob, "2", "b")));
        reopen();
        assertThat(storage.accounts().findByName("bob")).isPresent();
        assertThat(storage.messages().append(List.of(text(c, ann, "3", "c"))).get(0).message().seq()).isEqualTo(3);
        assertThat(storage.messages().append(List.of(text(c, ann, "1", "a again"))).get(0).duplicate()).isTrue();
    }

    @Test
    void closingTwiceIsHarmlessAndKeepsTheData() {
        account("ann");
        storage.close();
        storage.close(); // shutdown paths may close twice (server stop, then a test's or the JVM's clean-up)
        storage = open(dir);
        assertThat(storage.accounts().findByName("ann")).isPresent();
    }
}
