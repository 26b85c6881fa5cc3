package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
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
            assertThat(w.version()).isEqualTo(1);
            assertThat(w.maxFrameBytes()).isEqualTo(1 << 20);
            assertThat(w.maxMessageBytes()).isEqualTo(65536);
        }
    }

    @Test
    void noCommonVersionIsRefusedAndClosed() throws IOException {
        try (TestConnection c = raw()) {
            assertThat(c.error(new Session.Hello(2, 3, "future")).code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
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
        victim.sendRaw(new byte[] {0x10, 0, 0, 0, 0x04, 0x01, 0, 0, 0, 1});
        assertThat(victim.awaitPush(Session.ErrorReply.class).code()).isEqualTo(ErrorCode.BAD_FRAME_LENGTH);
        victim.awaitClosed();
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
}
