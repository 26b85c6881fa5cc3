package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.RawPeer;
import org.parley.server.testing.TestConnection;

/**
 * The limits on connections that have not logged in (docs/security.md, "Before login"), on an in-process server
 * with small limits: frame size, the server-wide budget for partial frames, the per-address cap and the
 * wall-clock deadlines that trickling does not dodge (the budget for partial frames: {@link FrameBudgetIT}). The same attacks at scale, against a small heap, are in
 * {@code org.parley.server.abuse}.
 */
class BeforeLoginIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--login-frame-bytes", "4096",
"--max-unauthenticated-per-address", "3",
            "--hello-timeout-seconds", "1", "--login-timeout-seconds", "2", "--frame-timeout-seconds", "1",
            "--frame-min-bytes-per-second", "1000000");

    private static final Frame HELLO = new Frame(1, new Session.Hello(1, 1, "raw"));

    private static byte[] header(int length, int type, int requestId) {
        return ByteBuffer.allocate(10).putInt(length).putShort((short) type).putInt(requestId).array();
    }

    private static Session.ErrorReply error(Frame f) {
        assertThat(f.message()).isInstanceOf(Session.ErrorReply.class);
        return (Session.ErrorReply) f.message();
    }

    /** Before login nothing needs a large frame: a 1 MiB Login is refused at its length prefix. */
    @Test
    void aLargeFrameBeforeLoginIsRefusedAtItsLength() throws IOException {
        try (RawPeer peer = RawPeer.connect("127.0.0.2", server.port())) {
            peer.send(HELLO);
            assertThat(peer.read().message()).isInstanceOf(Session.Welcome.class);
            peer.write(header(1 << 20, 0x0102, 2));
            Session.ErrorReply e = error(peer.read());
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME_LENGTH);
            assertThat(e.message()).contains("4096");
            assertThat(peer.awaitClosed()).isTrue();
        }
        // After login, the full limit applies.
        TestConnection ann = server.register("ann");
        byte[] chunk = new byte[100_000];
        assertThat(ann.error(new Transfers.UploadChunk("no-such-upload", 0, chunk)).code()).isNotEqualTo(
                ErrorCode.BAD_FRAME_LENGTH);
    }

    @Test
    void anAddressMayHoldOnlySoManyConnectionsThatHaveNotLoggedIn() throws IOException {
        List<RawPeer> strangers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawPeer p = RawPeer.connect("127.0.0.3", server.port());
                strangers.add(p);
                p.send(HELLO);
                assertThat(p.read().message()).isInstanceOf(Session.Welcome.class);
            }
            try (RawPeer fourth = RawPeer.connect("127.0.0.3", server.port())) {
                assertThat(error(fourth.read()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(fourth.awaitClosed()).isTrue();
            }
            // Another address is not concerned, and a connection that logged in no longer counts.
            server.register("ann");
            strangers.get(0).send(new Frame(2, new Accounts.Register("eve", "password-eve", "Eve", "raw")));
            assertThat(strangers.get(0).read().message()).isInstanceOf(Accounts.LoggedIn.class);
            try (RawPeer again = RawPeer.connect("127.0.0.3", server.port())) {
                again.send(HELLO);
                assertThat(again.read().message()).isInstanceOf(Session.Welcome.class);
            }
        } finally {
            strangers.forEach(RawPeer::close);
        }
    }

    /** One byte at a time, each well within any read-idle timer: the deadlines are wall-clock. */
    private static void trickle(RawPeer peer, byte[] bytes) throws InterruptedException {
        for (byte b : bytes) {
            if (!peer.write(new byte[] {b})) {
                return;
            }
            Thread.sleep(150);
        }
    }

    @Test
    void aTrickledHelloMissesTheHelloDeadline() throws Exception {
        try (RawPeer peer = RawPeer.connect("127.0.0.4", server.port())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    trickle(peer, RawPeer.encode(HELLO));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Session.ErrorReply e = error(peer.read());
            assertThat(e.code()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            assertThat(e.message()).contains("no Hello");
            assertThat(peer.awaitClosed()).isTrue();
            t.interrupt();
        }
    }

    /** Busy but never logging in (a Ping every 300 ms, each answered): closed at the login deadline. */
    @Test
    void aConnectionThatNeverLogsInIsClosedAtTheLoginDeadlineHoweverBusy() throws Exception {
        try (RawPeer peer = RawPeer.connect("127.0.0.5", server.port())) {
            peer.send(HELLO);
            assertThat(peer.read().message()).isInstanceOf(Session.Welcome.class);
            Session.ErrorReply error = null;
            for (int i = 2; error == null; i++) {
                if (!peer.send(new Frame(i, new Session.Ping(i)))) {
                    break;
                }
                Frame f = peer.read();
                if (f.message() instanceof Session.ErrorReply e) {
                    error = e;
                } else {
                    assertThat(f.message()).isEqualTo(new Session.Pong(i));
                }
                Thread.sleep(300);
            }
            assertThat(error).isNotNull();
            assertThat(error.code()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            assertThat(error.message()).contains("no login");
            assertThat(peer.awaitClosed()).isTrue();
        }
    }

    @Test
    void aFrameTrickledByALoggedInUserMissesTheFrameDeadline() throws Exception {
        TestConnection ann = server.register("ann");
        byte[] ping = WireCodec.encode(new Frame(5, new Session.Ping(5)));
        ann.sendRaw(Arrays.copyOf(ping, 6));
        for (int i = 6; i < ping.length && !ann.isClosed(); i++) {
            Thread.sleep(300);
            try {
                ann.sendRaw(new byte[] {ping[i]});
            } catch (java.io.UncheckedIOException closed) {
                break;
            }
        }
        Session.ErrorReply e = ann.awaitPush(Session.ErrorReply.class);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.message()).contains("not complete");
        ann.awaitClosed();
        assertThat(server.login("ann").request(new Session.Ping(6), Session.Pong.class).nonce()).isEqualTo(6);
    }

    /** Connecting and saying nothing: closed at the Hello deadline. */
    @Test
    void aSilentConnectionIsClosedAtTheHelloDeadline() throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.0.6", 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(15_000);
            OutputStream unused = s.getOutputStream();
            assertThat(unused).isNotNull();
            byte[] all = s.getInputStream().readAllBytes(); // until the server closes
            assertThat(all.length).isGreaterThan(10); // the ErrorReply
        }
    }
}
