package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ChildServer;
import org.parley.server.testing.TestConnection;

/**
 * A client that sends a whole file's chunks without waiting for any answer, then asks for the whole file back
 * before reading anything, against a server with a 128 MB heap: the server reads the upload only as fast as it
 * stores it and answers the downloads only as fast as they are read, so it never holds the file in memory (if it
 * did, it would run out of memory here and the child process would die).
 */
class BackpressureIT {

    private static final int CHUNK = 256 * 1024;
    private static final int CHUNKS = 1024; // 256 MiB, twice the server's heap

    @TempDir
    Path tmp;

    private static TestConnection login(ChildServer s, String user, boolean register) throws Exception {
        TestConnection c = TestConnection.open("127.0.0.1", s.port(), false);
        c.request(new Session.Hello(1, 1, "test"), Session.Welcome.class);
        c.request(register ? new Accounts.Register(user, "password-" + user, user, "t")
                : new Accounts.Login(user, "password-" + user, "t"), Accounts.LoggedIn.class);
        return c;
    }

    @Test
    @Timeout(value = 300, threadMode = ThreadMode.SEPARATE_THREAD)
    void aBlindlyPipelinedTransferNeverQueuesTheFileInTheServer() throws Exception {
        // The chunks are made once and sent again and again, so the client outruns the server's storage.
        List<byte[]> pattern = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pattern.add(new SeededBytes(i, CHUNK).all());
        }
        MessageDigest whole = SeededBytes.digest();
        for (int i = 0; i < CHUNKS; i++) {
            whole.update(pattern.get(i % 4));
        }
        String sha = HexFormat.of().formatHex(whole.digest());
        long size = (long) CHUNKS * CHUNK;

        try (ChildServer server = ChildServer.start(tmp.resolve("data"), tmp.resolve("server.log"), "-Xmx128m",
                "-XX:+ExitOnOutOfMemoryError")) {
            transfer(server, pattern, sha, size);
        } catch (Throwable t) {
            System.out.println("BackpressureIT: the child server's output:\n" + Files.readString(tmp.resolve(
                    "server.log")));
            throw t;
        }
    }

    private void transfer(ChildServer server, List<byte[]> pattern, String sha, long size) throws Exception {
        TestConnection ann = login(server, "ann", true);
        login(server, "bob", true).close();
        long c = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        Transfers.UploadReady ready = ann.request(new Transfers.UploadStart(c, "blind", "blind.bin", "", size,
                sha, false), Transfers.UploadReady.class);
        List<CompletableFuture<Message>> answers = new ArrayList<>(CHUNKS);
        for (int i = 0; i < CHUNKS; i++) {
            answers.add(ann.callAsync(new Transfers.UploadChunk(ready.uploadId(), (long) i * CHUNK,
                    pattern.get(i % 4))));
        }
        for (CompletableFuture<Message> a : answers) {
            assertThat(a.get(120, TimeUnit.SECONDS)).isInstanceOf(Session.Ok.class);
        }
        Transfers.UploadDone done = ann.request(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0,
                new byte[0]), Transfers.UploadDone.class);
        assertThat(done.attachment().sha256()).isEqualTo(sha);

        TestConnection bob = login(server, "bob", false);
        List<CompletableFuture<Message>> chunks = new ArrayList<>(CHUNKS);
        for (int i = 0; i < CHUNKS; i++) {
            chunks.add(bob.callAsync(new Transfers.FetchChunk(done.attachment().fileId(), (long) i * CHUNK,
                    CHUNK)));
        }
        MessageDigest got = SeededBytes.digest();
        for (CompletableFuture<Message> f : chunks) {
            Message m = f.get(120, TimeUnit.SECONDS);
            assertThat(m).isInstanceOf(Transfers.FileChunk.class);
            got.update(((Transfers.FileChunk) m).data());
        }
        assertThat(HexFormat.of().formatHex(got.digest())).isEqualTo(sha);
        assertThat(server.isAlive()).as("the server did not run out of memory: %s",
                Files.readString(tmp.resolve("server.log"))).isTrue();
    }
}
