package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Chat.Kind;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * A 1 GiB file up and down, its bytes made from a seeded stream and never held in memory on either side, while
 * other users chat: their messages are answered while the upload is still running (it does not starve them).
 * Durations are printed for the record, not asserted (speed is the benchmarks' business).
 */
class LargeFileIT {

    private static final long SIZE = 1L << 30;

    @RegisterExtension
    // The raw test connections send no pings: on a busy machine the upload can outlast the idle timeout, and bob
    // would be disconnected (and miss the push) for a reason that has nothing to do with file transfer.
    final ParleyServerExtension server = new ParleyServerExtension().with("--idle-timeout-seconds", "3600");

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    @Test
    @Timeout(value = 600, threadMode = ThreadMode.SEPARATE_THREAD)
    void aGigabyteMakesTheRoundTripWhileOthersChat() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        TestConnection cat = server.register("cat");
        TestConnection dan = server.register("dan");
        long annBob = direct(ann, "bob");
        long catDan = direct(cat, "dan");
        SeededBytes content = new SeededBytes(1234, SIZE);

        long t0 = System.nanoTime();
        String sha = content.sha256();
        long t1 = System.nanoTime();
        Transfers.UploadStart start = new Transfers.UploadStart(annBob, "big", "big.iso", "application/octet-stream",
                SIZE, sha, false);
        Transfers.UploadReady ready = ann.request(start, Transfers.UploadReady.class);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        long t3;
        long t4;
        Transfers.UploadDone done;
        long slowest = 0;
        try {
            Future<?> sending = pool.submit(() -> Transfer.send(ann, ready.uploadId(), content, 0, SIZE,
                    ready.chunkBytes()));
            TestConnection probe = server.login("ann");
            long held = 0;
            while (held < 64L << 20 && !sending.isDone()) {
                Thread.sleep(20);
                held = probe.request(start, Transfers.UploadReady.class).offset(); // resuming says how far it got
            }
            for (int i = 0; i < 20; i++) {
                long s = System.nanoTime();
                cat.request(new Chat.Send(catDan, "m" + i, Kind.TEXT, "still there? " + i, List.of()), Chat.Sent.class);
                slowest = Math.max(slowest, System.nanoTime() - s);
                assertThat(dan.awaitPush(Chat.NewMessage.class).message().text()).isEqualTo("still there? " + i);
            }
            long heldAfterChat = probe.request(start, Transfers.UploadReady.class).offset();
            assertThat(heldAfterChat).as("the chat was answered while the upload was running").isLessThan(SIZE);
            assertThat(sending.isDone()).isFalse();
            sending.get(300, TimeUnit.SECONDS);
            long t2 = System.nanoTime();
            done = Transfer.finish(ann, ready.uploadId(), "the image");
            t3 = System.nanoTime();
            System.out.printf("LargeFileIT: SHA-256 of 1 GiB on the client %.1f s, upload %.1f s, finish %.2f s%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        } finally {
            pool.shutdownNow();
        }
        assertThat(done.attachment().size()).isEqualTo(SIZE);
        assertThat(done.attachment().sha256()).isEqualTo(sha);
        assertThat(bob.awaitPush(Chat.NewMessage.class).message().attachments().get(0).fileId())
                .isEqualTo(done.attachment().fileId());

        assertThat(Transfer.downloadSha(bob, done.attachment().fileId(), SIZE, ready.chunkBytes())).isEqualTo(sha);
        t4 = System.nanoTime();
        System.out.printf("LargeFileIT: download with SHA-256 %.1f s; slowest chat message during the upload %d ms%n",
                (t4 - t3) / 1e9, slowest / 1_000_000);
    }
}
