package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

/** The server-wide budget for partially received frames (docs/security.md, "Before login"). */
class FrameBudgetIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--login-frame-bytes", "4096",
            "--partial-frame-budget-bytes", "65536", "--login-timeout-seconds", "120", "--frame-timeout-seconds",
            "120");

    private static final Frame HELLO = new Frame(1, new Session.Hello(1, 1, "raw"));

    /**
     * Strangers holding partial frames use up the budget: the next one is closed with UNAVAILABLE, a logged-in
     * user's partial frame is still taken, and once the strangers leave, a new one is served.
     */
    @Test
    void whenThePartialFrameBudgetIsUsedUpStrangersAreRefusedAndUsersServed() throws IOException {
        TestConnection ann = server.register("ann");
        List<RawPeer> holders = new ArrayList<>();
        Session.ErrorReply refusal = null;
        try {
            for (int i = 0; i < 40 && refusal == null; i++) {
                RawPeer p = RawPeer.connect("127.0.1." + (i + 1), server.port());
                holders.add(p);
                p.send(HELLO);
                assertThat(p.read().message()).isInstanceOf(Session.Welcome.class);
                // A Login of 4000 bytes, all but its last 100 sent, and held.
                byte[] partial = Arrays.copyOf(ByteBuffer.allocate(10).putInt(4000).putShort((short) 0x0102)
                        .putInt(2).array(), 3904);
                p.write(partial);
                Frame answer = p.readWithin(500);
                if (answer != null) {
                    refusal = (Session.ErrorReply) answer.message();
                }
            }
            assertThat(refusal).as("a stranger refused once the budget was used").isNotNull();
            assertThat(refusal.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(holders.size()).as("strangers held frames before").isGreaterThan(5);
            assertThat(holders.getLast().awaitClosed()).isTrue();

            // A logged-in user's frame, sent in two parts, is taken although the budget is used up.
            byte[] frame = WireCodec.encode(new Frame(9, new Transfers.UploadChunk("no-such-upload", 0, new byte[50_000])));
            ann.sendRaw(Arrays.copyOf(frame, 20_000));
            ann.sendRaw(Arrays.copyOfRange(frame, 20_000, frame.length));
            assertThat(ann.awaitPush(Session.ErrorReply.class).code()).isEqualTo(ErrorCode.UNKNOWN_FILE);
            assertThat(ann.request(new Session.Ping(1), Session.Pong.class).nonce()).isEqualTo(1);
        } finally {
            holders.forEach(RawPeer::close);
        }
        // The strangers left: their memory is back, and a new one logs in.
        try (RawPeer p = RawPeer.connect("127.0.1.200", server.port())) {
            p.send(HELLO, new Frame(2, new Accounts.Login("ann", "password-ann", "raw")));
            assertThat(p.read().message()).isInstanceOf(Session.Welcome.class);
            assertThat(p.read().message()).isInstanceOf(Accounts.LoggedIn.class);
        }
    }
}
