package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Protocol;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.LogCapture;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.RawPeer;
import org.parley.server.testing.TestConnection;

/** Handshake, framing errors and limits, over real sockets. */
class WireIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--requests-per-second", "20",
            "--request-burst", "40");

    private TestConnection raw() throws IOException {
        return TestConnection.open("127.0.0.1", server.port(), false);
    }

    @Test
    void helloIsAnsweredWithTheChosenVersionAndTheLimits() throws IOException {
        try (TestConnection c = raw()) {
            Session.Welcome w = c.request(new Session.Hello(1, 7, "t"), Session.Welcome.class);
            assertThat(w.version()).isEqualTo(Protocol.MAX_VERSION);
            assertThat(w.maxFrameBytes()).isEqualTo(1 << 20);
            assertThat(w.maxMessageBytes()).isEqualTo(65536);
        }
    }

    @Test
    void noCommonVersionIsRefusedAndClosed() throws IOException {
        try (TestConnection c = raw()) {
            assertThat(c.error(new Session.Hello(Protocol.MAX_VERSION + 1,
                    Protocol.MAX_VERSION + 2, "future")).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            c.awaitClosed();
        }
    }

    @Test
    void theFirstFrameMustBeHello() throws IOException {
        try (TestConnection c = raw()) {
            assertThat(c.error(new Accounts.Login("ann", "x", "")).code()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            c.awaitClosed();
        }
    }

    @Test
    void requestsBeforeLoginAreRefused() throws IOException {
        TestConnection c = server.connect();
        assertThat(c.error(new Contacts.ListContacts()).code()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        assertThat(c.request(new Session.Ping(5), Session.Pong.class).nonce()).isEqualTo(5);
    }

    @Test
    void aGarbageBodyGetsMalformedFrameAndTheConnectionGoesOn() throws IOException {
        TestConnection c = server.register("ann");
        // SearchUsers (0x0201), request id 9, a string that claims 100 bytes but has 2.
        c.sendRaw(new byte[] {0, 0, 0, 9, 0x02, 0x01, 0, 0, 0, 9, 100, 'a', 'b'});
        Session.ErrorReply e = c.awaitPush(Session.ErrorReply.class);
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(c.request(new Session.Ping(1), Session.Pong.class).nonce()).isEqualTo(1);
    }

    @Test
    void anUnknownTypeGetsAnErrorAndTheConnectionGoesOn() throws IOException {
        TestConnection c = server.register("ann");
        c.sendRaw(new byte[] {0, 0, 0, 8, 0x7E, 0x01, 0, 0, 0, 3, 1, 2});
        assertThat(c.awaitPush(Session.ErrorReply.class).code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
        assertThat(c.request(new Session.Ping(2), Session.Pong.class).nonce()).isEqualTo(2);
    }

    @Test
    void aPushTypeSentAsARequestIsRefused() throws IOException {
        TestConnection c = server.register("ann");
        assertThat(c.error(new Contacts.ContactRemoved("bob")).code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
    }

    @Test
    void anOversizeLengthClosesThatConnectionOnlyAndStoresNothing() throws IOException {
        TestConnection victim = server.register("ann");
        TestConnection other = server.register("bob");
        byte[] junk = new byte[20_000];
        junk[0] = 0x10;
        try (LogCapture log = new LogCapture()) {
            victim.sendRaw(junk);
            Session.ErrorReply e = victim.awaitPush(Session.ErrorReply.class);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME_LENGTH);
            // The length, not a hex dump of the bytes received.
            assertThat(e.message()).contains("268435456").doesNotContain("Hexdump").hasSizeLessThan(200);
            victim.awaitClosed();
            assertThat(log.events()).filteredOn(ev -> ev.getFormattedMessage().contains("bad frame length"))
                    .singleElement().satisfies(ev -> assertThat(ev.getKeyValuePairs().toString())
                            .contains("268435456").doesNotContain("Hexdump").hasSizeLessThan(300));
        }
        assertThat(other.request(new Session.Ping(3), Session.Pong.class).nonce()).isEqualTo(3);
        assertThat(server.login("ann").request(new Contacts.ListContacts(), Contacts.ContactList.class).contacts())
                .isEmpty();
    }

    @Test
    void aFloodIsRateLimitedWithoutClosing() throws IOException {
        TestConnection c = server.register("ann");
        int limited = 0;
        for (int i = 0; i < 200; i++) {
            if (c.call(new Session.Ping(i)) instanceof Session.ErrorReply e) {
                assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                limited++;
            }
        }
        assertThat(limited).isPositive();
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    void aFloodOfSendsIsRateLimitedLikeAnyRequestAndWhatWasTakenIsStoredOnce() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long chat = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        long first = ann.request(new Chat.Send(chat, "m0", Chat.Kind.TEXT, "first", List.of()), Chat.Sent.class).seq();
        // The conversation's members are in memory now: its sends are handled on the I/O thread, and take from the
        // same per-connection budget as on a worker.
        List<java.util.concurrent.CompletableFuture<Message>> flood = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            flood.add(ann.callAsync(new Chat.Send(chat, "f" + i, Chat.Kind.TEXT, "flood " + i, List.of())));
        }
        List<String> taken = new ArrayList<>();
        int limited = 0;
        for (int i = 0; i < flood.size(); i++) {
            Message m = flood.get(i).get(15, java.util.concurrent.TimeUnit.SECONDS);
            if (m instanceof Session.ErrorReply e) {
                assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                limited++;
            } else {
                assertThat(m).isInstanceOf(Chat.Sent.class);
                taken.add("flood " + i);
            }
        }
        assertThat(limited).isPositive();
        assertThat(taken).isNotEmpty();
        assertThat(ann.isClosed()).isFalse();
        List<String> stored = new ArrayList<>();
        Chat.MessagePage page = bob.request(new Chat.FetchAfter(chat, first, 500), Chat.MessagePage.class);
        for (Chat.ChatMessage m : page.messages()) {
            stored.add(m.text());
        }
        assertThat(stored).as("each send taken stored once, in order; none refused stored").isEqualTo(taken);
    }

    @Test
    void loginTwiceOnOneConnectionIsAConflict() throws IOException {
        TestConnection c = server.register("ann");
        assertThat(c.error(new Accounts.Login("ann", "password-ann", "")).code()).isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void aClientThatHangsUpMidFrameDoesNotHurtTheServer() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(new byte[] {0, 0, 0, 50, 0, 1, 0});
        }
        TestConnection c = server.register("ann");
        c.send(new Frame(77, new Session.Ping(9)));
        assertThat(c.request(new Session.Ping(4), Session.Pong.class).nonce()).isEqualTo(4);
    }

    /** Hello, Login, then three requests in one write: every reply comes, in the order of the requests. */
    @Test
    void requestsPipelinedBehindALoginWaitForItAndRunInOrder() throws IOException {
        server.register("ann").close();
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.send(new Frame(1, new Session.Hello(1, 1, "raw")),
                    new Frame(2, new Accounts.Login("ann", "password-ann", "raw")),
                    new Frame(3, new Conversations.ListConversations()), new Frame(4, new Session.Ping(4)),
                    new Frame(5, new Contacts.SearchUsers("ann", 10)));
            List<Frame> replies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                replies.add(peer.read());
            }
            assertThat(replies).extracting(Frame::requestId).containsExactly(1, 2, 3, 4, 5);
            assertThat(replies).extracting(f -> (Object) f.message().getClass()).containsExactly(Session.Welcome.class,
                    Accounts.LoggedIn.class, Conversations.ConversationList.class, Session.Pong.class,
                    Contacts.UserList.class);
        }
    }

    /** Only so many frames wait behind a login (16 by default): more are refused at once, the rest run in order. */
    @Test
    void tooManyFramesBehindALoginAreRefused() throws IOException {
        server.register("ann").close();
        // A few wrong passwords from elsewhere space out ann's next password checks (LoginThrottle), so that her
        // login below is still waiting when every frame behind it has arrived, however fast the machine.
        try (TestConnection guesser = server.connectFrom("127.0.0.2")) {
            for (int i = 0; i < 4; i++) {
                assertThat(guesser.error(new Accounts.Login("ann", "wrong-" + i, "guess")).code())
                        .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            }
        }
        try (RawPeer peer = RawPeer.connect(server.port())) {
            List<Frame> frames = new ArrayList<>(List.of(new Frame(1, new Session.Hello(1, 1, "raw")),
                    new Frame(2, new Accounts.Login("ann", "password-ann", "raw"))));
            for (int i = 3; i < 3 + 20; i++) {
                frames.add(new Frame(i, new Session.Ping(i)));
            }
            peer.send(frames.toArray(Frame[]::new));
            List<Frame> replies = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                replies.add(peer.read());
            }
            assertThat(replies).filteredOn(f -> f.message() instanceof Session.ErrorReply e
                    && e.code() == ErrorCode.RATE_LIMITED).extracting(Frame::requestId)
                    .containsExactlyInAnyOrder(19, 20, 21, 22);
            assertThat(replies).filteredOn(f -> f.message() instanceof Session.Pong).extracting(Frame::requestId)
                    .containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
            assertThat(replies).filteredOn(f -> f.message() instanceof Accounts.LoggedIn).hasSize(1);
        }
    }

    /** A refused login answers first, and what came behind it is then refused in order. */
    @Test
    void requestsPipelinedBehindAFailedLoginAreRefusedAfterIt() throws IOException {
        server.register("ann").close();
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.send(new Frame(1, new Session.Hello(1, 1, "raw")),
                    new Frame(2, new Accounts.Login("ann", "wrong-password", "raw")),
                    new Frame(3, new Conversations.ListConversations()), new Frame(4, new Session.Ping(4)));
            assertThat(peer.read().requestId()).isEqualTo(1);
            Frame login = peer.read();
            assertThat(login.requestId()).isEqualTo(2);
            assertThat(((Session.ErrorReply) login.message()).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            Frame list = peer.read();
            assertThat(list.requestId()).isEqualTo(3);
            assertThat(((Session.ErrorReply) list.message()).code()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
            assertThat(peer.read().message()).isEqualTo(new Session.Pong(4));
        }
    }

    /** Login and Logout in one write: the Logout runs after the login, so the session ends and its token dies. */
    @Test
    void aLogoutPipelinedBehindItsLoginLogsOut() throws IOException {
        server.register("ann").close();
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.send(new Frame(1, new Session.Hello(1, 1, "raw")),
                    new Frame(2, new Accounts.Login("ann", "password-ann", "raw")), new Frame(3, new Accounts.Logout()));
            assertThat(peer.read().requestId()).isEqualTo(1);
            Frame loggedIn = peer.read();
            assertThat(loggedIn.message()).isInstanceOf(Accounts.LoggedIn.class);
            assertThat(peer.read()).isEqualTo(new Frame(3, new Session.Ok()));
            assertThat(peer.awaitClosed()).isTrue();
            String token = ((Accounts.LoggedIn) loggedIn.message()).token();
            TestConnection again = server.connect();
            assertThat(again.error(new Accounts.Resume(token, "raw")).code())
                    .isEqualTo(ErrorCode.INVALID_TOKEN);
        }
    }

    /** The protocol document's own Ping example has request id 0: it is answered with a Pong of id 0. */
    @Test
    void aPingWithRequestIdZeroGetsAPong() throws IOException {
        TestConnection before = server.connect();
        before.tell(new Session.Ping(77));
        assertThat(before.awaitPush(Session.Pong.class).nonce()).isEqualTo(77);
        TestConnection after = server.register("ann");
        after.tell(new Session.Ping(78));
        assertThat(after.awaitPush(Session.Pong.class).nonce()).isEqualTo(78);
    }

    @Test
    void aFirstFrameOfAnUnknownTypeGetsHandshakeRequiredAndIsClosed() throws IOException {
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.write(new byte[] {0, 0, 0, 8, 0x7E, 0x01, 0, 0, 0, 3, 1, 2});
            Frame reply = peer.read();
            assertThat(reply.requestId()).isEqualTo(3);
            assertThat(((Session.ErrorReply) reply.message()).code()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            assertThat(peer.awaitClosed()).isTrue();
        }
    }

    @Test
    void aMalformedHelloGetsHandshakeRequiredAndIsClosed() throws IOException {
        try (RawPeer peer = RawPeer.connect(server.port())) {
            // Hello (0x0001), request id 1, a body of one byte instead of two ints and a string.
            peer.write(new byte[] {0, 0, 0, 7, 0x00, 0x01, 0, 0, 0, 1, 9});
            Frame reply = peer.read();
            assertThat(((Session.ErrorReply) reply.message()).code()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            assertThat(peer.awaitClosed()).isTrue();
        }
    }
}
