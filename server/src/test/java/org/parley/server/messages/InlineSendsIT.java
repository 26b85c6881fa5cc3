package org.parley.server.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.RawPeer;
import org.parley.server.testing.TestConnection;

/**
 * A {@code Send} whose checks are all in memory is handled on its connection's I/O thread, without a request
 * worker, while nothing that connection sent before it is with the workers (docs/architecture.md, "Threads"). These
 * tests pipeline sends among requests the workers handle (edits, replies, whose checks read storage), and right after
 * a restart (the members not cached yet: the first send loads them on a worker), all written to the socket at once:
 * every one is stored once, in the order sent, and pushed in that order. The same checks refuse the same sends.
 */
class InlineSendsIT {

    private static final int ROUNDS = 300;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "100000",
            "--request-burst", "100000");

    @Test
    void sendsPipelinedAmongRequestsTheWorkersHandleAreStoredInTheOrderSent() throws Exception {
        TestConnection bob = server.register("bob");
        server.register("ann").close();
        try (RawPeer ann = loggedIn("ann")) {
            long chat = call(ann, new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
            Chat.Sent first = call(ann, new Chat.Send(chat, "m0", Kind.TEXT, "first", List.of()), Chat.Sent.class);
            // Every third an edit and every third a reply (both checked on a worker, reading storage), the rest plain
            // sends (handled on the I/O thread when nothing is with the workers), in one write to the socket.
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                Message m = switch (i % 3) {
                    case 0 -> new Chat.Edit(chat, first.seq(), "e" + i, "edit " + i);
                    case 1 -> new Chat.Send(chat, "r" + i, Kind.TEXT, "reply " + i, List.of(), first.seq());
                    default -> new Chat.Send(chat, "p" + i, Kind.TEXT, "plain " + i, List.of());
                };
                frames.add(new Frame(100 + i, m));
            }
            Map<Integer, Message> answers = pipeline(ann, frames);
            for (int i = 0; i < ROUNDS; i++) {
                assertThat(answers.get(100 + i)).as("answer to request %d", i).isInstanceOfSatisfying(Chat.Sent.class,
                        s -> assertThat(s.duplicate()).isFalse());
            }
            for (int i = 0; i < ROUNDS; i++) {
                assertThat(((Chat.Sent) answers.get(100 + i)).seq()).as("stored in the order sent")
                        .isEqualTo(first.seq() + 1 + i);
            }
            awaitInOrder(bob, first.seq(), 1);
            awaitInOrder(bob, first.seq() + 1, ROUNDS);
        }
    }

    @Test
    void aBurstRightAfterARestartIsStoredOnceInOrderAndAResendOfItIsAnsweredFromTheStore() throws Exception {
        server.register("ann").close();
        TestConnection bob = server.register("bob");
        long chat = bob.request(new Conversations.OpenDirect("ann"), Conversations.ConversationInfo.class).id();
        bob.close();
        server.restart(); // no conversation's members in memory: the first send of the burst loads them on a worker
        bob = server.login("bob");
        try (RawPeer ann = loggedIn("ann")) {
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                frames.add(new Frame(100 + i, new Chat.Send(chat, "b" + i, Kind.TEXT, "burst " + i, List.of())));
            }
            Map<Integer, Message> answers = pipeline(ann, frames);
            long base = ((Chat.Sent) answers.get(100)).seq();
            for (int i = 0; i < ROUNDS; i++) {
                Chat.Sent s = (Chat.Sent) answers.get(100 + i);
                assertThat(s.seq()).as("stored in the order sent").isEqualTo(base + i);
                assertThat(s.duplicate()).isFalse();
            }
            awaitInOrder(bob, base, ROUNDS);
            // The same client ids again (a client's resend after a lost connection): the first answers, nothing new.
            Map<Integer, Message> again = pipeline(ann, frames);
            for (int i = 0; i < ROUNDS; i++) {
                Chat.Sent s = (Chat.Sent) again.get(100 + i);
                assertThat(s.seq()).isEqualTo(base + i);
                assertThat(s.duplicate()).isTrue();
            }
            Chat.MessagePage page = bob.request(new Chat.FetchAfter(chat, base - 1, 500), Chat.MessagePage.class);
            assertThat(page.messages()).hasSize(ROUNDS);
            assertThat(page.more()).isFalse();
            assertThat(bob.drainPushes(Chat.NewMessage.class)).as("a resend is not pushed again").isEmpty();
        }
    }

    @Test
    void sendsToAConversationWhoseMembersAreInMemoryAreRefusedByTheSameChecks() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection carl = server.register("carl");
        long chat = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        long seq = ann.request(new Chat.Send(chat, "a1", Kind.TEXT, "hi", List.of()), Chat.Sent.class).seq();
        // Its members are in memory now: these are checked on the I/O thread.
        assertThat(carl.error(new Chat.Send(chat, "c1", Kind.TEXT, "let me in", List.of())).code())
                .isEqualTo(ErrorCode.UNKNOWN_CONVERSATION);
        assertThat(ann.error(new Chat.Send(chat, "a2", Kind.TEXT, "  ", List.of())).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Chat.Send(chat, "a3", Kind.TEXT, "x".repeat(70_000), List.of())).code())
                .isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(ann.error(new Chat.Send(chat, "", Kind.TEXT, "no id", List.of())).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(ann.error(new Chat.Send(chat, "a4", Kind.SYSTEM, "I am the server", List.of())).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        // The connections go on, and only the one good message was stored.
        assertThat(ann.request(new Chat.Send(chat, "a5", Kind.TEXT, "still here", List.of()), Chat.Sent.class).seq())
                .isEqualTo(seq + 1);
        assertThat(carl.request(new Session.Ping(7), Session.Pong.class).nonce()).isEqualTo(7);
        List<Chat.ChatMessage> stored = bob.request(new Chat.FetchAfter(chat, 0, 100), Chat.MessagePage.class)
                .messages();
        assertThat(stored).extracting(Chat.ChatMessage::text).containsExactly("hi", "still here");
    }

    /** A connection of {@code user}, logged in, that reads only what the test reads. */
    private RawPeer loggedIn(String user) throws Exception {
        RawPeer peer = RawPeer.connect(server.port());
        peer.send(new Frame(1, new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t")),
                new Frame(2, new Accounts.Login(user, "password-" + user, "t")));
        assertThat(peer.read().message()).isInstanceOf(Session.Welcome.class);
        assertThat(peer.read().message()).isInstanceOf(Accounts.LoggedIn.class);
        return peer;
    }

    private int nextId = 10;

    private <T extends Message> T call(RawPeer peer, Message request, Class<T> type) throws Exception {
        int id = nextId++;
        return type.cast(pipeline(peer, List.of(new Frame(id, request))).get(id));
    }

    /** Writes the frames in one go and reads until each has its answer (pushes are skipped): answers by request id. */
    private static Map<Integer, Message> pipeline(RawPeer peer, List<Frame> frames) throws Exception {
        assertThat(peer.send(frames.toArray(Frame[]::new))).isTrue();
        Map<Integer, Message> answers = new HashMap<>();
        while (answers.size() < frames.size()) {
            Frame f = peer.read();
            if (f.requestId() != 0) {
                answers.put(f.requestId(), f.message());
            }
        }
        return answers;
    }

    /** {@code count} pushes of new entries from seq {@code from} on, in order, each once. */
    private static void awaitInOrder(TestConnection c, long from, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(c.awaitPush(Chat.NewMessage.class).message().seq()).as("pushed in order, once")
                    .isEqualTo(from + i);
        }
    }
}
