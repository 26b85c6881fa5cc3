package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.server.conversations.Receipts;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** 1:1 and group delivery, offline delivery, idempotency, ordering, restart, errors: over real sockets. */
class MessagingIT {

    @RegisterExtension
    final ParleyServerExtension server = onStorage(new ParleyServerExtension().with("--max-message-bytes", "1000",
            "--requests-per-second", "100000", "--request-burst", "100000"));

    /** The storage the server runs on: H2 here; {@link MessagingOnPostgresqlIT} runs these tests on PostgreSQL. */
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension;
    }

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    private static Chat.Sent send(TestConnection c, long conversation, String id, String text) {
        return c.request(new Chat.Send(conversation, id, Kind.TEXT, text, List.of()), Chat.Sent.class);
    }

    @Test
    void aDirectMessageReachesTheRecipientAndTheSendersOtherDevicesOnly() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection annPhone = server.login("ann");
        long c = direct(ann, "bob");
        assertThat(direct(bob, "ann")).as("one conversation per pair").isEqualTo(c);

        Chat.Sent sent = send(ann, c, "m1", "hi Bob");
        assertThat(sent.seq()).isEqualTo(1);
        assertThat(sent.duplicate()).isFalse();

        Chat.ChatMessage got = bob.awaitPush(Chat.NewMessage.class).message();
        assertThat(got.sender()).isEqualTo("ann");
        assertThat(got.text()).isEqualTo("hi Bob");
        assertThat(got.seq()).isEqualTo(1);
        assertThat(got.timestamp()).isEqualTo(sent.timestamp());
        assertThat(annPhone.awaitPush(Chat.NewMessage.class).message().clientMessageId()).isEqualTo("m1");
        ann.request(new Session.Ping(1), Session.Pong.class);
        assertThat(ann.drainPushes(Chat.NewMessage.class)).as("not echoed to the sending connection").isEmpty();
    }

    @Test
    void aGroupMessageReachesEveryMemberWithSystemMessagesInHistory() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection cat = server.register("cat");
        Conversations.ConversationInfo g = ann.request(new Conversations.CreateGroup("team", List.of("bob")),
                Conversations.ConversationInfo.class);
        assertThat(g.members()).extracting(Conversations.Member::user).containsExactlyInAnyOrder("ann", "bob");
        assertThat(bob.awaitPush(Conversations.ConversationUpdated.class).conversation().title()).isEqualTo("team");
        ann.request(new Conversations.AddMembers(g.id(), List.of("cat")), Session.Ok.class);
        cat.awaitPush(Conversations.ConversationUpdated.class, u -> u.conversation().id() == g.id());

        send(bob, g.id(), "b1", "hello team");
        assertThat(cat.awaitPush(Chat.NewMessage.class, m -> m.message().kind() == Kind.TEXT).message().text())
                .isEqualTo("hello team");
        assertThat(ann.awaitPush(Chat.NewMessage.class, m -> m.message().kind() == Kind.TEXT).message().sender())
                .isEqualTo("bob");

        List<Chat.ChatMessage> history = cat.request(new Chat.FetchAfter(g.id(), 0, 50), Chat.MessagePage.class)
                .messages();
        assertThat(history).extracting(Chat.ChatMessage::kind).containsExactly(Kind.SYSTEM, Kind.SYSTEM, Kind.TEXT);
        assertThat(history.get(1).text()).isEqualTo("ann added cat");
        assertThat(history).extracting(Chat.ChatMessage::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void whoWasOfflineGetsEverythingOnTheNextLogin() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob").close();
        long c = direct(ann, "bob");
        for (int i = 1; i <= 5; i++) {
            send(ann, c, "m" + i, "message " + i);
        }
        TestConnection bob = server.login("bob");
        Conversations.ConversationInfo info = bob.request(new Conversations.ListConversations(),
                Conversations.ConversationList.class).conversations().get(0);
        assertThat(info.lastSeq()).isEqualTo(5);
        assertThat(info.unread()).isEqualTo(5);
        assertThat(info.title()).isEqualTo("ann");
        Chat.MessagePage page = bob.request(new Chat.FetchAfter(c, 0, 3), Chat.MessagePage.class);
        assertThat(page.messages()).extracting(Chat.ChatMessage::text).containsExactly("message 1", "message 2",
                "message 3");
        assertThat(page.more()).isTrue();
        page = bob.request(new Chat.FetchAfter(c, 3, 3), Chat.MessagePage.class);
        assertThat(page.messages()).extracting(Chat.ChatMessage::seq).containsExactly(4L, 5L);
        assertThat(page.more()).isFalse();
    }

    @Test
    void aResendIsStoredAndDeliveredOnce() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        Chat.Sent first = send(ann, c, "same-id", "once");
        Chat.Sent again = send(ann, c, "same-id", "once");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.seq()).isEqualTo(first.seq());
        send(ann, c, "next", "two");
        List<String> got = new ArrayList<>();
        while (!got.contains("two")) {
            got.add(bob.awaitPush(Chat.NewMessage.class).message().text());
        }
        assertThat(got).containsExactly("once", "two");
        assertThat(bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages()).hasSize(2);
    }

    @Test
    void concurrentSendersGetGapFreeSequencesAndEveryoneSeesThemInOrder() throws Exception {
        int senders = 4;
        int each = 150;
        TestConnection reader = server.register("reader");
        List<TestConnection> writers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            writers.add(server.register("w" + i));
            names.add("w" + i);
        }
        long g = reader.request(new Conversations.CreateGroup("load", names), Conversations.ConversationInfo.class)
                .id();
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            TestConnection w = writers.get(i);
            int n = i;
            runs.add(CompletableFuture.runAsync(() -> {
                for (int k = 0; k < each; k++) {
                    send(w, g, n + "-" + k, "w" + n + " #" + k);
                }
            }));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get();

        long expectedLast = 1 + senders * each; // the SYSTEM "created" message is seq 1
        long previous = 1;
        while (previous < expectedLast) {
            long seq = reader.awaitPush(Chat.NewMessage.class, m -> m.message().kind() == Kind.TEXT).message().seq();
            assertThat(seq).as("strictly increasing, no gap, no duplicate").isEqualTo(previous + 1);
            previous = seq;
        }
        List<Chat.ChatMessage> all = new ArrayList<>();
        long after = 0;
        Chat.MessagePage page;
        do {
            page = reader.request(new Chat.FetchAfter(g, after, 500), Chat.MessagePage.class);
            all.addAll(page.messages());
            after = all.get(all.size() - 1).seq();
        } while (page.more());
        assertThat(all).hasSize((int) expectedLast);
        for (int w = 0; w < senders; w++) {
            String prefix = "w" + w + " #";
            List<Integer> order = all.stream().filter(m -> m.text().startsWith(prefix))
                    .map(m -> Integer.parseInt(m.text().substring(prefix.length()))).toList();
            assertThat(order).as("each sender's messages keep their order").isSorted().hasSize(each);
        }
    }

    @Test
    void aRestartKeepsHistoryAndSequencesContinue() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        send(ann, c, "a", "before restart");
        server.restart();
        TestConnection again = server.login("ann");
        assertThat(send(again, c, "b", "after restart").seq()).isEqualTo(2);
        assertThat(send(again, c, "a", "before restart").duplicate()).isTrue();
        assertThat(again.request(new Chat.FetchBefore(c, 0, 10), Chat.MessagePage.class).messages())
                .extracting(Chat.ChatMessage::text).containsExactly("before restart", "after restart");
    }

    @Test
    void historyPagesBackwards() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        for (int i = 1; i <= 7; i++) {
            send(ann, c, "m" + i, "m" + i);
        }
        Chat.MessagePage newest = ann.request(new Chat.FetchBefore(c, 0, 3), Chat.MessagePage.class);
        assertThat(newest.messages()).extracting(Chat.ChatMessage::seq).containsExactly(5L, 6L, 7L);
        assertThat(newest.more()).isTrue();
        Chat.MessagePage oldest = ann.request(new Chat.FetchBefore(c, 3, 3), Chat.MessagePage.class);
        assertThat(oldest.messages()).extracting(Chat.ChatMessage::seq).containsExactly(1L, 2L);
        assertThat(oldest.more()).isFalse();
    }

    @Test
    void theLineThatLetAMemberInAndTheHistoryBeforeItAreNotUnreadForThem() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection cat = server.register("cat");
        long g = ann.request(new Conversations.CreateGroup("team", List.of("bob")),
                Conversations.ConversationInfo.class).id();
        assertThat(bob.awaitPush(Conversations.ConversationUpdated.class).conversation().unread())
                .as("'ann created the group' is not unread for bob").isZero();
        send(ann, g, "a1", "one");
        send(ann, g, "a2", "two");
        assertThat(unread(bob, g)).isEqualTo(2);

        ann.request(new Conversations.AddMembers(g, List.of("cat")), Session.Ok.class);
        assertThat(cat.awaitPush(Conversations.ConversationUpdated.class, u -> u.conversation().id() == g)
                .conversation().unread()).as("neither the history before cat joined nor 'ann added cat'").isZero();
        assertThat(unread(cat, g)).isZero();
        assertThat(unread(bob, g)).as("'ann added cat' is no message to read for bob either").isEqualTo(2);
        send(ann, g, "a3", "welcome cat");
        assertThat(unread(cat, g)).isEqualTo(1);
    }

    /**
     * One rule for unread counts, the server's as the client's: SYSTEM lines and the user's own messages are not
     * unread, in the list, in the pushes and after a restart.
     */
    @Test
    void systemLinesAndOwnMessagesAreNotUnreadAlsoAfterARestart() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        server.register("cat").close();
        long g = ann.request(new Conversations.CreateGroup("team", List.of("bob")),
                Conversations.ConversationInfo.class).id();
        send(ann, g, "a1", "one");
        ann.request(new Conversations.Rename(g, "team 2"), Session.Ok.class);
        ann.request(new Conversations.AddMembers(g, List.of("cat")), Session.Ok.class);
        ann.request(new Conversations.SetRole(g, "bob", Conversations.Role.ADMIN), Session.Ok.class);
        send(bob, g, "b1", "from bob's phone"); // bob's own: his read mark moves to it
        send(ann, g, "a2", "two");
        assertThat(bob.awaitPush(Conversations.ConversationUpdated.class, u -> u.conversation().id() == g
                && u.conversation().title().equals("team 2")).conversation().unread())
                .as("the rename's push: 'one' only").isEqualTo(1);
        assertThat(unread(bob, g)).as("after his own message: 'two' only").isEqualTo(1);
        assertThat(unread(ann, g)).isZero();
        bob.close();
        server.restart();
        assertThat(unread(server.login("bob"), g)).as("after a restart, the same").isEqualTo(1);
    }

    private static long unread(TestConnection c, long conversation) {
        return c.request(new Conversations.ListConversations(), Conversations.ConversationList.class).conversations()
                .stream().filter(i -> i.id() == conversation).findFirst().orElseThrow().unread();
    }

    @Test
    void historyPagesOutsideTheirLimitsAreRefusedAndThePagesStayOldestFirst() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        for (int i = 1; i <= 3; i++) {
            send(ann, c, "m" + i, "message " + i);
        }
        for (int limit : new int[] {0, -1, Integer.MIN_VALUE, MessageService.MAX_PAGE + 1}) {
            Session.ErrorReply after = ann.error(new Chat.FetchAfter(c, 0, limit));
            assertThat(after.code()).as("FetchAfter limit " + limit).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(after.message()).contains("1 to " + MessageService.MAX_PAGE);
            assertThat(ann.error(new Chat.FetchBefore(c, 0, limit)).code()).as("FetchBefore limit " + limit)
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(ann.error(new Chat.FetchAfter(c, -1, 10)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Chat.FetchBefore(c, -5, 10)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);

        assertThat(ann.request(new Chat.FetchAfter(c, 0, MessageService.MAX_PAGE), Chat.MessagePage.class)
                .messages()).extracting(Chat.ChatMessage::seq).containsExactly(1L, 2L, 3L);
        Chat.MessagePage newest = ann.request(new Chat.FetchBefore(c, 0, 1), Chat.MessagePage.class);
        assertThat(newest.messages()).extracting(Chat.ChatMessage::seq).containsExactly(3L);
        assertThat(newest.more()).isTrue();
    }

    @Test
    void badSendsAreRefusedAndStoreNothing() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection eve = server.register("eve");
        long c = direct(ann, "bob");
        // A non-member gets the same answer for a conversation that exists as for one that does not.
        Session.ErrorReply notHers = eve.error(new Chat.Send(c, "x", Kind.TEXT, "let me in", List.of()));
        Session.ErrorReply none = eve.error(new Chat.Send(c + 1000, "x", Kind.TEXT, "let me in", List.of()));
        assertThat(notHers.code()).isEqualTo(none.code()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(notHers.message().replace(String.valueOf(c), "N"))
                .isEqualTo(none.message().replace(String.valueOf(c + 1000), "N"));
        assertThat(eve.error(new Chat.FetchAfter(c, 0, 10)).code())
                .isEqualTo(eve.error(new Chat.FetchAfter(c + 1000, 0, 10)).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(eve.error(new Chat.Typing(c, true)).code()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(eve.error(new Conversations.Rename(c, "mine")).code())
                .isEqualTo(eve.error(new Conversations.Rename(c + 1000, "mine")).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(ann.error(new Chat.Send(999_999, "x", Kind.TEXT, "void", List.of())).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(ann.error(new Chat.Send(c, "x", Kind.TEXT, "é".repeat(501), List.of())).code())
                .isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(ann.error(new Chat.Send(c, "x", Kind.TEXT, "  ", List.of())).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Chat.Send(c, "", Kind.TEXT, "no id", List.of())).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Chat.Send(c, "s", Kind.SYSTEM, "forged", List.of())).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Conversations.OpenDirect("nobody")).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
        assertThat(ann.error(new Conversations.Rename(c, "x")).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages()).isEmpty();
    }

    @Test
    void receiptsMoveMarksAndUnreadCounts() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        send(ann, c, "1", "one");
        send(ann, c, "2", "two");
        send(ann, c, "3", "three");
        bob.tell(new Chat.MarkDelivered(c, 3));
        bob.request(new Chat.MarkRead(c, 2), Session.Ok.class);
        Chat.ReceiptChanged receipt = ann.awaitPush(Chat.ReceiptChanged.class,
                r -> r.user().equals("bob") && r.readUpTo() == 2);
        assertThat(receipt.deliveredUpTo()).isEqualTo(3);
        Conversations.ConversationInfo forBob = bob.request(new Conversations.ListConversations(),
                Conversations.ConversationList.class).conversations().get(0);
        assertThat(forBob.unread()).isEqualTo(1);
        bob.request(new Chat.MarkRead(c, 99), Session.Ok.class); // past the end: capped
        forBob = bob.request(new Conversations.ListConversations(), Conversations.ConversationList.class)
                .conversations().get(0);
        assertThat(forBob.unread()).isZero();
        assertThat(forBob.members()).filteredOn(m -> m.user().equals("bob")).singleElement()
                .satisfies(m -> assertThat(m.readUpTo()).isEqualTo(3));
    }

    @Test
    void inALargeGroupAMarkIsToldToItsOwnerAndToTheSendersOfTheMessagesItPasses() throws IOException {
        // In a group of n, telling everyone about everyone's marks costs n² pushes; only senders show marks.
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection dan = server.register("dan");
        List<String> others = new ArrayList<>(List.of("bob", "dan"));
        List<TestConnection> quiet = new ArrayList<>();
        for (int i = 0; others.size() < Receipts.TELL_EVERYONE_UP_TO; i++) {
            quiet.add(server.register("q" + i));
            others.add("q" + i);
        }
        long g = ann.request(new Conversations.CreateGroup("large", others), Conversations.ConversationInfo.class)
                .id();
        long fromAnn = send(ann, g, "a1", "from ann").seq();
        long fromBob = send(bob, g, "b1", "from bob").seq();

        dan.tell(new Chat.MarkDelivered(g, fromAnn));
        dan.awaitPush(Chat.ReceiptChanged.class, r -> r.user().equals("dan") && r.deliveredUpTo() == fromAnn);
        ann.awaitPush(Chat.ReceiptChanged.class, r -> r.user().equals("dan") && r.deliveredUpTo() == fromAnn);
        dan.request(new Chat.MarkRead(g, fromBob), Session.Ok.class);
        Chat.ReceiptChanged toAnn = ann.awaitPush(Chat.ReceiptChanged.class,
                r -> r.user().equals("dan") && r.readUpTo() == fromBob);
        assertThat(toAnn.deliveredUpTo()).isEqualTo(fromBob);
        List<Chat.ReceiptChanged> seenByBob = new ArrayList<>();
        bob.awaitPush(Chat.ReceiptChanged.class, r -> seenByBob.add(r) && r.readUpTo() == fromBob);
        assertThat(seenByBob).as("bob wrote nothing the first move passed").filteredOn(r -> r.user().equals("dan"))
                .singleElement().satisfies(r -> assertThat(r.readUpTo()).isEqualTo(fromBob));

        // A later flush is the barrier: pushes of earlier flushes reach a connection before its own.
        TestConnection q = quiet.get(0);
        q.request(new Chat.MarkRead(g, fromBob), Session.Ok.class);
        List<Chat.ReceiptChanged> seenByQ = new ArrayList<>();
        q.awaitPush(Chat.ReceiptChanged.class, r -> seenByQ.add(r) && r.user().equals("q0"));
        assertThat(seenByQ).as("q0 wrote nothing").noneMatch(r -> r.user().equals("dan"));
    }

    @Test
    void inASmallGroupEveryMemberHearsOfEveryMark() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection cat = server.register("cat");
        TestConnection dan = server.register("dan");
        long g = ann.request(new Conversations.CreateGroup("small", List.of("cat", "dan")),
                Conversations.ConversationInfo.class).id();
        long seq = send(ann, g, "a1", "from ann").seq();
        dan.request(new Chat.MarkRead(g, seq), Session.Ok.class);
        // dan's marks at the SYSTEM message that let him in (joinedAt) may be flushed and told first, on their own
        // receipts tick: wait for the move to seq.
        assertThat(cat.awaitPush(Chat.ReceiptChanged.class, r -> r.user().equals("dan") && r.readUpTo() == seq)
                .deliveredUpTo()).isEqualTo(seq);
    }

    @Test
    void typingGoesToTheOtherMembersOnly() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        ann.tell(new Chat.Typing(c, true));
        Chat.TypingChanged t = bob.awaitPush(Chat.TypingChanged.class);
        assertThat(t.user()).isEqualTo("ann");
        assertThat(t.typing()).isTrue();
        ann.request(new Session.Ping(1), Session.Pong.class);
        assertThat(ann.drainPushes(Chat.TypingChanged.class)).isEmpty();
    }

    /**
     * Issue 15: typing is forwarded only as far as it changes what the others show. A "stopped" without a "typing"
     * before it is not forwarded, and a client flipping typing on and off in a loop reaches the others a few times
     * per interval, not once per request (each push goes to every member of the conversation).
     */
    @Test
    void typingReachesTheOthersOnlyWhenItChangesWhatTheyShow() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        for (int i = 0; i < 3; i++) {
            ann.request(new Chat.Typing(c, false), Session.Ok.class);
        }
        ann.request(new Chat.Typing(c, true), Session.Ok.class);
        assertThat(bob.awaitPush(Chat.TypingChanged.class).typing()).as("the stops before were not forwarded").isTrue();
        ann.request(new Chat.Typing(c, false), Session.Ok.class);
        assertThat(bob.awaitPush(Chat.TypingChanged.class).typing()).as("a stop after a start is").isFalse();

        for (int i = 0; i < 40; i++) {
            ann.request(new Chat.Typing(c, i % 2 == 0), Session.Ok.class);
        }
        send(ann, c, "after-flipping", "done typing");
        bob.awaitPush(Chat.NewMessage.class); // pushed after every TypingChanged above
        assertThat(bob.drainPushes(Chat.TypingChanged.class)).as("at most 4 starts and their stops per 2 s")
                .hasSizeLessThanOrEqualTo(2 * 2 * 4);
    }

    /**
     * typing-interval-ms: a sender who says "typing" again once the interval is over is forwarded again (with the
     * default of 2 s the second "typing" below would be coalesced and bob would hear nothing more).
     */
    @Test
    void aSenderStillTypingIsForwardedAgainAfterTheTypingInterval() throws Exception {
        server.restartWith("--typing-interval-ms", "200");
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        ann.request(new Chat.Typing(c, true), Session.Ok.class);
        assertThat(bob.awaitPush(Chat.TypingChanged.class).typing()).isTrue();
        Thread.sleep(300); // the interval waited out
        ann.request(new Chat.Typing(c, true), Session.Ok.class);
        assertThat(bob.awaitPush(Chat.TypingChanged.class).typing()).as("forwarded again").isTrue();
    }

    @Test
    void leavingAGroupStopsDelivery() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long g = ann.request(new Conversations.CreateGroup("g", List.of("bob")), Conversations.ConversationInfo.class)
                .id();
        bob.request(new Conversations.Leave(g), Session.Ok.class);
        assertThat(bob.awaitPush(Conversations.ConversationRemoved.class).conversationId()).isEqualTo(g);
        send(ann, g, "after", "after bob left");
        assertThat(bob.error(new Chat.FetchAfter(g, 0, 10)).code()).isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(ann.request(new Chat.FetchAfter(g, 0, 10), Chat.MessagePage.class).messages())
                .extracting(Chat.ChatMessage::text).contains("bob left", "after bob left");
    }

    /**
     * A member list longer than a group may be is refused before any name is looked up (a full frame holds some
     * 200,000 names), even when it names few users: the same name 5,001 times is not one member.
     */
    @Test
    void aMemberListLongerThanAGroupIsRefusedBeforeItsNamesAreLookedUp() throws IOException {
        TestConnection ann = server.register("ann");
        server.register("bob");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add("bob");
        }
        Conversations.ConversationInfo g = ann.request(new Conversations.CreateGroup("g", many.subList(0, 4999)),
                Conversations.ConversationInfo.class);
        many.add("bob");
        Session.ErrorReply refused = ann.error(new Conversations.CreateGroup("too many", many));
        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(refused.message()).contains("5000 members", "5001 names");
        assertThat(ann.error(new Conversations.AddMembers(g.id(), many)).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.request(new Conversations.AddMembers(g.id(), many.subList(0, 5000)), Session.Ok.class))
                .isNotNull();
    }
}
