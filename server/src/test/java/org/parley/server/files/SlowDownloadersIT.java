package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Downloaders that ask for many chunks and never read them hold none of the server's request workers: a healthy
 * client chats and a new client logs in meanwhile (before, every worker waited for a slow reader until the idle
 * timeout), and the slow readers are closed once they have stayed behind for {@code slow-reader-seconds}.
 */
class SlowDownloadersIT {

    /** More than the server's 32 request workers. */
    private static final int SLOW = 40;
    private static final int CHUNK = 256 * 1024;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--idle-timeout-seconds", "3600",
            "--max-outbound-bytes", "1048576", "--slow-reader-seconds", "5");

    private final List<Socket> slow = new ArrayList<>();

    @AfterEach
    void closeSockets() throws Exception {
        for (Socket s : slow) {
            s.close();
        }
    }

    @Test
    void slowDownloadersDoNotStallChatOrLogins() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        String fileId = Transfer.upload(ann, c, "big", "big.bin", "", new SeededBytes(1, CHUNK), "").attachment()
                .fileId();

        for (int i = 0; i < SLOW; i++) {
            Socket s = new Socket();
            slow.add(s);
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(WireCodec.encode(new Frame(1, new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION,
                    "slow"))));
            out.write(WireCodec.encode(new Frame(2, new Accounts.Login("bob", "password-bob", "slow"))));
            out.flush();
            for (int reply = 0; reply < 2; reply++) { // Welcome and LoggedIn: read; nothing after
                in.readFully(new byte[in.readInt()]);
            }
            for (int k = 0; k < 64; k++) {
                out.write(WireCodec.encode(new Frame(3 + k, new Transfers.FetchChunk(fileId, 0, CHUNK))));
            }
            out.flush();
        }

        // Chat goes on, and a new connection gets its Welcome and logs in (TestConnection waits 15 s at most).
        for (int i = 0; i < 5; i++) {
            Chat.Sent sent = ann.request(new Chat.Send(c, "probe-" + i, Chat.Kind.TEXT, "still here " + i, List.of()), Chat.Sent.class);
            assertThat(sent.duplicate()).isFalse();
        }
        TestConnection carl = server.register("carl");
        carl.request(new Session.Ping(7), Session.Pong.class);

        // The readers that stay behind are closed: only ann's, bob's first and carl's connections remain.
        long deadline = System.currentTimeMillis() + 120_000;
        while (server.server().connectionCount() > 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(server.server().connectionCount()).isEqualTo(3);
        ann.request(new Chat.Send(c, "after", Chat.Kind.TEXT, "after the slow readers", List.of()), Chat.Sent.class);
    }
}
