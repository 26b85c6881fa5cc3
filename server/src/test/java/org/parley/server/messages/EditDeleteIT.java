package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Editing and deleting messages over real sockets (docs/protocol.md, "Editing and deleting messages"): who may,
 * what everyone sees live and after a resync, resends applied once, the time windows, version 1 clients, search.
 */
class EditDeleteIT {

    @RegisterExtension
    final ParleyServerExtension server = onStorage(new ParleyServerExtension().with("--max-message-bytes", "1000",
            "--requests-per-second", "100000", "--request-burst", "100000"));

    /** The storage the server runs on: H2 here; {@link EditDeleteOnPostgresqlIT} runs these tests on PostgreSQL. */
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension;
    }

    private TestConnection ann;
    private TestConnection bob;
    private TestConnection cat;
    private TestConnection dan;

    /** ann creates a group with bob and cat (ann is its admin); dan is not in it. Returns its id. */
    private long group() throws IOException {
        ann = server.register("ann");
        bob = server.register("bob");
        cat = server.register("cat");
        dan = server.register("dan");
        return ann.request(new Conversations.CreateGroup("team", List.of("bob", "cat")),
                Conversations.ConversationInfo.class).id();
    }

    private static Chat.Sent send(TestConnection c, long conversation, String id, String text) {
        return c.request(new Chat.Send(conversation, id, Kind.TEXT, text, List.of()), Chat.Sent.class);
    }

    private static List<Chat.ChatMessage> history(TestConnection c, long conversation) {
        return c.request(new Chat.FetchBefore(conversation, 0, 100), Chat.MessagePage.class).messages();
    }

    private static Chat.ChatMessage message(TestConnection c, long conversation, long seq) {
        return history(c, conversation).stream().filter(m -> m.seq() == seq).findFirst().orElseThrow();
    }

    /** The next NewMessage for {@code conversation} that is not a SYSTEM line. */
    private static Chat.ChatMessage next(TestConnection c, long conversation) {
        return c.awaitPush(Chat.NewMessage.class, n -> n.message().conversationId() == conversation
                && n.message().kind() != Kind.SYSTEM).message();
    }

    @Test
    void anEditIsASequencedEntryPushedToTheMembersAndTheMessageHoldsTheNewText() throws IOException {
        long g = group();
        Chat.Sent sent = send(ann, g, "m1", "lunch at noon");
        assertThat(next(bob, g).text()).isEqualTo("lunch at noon");

        Chat.Sent edited = ann.request(new Chat.Edit(g, sent.seq(), "e1", "lunch at one"), Chat.Sent.class);
        assertThat(edited.seq()).as("the edit has the next seq of its own").isEqualTo(sent.seq() + 1);
        assertThat(edited.duplicate()).isFalse();
        Chat.ChatMessage entry = next(bob, g);
        assertThat(entry.kind()).isEqualTo(Kind.EDIT);
        assertThat(entry.targetSeq()).isEqualTo(sent.seq());
        assertThat(entry.text()).isEqualTo("lunch at one");
        assertThat(entry.sender()).isEqualTo("ann");
        assertThat(entry.timestamp()).isEqualTo(edited.timestamp());

        Chat.ChatMessage now = message(cat, g, sent.seq());
        assertThat(now.text()).isEqualTo("lunch at one");
        assertThat(now.editedAt()).isEqualTo(edited.timestamp());
        assertThat(now.deleted()).isFalse();

        // A second edit: no earlier version stays readable, not even in the first edit's entry.
        ann.request(new Chat.Edit(g, sent.seq(), "e2", "lunch at two"), Chat.Sent.class);
        assertThat(history(cat, g).stream().filter(m -> m.seq() >= sent.seq()).map(Chat.ChatMessage::text))
                .containsExactly("lunch at two", "lunch at two", "lunch at two");
    }

    @Test
    void aDeletionLeavesATombstoneAndAnEntryAndTheSequenceStaysGapFree() throws IOException {
        long g = group();
        Chat.Sent sent = send(bob, g, "m1", "oops, wrong chat");
        bob.request(new Chat.Edit(g, sent.seq(), "e1", "oops, wrong chat!"), Chat.Sent.class);
        Chat.Sent deleted = bob.request(new Chat.Delete(g, sent.seq(), "d1"), Chat.Sent.class);
        Chat.ChatMessage entry = ann.awaitPush(Chat.NewMessage.class, n -> n.message().kind() == Kind.DELETE)
                .message();
        assertThat(entry.targetSeq()).isEqualTo(sent.seq());
        assertThat(entry.text()).isEmpty();

        List<Chat.ChatMessage> h = history(cat, g);
        assertThat(h).extracting(Chat.ChatMessage::seq).as("gap-free").containsExactly(1L, 2L, 3L, 4L);
        Chat.ChatMessage tombstone = h.get(1);
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.text()).isEmpty();
        assertThat(tombstone.attachments()).isEmpty();
        assertThat(h.get(2).kind()).isEqualTo(Kind.EDIT);
        assertThat(h.get(2).text()).as("the edit entry keeps no text of a deleted message").isEmpty();
        assertThat(h.get(3).seq()).isEqualTo(deleted.seq());

        assertThat(bob.error(new Chat.Edit(g, sent.seq(), "e2", "back")).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(bob.error(new Chat.Delete(g, sent.seq(), "d2")).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(history(cat, g)).hasSize(4);
    }

    @Test
    void anEditOrDeletionResentWithTheSameClientIdIsAppliedOnce() throws IOException {
        long g = group();
        Chat.Sent sent = send(ann, g, "m1", "first");
        Chat.Sent e1 = ann.request(new Chat.Edit(g, sent.seq(), "e1", "second"), Chat.Sent.class);
        Chat.Sent again = ann.request(new Chat.Edit(g, sent.seq(), "e1", "second"), Chat.Sent.class);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.seq()).isEqualTo(e1.seq());
        Chat.Sent d1 = ann.request(new Chat.Delete(g, sent.seq(), "d1"), Chat.Sent.class);
        Chat.Sent d1again = ann.request(new Chat.Delete(g, sent.seq(), "d1"), Chat.Sent.class);
        assertThat(d1again.duplicate()).isTrue();
        assertThat(d1again.seq()).isEqualTo(d1.seq());
        // A resend of the edit after the deletion is still only the answer to the first one.
        assertThat(ann.request(new Chat.Edit(g, sent.seq(), "e1", "second"), Chat.Sent.class).duplicate()).isTrue();
        assertThat(history(bob, g)).extracting(Chat.ChatMessage::kind)
                .containsExactly(Kind.SYSTEM, Kind.TEXT, Kind.EDIT, Kind.DELETE);
        // A client id already used for another message is a conflict, not a silent no-op.
        assertThat(ann.error(new Chat.Edit(g, sent.seq(), "m1", "x")).code()).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void editsAndDeletionsAreNotCountedAsUnread() throws IOException {
        long g = group();
        Chat.Sent first = send(ann, g, "m1", "lunch at noon");
        Chat.Sent second = send(ann, g, "m2", "in the kitchen");
        assertThat(unread(bob, g)).isEqualTo(2);

        ann.request(new Chat.Edit(g, first.seq(), "e1", "lunch at one"), Chat.Sent.class);
        ann.request(new Chat.Delete(g, second.seq(), "d1"), Chat.Sent.class);
        assertThat(unread(bob, g)).as("the two messages (one now a tombstone), not the edit and the deletion")
                .isEqualTo(2);

        bob.request(new Chat.MarkRead(g, second.seq()), Session.Ok.class);
        Chat.Sent edit = ann.request(new Chat.Edit(g, first.seq(), "e2", "lunch at two"), Chat.Sent.class);
        assertThat(unread(bob, g)).as("an edit after bob read everything is nothing new to read").isZero();
        send(ann, g, "m3", "see you");
        assertThat(unread(bob, g)).isEqualTo(1);

        // A group's change is announced to each member with their own count: cat read nothing.
        ann.request(new Conversations.Rename(g, "lunch"), Session.Ok.class);
        assertThat(bob.awaitPush(Conversations.ConversationUpdated.class, u -> u.conversation().id() == g
                && u.conversation().title().equals("lunch")).conversation().unread())
                .as("see you; not the SYSTEM line of the rename").isEqualTo(1);
        assertThat(cat.awaitPush(Conversations.ConversationUpdated.class, u -> u.conversation().id() == g
                && u.conversation().title().equals("lunch")).conversation().unread())
                .as("three messages; neither edit, the deletion nor the rename").isEqualTo(3);
        assertThat(unread(cat, g)).isEqualTo(3);
        assertThat(edit.seq()).isLessThan(unreadFromList(cat, g).lastSeq());
    }

    private static Conversations.ConversationInfo unreadFromList(TestConnection c, long conversation) {
        return c.request(new Conversations.ListConversations(), Conversations.ConversationList.class).conversations()
                .stream().filter(i -> i.id() == conversation).findFirst().orElseThrow();
    }

    private static long unread(TestConnection c, long conversation) {
        return unreadFromList(c, conversation).unread();
    }

    @Test
    void aNonMemberGetsTheSameAnswerAsForAConversationThatDoesNotExistAndNothingChanges() throws IOException {
        long g = group();
        Chat.Sent sent = send(ann, g, "m1", "members only");
        List<Chat.ChatMessage> before = history(ann, g);
        for (long id : List.of(g, 999_999L)) {
            for (Message m : List.of(new Chat.Edit(id, sent.seq(), "x1", "mine now"),
                    new Chat.Delete(id, sent.seq(), "x2"))) {
                assertThat(dan.error(m).code()).as(m.toString()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
            }
        }
        assertThat(history(ann, g)).isEqualTo(before);
    }

    @Test
    void onlyTheSenderEditsAndOnlyTheSenderOrAGroupAdminDeletes() throws IOException {
        long g = group();
        Chat.Sent annMessage = send(ann, g, "m1", "from ann");
        Chat.Sent bobMessage = send(bob, g, "m2", "from bob");
        Chat.Sent catMessage = send(cat, g, "m3", "from cat");
        List<Chat.ChatMessage> before = history(ann, g);
        for (Message m : List.of(new Chat.Edit(g, annMessage.seq(), "x1", "bob was here"),
                new Chat.Delete(g, annMessage.seq(), "x2"), new Chat.Delete(g, catMessage.seq(), "x3"))) {
            Session.ErrorReply e = bob.error(m);
            assertThat(e.code()).as(m.toString()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.message()).as(m.toString()).contains("only its sender");
        }
        assertThat(ann.error(new Chat.Edit(g, bobMessage.seq(), "x4", "ann was here")).code())
                .as("an admin does not edit others' words").isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(history(ann, g)).isEqualTo(before);

        ann.request(new Chat.Delete(g, bobMessage.seq(), "d1"), Chat.Sent.class);
        assertThat(message(cat, g, bobMessage.seq()).deleted()).as("a group admin deletes others' messages")
                .isTrue();

        // In a 1:1 conversation nobody is an admin: the other one may not delete.
        long direct = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        Chat.Sent hi = send(ann, direct, "m4", "hi");
        assertThat(bob.error(new Chat.Delete(direct, hi.seq(), "x5")).code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void badRequestsGetAClearErrorAndChangeNothing() throws IOException {
        long g = group();
        Chat.Sent sent = send(ann, g, "m1", "hello");
        List<Chat.ChatMessage> before = history(ann, g);
        record Case(Message request, ErrorCode code, String says) {
        }
        for (Case c : List.of(new Case(new Chat.Edit(g, sent.seq(), "x1", "  "), ErrorCode.INVALID_ARGUMENT,
                "needs text"), new Case(new Chat.Edit(g, sent.seq(), "x2", "y".repeat(1001)), ErrorCode.TOO_LARGE,
                        "1001 bytes"), new Case(new Chat.Edit(g, sent.seq(), "", "z"), ErrorCode.INVALID_ARGUMENT,
                                "client message id"), new Case(new Chat.Edit(g, 0, "x3", "z"),
                                        ErrorCode.INVALID_ARGUMENT, "seq"), new Case(new Chat.Edit(g, 99, "x4", "z"),
                                                ErrorCode.INVALID_ARGUMENT, "no message 99"),
                new Case(new Chat.Edit(g, 1, "x5", "z"), ErrorCode.INVALID_ARGUMENT, "SYSTEM"),
                new Case(new Chat.Delete(g, 1, "x6"), ErrorCode.INVALID_ARGUMENT, "SYSTEM"),
                new Case(new Chat.Delete(g, 0, "x7"), ErrorCode.INVALID_ARGUMENT, "seq"),
                new Case(new Chat.Send(g, "x8", Kind.EDIT, "z", List.of()), ErrorCode.INVALID_ARGUMENT, "Edit"))) {
            Session.ErrorReply e = ann.error(c.request());
            assertThat(e.code()).as(c.request().toString()).isEqualTo(c.code());
            assertThat(e.message()).as(c.request().toString()).contains(c.says());
        }
        assertThat(history(ann, g)).isEqualTo(before);
        Chat.Sent edit = ann.request(new Chat.Edit(g, sent.seq(), "e1", "hello!"), Chat.Sent.class);
        assertThat(ann.error(new Chat.Edit(g, edit.seq(), "x9", "z")).message()).contains("EDIT");
    }

    @Test
    void aClientThatWasOfflineGetsTheEditsAndDeletionsWithFetchAfter() throws IOException {
        long g = group();
        Chat.Sent one = send(ann, g, "m1", "one");
        Chat.Sent two = send(ann, g, "m2", "two");
        long seen = two.seq();
        bob.close();

        ann.request(new Chat.Edit(g, one.seq(), "e1", "one, edited"), Chat.Sent.class);
        ann.request(new Chat.Delete(g, two.seq(), "d1"), Chat.Sent.class);

        TestConnection bobAgain = server.login("bob");
        Conversations.ConversationInfo info = bobAgain.request(new Conversations.ListConversations(),
                Conversations.ConversationList.class).conversations().get(0);
        assertThat(info.lastSeq()).isEqualTo(seen + 2);
        List<Chat.ChatMessage> missed = bobAgain.request(new Chat.FetchAfter(g, seen, 100), Chat.MessagePage.class)
                .messages();
        assertThat(missed).extracting(Chat.ChatMessage::kind, Chat.ChatMessage::targetSeq, Chat.ChatMessage::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.EDIT, one.seq(), "one, edited"),
                        org.assertj.core.groups.Tuple.tuple(Kind.DELETE, two.seq(), ""));
    }

    @Test
    void aVersion1ClientGetsSystemLinesInsteadOfEntriesAndTombstones() throws IOException {
        long g = group();
        TestConnection oldBob = server.login("bob", 1);
        Chat.Sent one = send(ann, g, "m1", "one");
        ann.request(new Chat.Edit(g, one.seq(), "e1", "one, edited"), Chat.Sent.class);
        assertThat(oldBob.awaitPush(Chat.NewMessage.class, n -> n.message().text().contains("edited a message"))
                .message().kind()).isEqualTo(Kind.SYSTEM);
        ann.request(new Chat.Delete(g, one.seq(), "d1"), Chat.Sent.class);
        assertThat(history(oldBob, g)).extracting(Chat.ChatMessage::kind, Chat.ChatMessage::text).endsWith(
                org.assertj.core.groups.Tuple.tuple(Kind.SYSTEM, "This message was deleted."),
                org.assertj.core.groups.Tuple.tuple(Kind.SYSTEM, "ann edited a message"),
                org.assertj.core.groups.Tuple.tuple(Kind.SYSTEM, "ann deleted a message"));
        // A version 1 client may edit and delete too (it just does not see the entries as such).
        Chat.Sent two = send(oldBob, g, "m2", "two");
        oldBob.request(new Chat.Edit(g, two.seq(), "e2", "two!"), Chat.Sent.class);
        assertThat(message(ann, g, two.seq()).text()).isEqualTo("two!");
    }

    @Test
    void searchFindsTheEditedTextAndNotTheOldOneAndNothingOfADeletedMessage() throws IOException {
        long g = group();
        Chat.Sent one = send(ann, g, "m1", "zebra crossing");
        Chat.Sent two = send(ann, g, "m2", "giraffe neck");
        ann.request(new Chat.Edit(g, one.seq(), "e1", "pelican crossing"), Chat.Sent.class);
        ann.request(new Chat.Delete(g, two.seq(), "d1"), Chat.Sent.class);
        assertThat(found(bob, "pelican")).containsExactly(one.seq());
        assertThat(found(bob, "zebra")).isEmpty();
        assertThat(found(bob, "giraffe")).isEmpty();
        assertThat(found(bob, "crossing")).containsExactly(one.seq());
    }

    /** The seqs found for {@code query}, once the index holds everything stored. */
    static List<Long> found(TestConnection c, String query) {
        Search.SearchResults r;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            r = c.request(new Search.SearchMessages(query, 0, "", 100), Search.SearchResults.class);
            if (r.complete() || System.nanoTime() > deadline) {
                break;
            }
            // The index is catching up: ask again in a while (searches are costly requests, at most 10 a second).
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(r.complete()).isTrue();
        return r.hits().stream().map(h -> h.message().seq()).toList();
    }

    @Test
    void aFloodOfEditsAndDeletionsIsRateLimitedLikeSendAndAppliedAtMostOnceEach() throws Exception {
        server.restartWith("--requests-per-second", "1", "--request-burst", "20");
        long g = group();
        Chat.Sent sent = send(ann, g, "m1", "flood target");
        List<java.util.concurrent.CompletableFuture<Message>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            answers.add(ann.callAsync(i % 2 == 0 ? new Chat.Edit(g, sent.seq(), "e" + i, "edit " + i)
                    : new Chat.Delete(g, 999, "d" + i)));
        }
        long limited = answers.stream().map(java.util.concurrent.CompletableFuture::join)
                .filter(m -> m instanceof Session.ErrorReply e && e.code() == ErrorCode.RATE_LIMITED).count();
        long applied = answers.stream().map(java.util.concurrent.CompletableFuture::join)
                .filter(m -> m instanceof Chat.Sent).count();
        assertThat(limited).isGreaterThanOrEqualTo(30);
        assertThat(history(bob, g).stream().filter(m -> m.kind() == Kind.EDIT).count()).isEqualTo(applied);
    }

    @Test
    void theSendersWindowsAreServerSettingsAndAnAdminDeletesAfterThem() throws Exception {
        server.restartWith("--edit-window-seconds", "1", "--delete-window-seconds", "1");
        long g = group();
        Chat.Sent annMessage = send(ann, g, "m1", "soon old");
        Chat.Sent bobMessage = send(bob, g, "m2", "soon old too");
        Thread.sleep(1500);
        Session.ErrorReply e = ann.error(new Chat.Edit(g, annMessage.seq(), "e1", "too late"));
        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(e.message()).contains("within 1 seconds");
        assertThat(bob.error(new Chat.Delete(g, bobMessage.seq(), "d1")).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(message(cat, g, annMessage.seq()).text()).isEqualTo("soon old");
        ann.request(new Chat.Delete(g, bobMessage.seq(), "d2"), Chat.Sent.class);
        assertThat(message(cat, g, bobMessage.seq()).deleted()).as("the admin's moderation has no window")
                .isTrue();
    }
}
