package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.SmallDisk;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.ParleyServer;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.TestConnection;

/**
 * The server's disk fills up during an upload (its data directory is a small tmpfs; root only, skipped elsewhere):
 * the next chunk gets STORAGE_FULL, conversations go on, new uploads are refused at once, and once there is room
 * again the upload resumes where it stopped and finishes intact.
 */
class FilesDiskFullIT {

    private static final int CHUNK = 256 * 1024;

    @RegisterExtension
    final SmallDisk disk = new SmallDisk("256m");
    private ParleyServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestConnection connect(String user, boolean register) throws IOException {
        TestConnection c = TestConnection.open("127.0.0.1", server.port(), false);
        c.request(new Session.Hello(1, 1, "test"), Session.Welcome.class);
        c.request(register ? new Accounts.Register(user, "password-" + user, user, "t")
                : new Accounts.Login(user, "password-" + user, "t"), Accounts.LoggedIn.class);
        return c;
    }

    /** Writes a file until the disk has about {@code leave} bytes free. */
    private static void fillUntil(Path filler, long leave) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (Files.getFileStore(filler).getUsableSpace() > leave + block.length) {
                out.write(block);
            }
        }
    }

    @Test
    void aFullDiskStopsTheUploadWhichResumesOnceThereIsRoom() throws Exception {
        server = ParleyServer.start(ServerConfig.parse(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir",
                disk.path().resolve("data").toString(), "--tls", "false", "--argon2-memory-kib", "256",
                "--argon2-iterations", "1", "--registration", "open")));
        TestConnection ann = connect("ann", true);
        TestConnection bob = connect("bob", true);
        long c = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        ann.request(new Chat.Send(c, "before", Kind.TEXT, "before the disk filled up", List.of()), Chat.Sent.class);

        SeededBytes content = new SeededBytes(77, 40L * CHUNK + 99);
        Transfers.UploadReady ready = Transfer.start(ann, c, "filling", "f.bin", "", content);
        long acked = 12L * CHUNK;
        Transfer.send(ann, ready.uploadId(), content, 0, acked, CHUNK);

        Path filler = disk.path().resolve("filler");
        fillUntil(filler, 32L << 20); // less than the server keeps free for everything but files
        Session.ErrorReply full = ann.error(new Transfers.UploadChunk(ready.uploadId(), acked,
                content.range(acked, CHUNK)));
        assertThat(full.code()).isEqualTo(ErrorCode.STORAGE_FULL);
        assertThat(ann.error(Transfer.startRequest(c, "another", "g.bin", "", new SeededBytes(1, 1 << 20))).code())
                .as("a new upload is refused before any byte").isEqualTo(ErrorCode.STORAGE_FULL);
        ann.request(new Chat.Send(c, "during", Kind.TEXT, "the chat goes on", List.of()), Chat.Sent.class);
        assertThat(ann.error(Transfer.startRequest(c, "filling", "f.bin", "", content)).code())
                .as("resuming needs room for the rest, too").isEqualTo(ErrorCode.STORAGE_FULL);

        Files.delete(filler);
        Transfer.Resumed resumed = Transfer.resume(ann, c, "filling", content);
        assertThat(resumed.firstOffset()).as("nothing acknowledged was lost, nothing refused was kept")
                .isEqualTo(acked);
        assertThat(resumed.done().attachment().sha256()).isEqualTo(content.sha256());
        assertThat(Transfer.downloadSha(bob, resumed.done().attachment().fileId(), content.size(), CHUNK))
                .isEqualTo(content.sha256());
        assertThat(bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages())
                .extracting(Chat.ChatMessage::kind).containsExactly(Kind.TEXT, Kind.TEXT, Kind.FILE);

        server.close();
        server = ParleyServer.start(ServerConfig.parse(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir",
                disk.path().resolve("data").toString(), "--tls", "false")));
        TestConnection again = connect("bob", false);
        assertThat(Transfer.downloadSha(again, resumed.done().attachment().fileId(), content.size(), CHUNK))
                .isEqualTo(content.sha256());
    }
}
