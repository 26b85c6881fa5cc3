package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ChildServer;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Broken connections in both directions, a killed server, and uploads side by side: nothing lost or doubled. */
class UploadResumeIT {

    private static final int CHUNK = 256 * 1024;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    @TempDir
    Path tmp;

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    /** Sends chunks from {@code from} without waiting for their answers (they are lost with the connection). */
    private static long sendBlind(TestConnection c, String uploadId, SeededBytes content, long from, int chunks) {
        long pos = from;
        for (int i = 0; i < chunks && pos < content.size(); i++) {
            int n = (int) Math.min(CHUNK, content.size() - pos);
            c.callAsync(new Transfers.UploadChunk(uploadId, pos, content.range(pos, n)));
            pos += n;
        }
        return pos;
    }

    @Test
    void anUploadResumesAfterTheConnectionBreaks() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(21, 10L * CHUNK + 12_345);
        Transfers.UploadReady ready = Transfer.start(ann, c, "cut", "cut.bin", "", content);
        Transfer.send(ann, ready.uploadId(), content, 0, 3L * CHUNK, CHUNK);
        long sent = sendBlind(ann, ready.uploadId(), content, 3L * CHUNK, 4);
        ann.close(); // mid-stream: some of the four chunks may be stored, some not

        Transfer.Resumed resumed = Transfer.resume(server.login("ann"), c, "cut", content);
        assertThat(resumed.firstOffset()).as("acknowledged bytes are held").isBetween(3L * CHUNK, sent);
        assertThat(resumed.firstOffset() % CHUNK).as("whole chunks only").isZero();
        assertThat(resumed.done().attachment().sha256()).isEqualTo(content.sha256());
        assertThat(Transfer.downloadSha(bob, resumed.done().attachment().fileId(), content.size(), CHUNK))
                .isEqualTo(content.sha256());
        assertThat(bob.request(new Chat.FetchAfter(c, 0, 10), Chat.MessagePage.class).messages())
                .as("posted once").hasSize(1);
    }

    @Test
    void aDownloadResumesAfterTheConnectionBreaks() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(22, 12L * CHUNK + 1);
        Chat.Attachment a = Transfer.upload(ann, c, "d", "d.bin", "", content, "").attachment();

        MessageDigest digest = SeededBytes.digest();
        long have = Transfer.download(bob, a.fileId(), 0, 5L * CHUNK, CHUNK, digest);
        for (int i = 0; i < 6; i++) {
            bob.callAsync(new Transfers.FetchChunk(a.fileId(), have + (long) i * CHUNK, CHUNK)); // never read
        }
        bob.close();
        TestConnection again = server.login("bob");
        Transfer.download(again, a.fileId(), have, a.size(), CHUNK, digest);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(content.sha256());
    }

    @Test
    @Timeout(value = 180, threadMode = ThreadMode.SEPARATE_THREAD)
    void anUploadResumesAfterTheServerWasKilled() throws Exception {
        Path data = tmp.resolve("data");
        SeededBytes content = new SeededBytes(23, 40L * CHUNK + 777);
        long conversation;
        long acked = 12L * CHUNK;
        long sent;
        String uploadId;
        ChildServer first = ChildServer.start(data, tmp.resolve("first.log"));
        try {
            TestConnection ann = register(first, "ann");
            register(first, "bob").close();
            conversation = direct(ann, "bob");
            Transfers.UploadReady ready = Transfer.start(ann, conversation, "killed", "k.bin", "", content);
            uploadId = ready.uploadId();
            Transfer.send(ann, uploadId, content, 0, acked, CHUNK);
            sent = sendBlind(ann, uploadId, content, acked, 8);
            first.kill(); // SIGKILL while chunks are arriving
            ann.close();
        } finally {
            first.kill();
        }

        try (ChildServer second = ChildServer.start(data, tmp.resolve("second.log"))) {
            TestConnection ann = login(second, "ann");
            Transfer.Resumed resumed = Transfer.resume(ann, conversation, "killed", content);
            assertThat(resumed.firstOffset()).as("every acknowledged chunk survived").isBetween(acked, sent);
            assertThat(resumed.firstOffset() % CHUNK).isZero();
            // The server rebuilt the running SHA-256 from the stored chunks and checked it.
            Chat.Attachment a = resumed.done().attachment();
            assertThat(a.sha256()).isEqualTo(content.sha256());
            TestConnection bob = login(second, "bob");
            assertThat(Transfer.downloadSha(bob, a.fileId(), a.size(), CHUNK)).isEqualTo(content.sha256());
            assertThat(bob.request(new Chat.FetchAfter(conversation, 0, 10), Chat.MessagePage.class).messages())
                    .singleElement().satisfies(m -> assertThat(m.kind()).isEqualTo(Kind.FILE));
            assertThat(uploadId).isNotEmpty();
        }
    }

    private static TestConnection register(ChildServer s, String user) throws Exception {
        TestConnection c = TestConnection.open("127.0.0.1", s.port(), false);
        c.request(new org.parley.protocol.message.Session.Hello(1, 1, "test"),
                org.parley.protocol.message.Session.Welcome.class);
        c.request(new Accounts.Register(user, "password-" + user, user, "test"), Accounts.LoggedIn.class);
        return c;
    }

    private static TestConnection login(ChildServer s, String user) throws Exception {
        TestConnection c = TestConnection.open("127.0.0.1", s.port(), false);
        c.request(new org.parley.protocol.message.Session.Hello(1, 1, "test"),
                org.parley.protocol.message.Session.Welcome.class);
        c.request(new Accounts.Login(user, "password-" + user, "test"), Accounts.LoggedIn.class);
        return c;
    }

    @Test
    void uploadsSideBySideAllArriveIntact() throws Exception {
        List<String> users = List.of("ann", "bob", "cat", "dan");
        List<TestConnection> conns = new ArrayList<>();
        for (String u : users) {
            conns.add(server.register(u));
        }
        long group = conns.get(0).request(new Conversations.CreateGroup("team", users.subList(1, users.size())),
                Conversations.ConversationInfo.class).id();
        TestConnection chatter = server.login("ann");
        ExecutorService pool = Executors.newFixedThreadPool(users.size() + 1);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Transfers.UploadDone>> uploads = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                TestConnection c = conns.get(i);
                SeededBytes content = new SeededBytes(100 + i, 6L * CHUNK + i * 1000L);
                String id = "side-" + i;
                uploads.add(pool.submit(() -> {
                    go.await();
                    return Transfer.upload(c, group, id, id + ".bin", "", content, id);
                }));
            }
            Future<Integer> chat = pool.submit(() -> {
                go.await();
                List<CompletableFuture<Message>> sends = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    sends.add(chatter.callAsync(new Chat.Send(group, "t" + i, Kind.TEXT, "msg " + i, List.of())));
                }
                int ok = 0;
                for (var f : sends) {
                    ok += f.get(30, TimeUnit.SECONDS) instanceof Chat.Sent ? 1 : 0;
                }
                return ok;
            });
            go.countDown();
            for (int i = 0; i < users.size(); i++) {
                Transfers.UploadDone done = uploads.get(i).get(120, TimeUnit.SECONDS);
                SeededBytes content = new SeededBytes(100 + i, 6L * CHUNK + i * 1000L);
                assertThat(done.attachment().sha256()).isEqualTo(content.sha256());
                TestConnection reader = conns.get((i + 1) % users.size());
                assertThat(Transfer.downloadSha(reader, done.attachment().fileId(), content.size(), CHUNK))
                        .isEqualTo(content.sha256());
            }
            assertThat(chat.get(60, TimeUnit.SECONDS)).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
        List<Chat.ChatMessage> history = conns.get(3).request(new Chat.FetchAfter(group, 0, 200),
                Chat.MessagePage.class).messages();
        assertThat(history).filteredOn(m -> m.kind() == Kind.FILE).hasSize(4);
        assertThat(history).filteredOn(m -> m.kind() == Kind.TEXT).hasSize(50);
        assertThat(history).extracting(Chat.ChatMessage::seq).doesNotHaveDuplicates().isSorted();
    }
}
