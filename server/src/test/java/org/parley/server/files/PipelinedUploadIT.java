package org.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.storage.Storage;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/**
 * Chunks sent without waiting for their answers are stored several per commit (group commit): every request that
 * follows them (finish, cancel, a resume on another connection, a chunk at a wrong offset) sees exactly the bytes
 * acknowledged, never more and never fewer.
 */
class PipelinedUploadIT {

    private static final int CHUNK = 256 * 1024;

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension();

    private static long direct(TestConnection from, String to) {
        return from.request(new Conversations.OpenDirect(to), Conversations.ConversationInfo.class).id();
    }

    /** Sends chunks {@code [from, from + count)} (in chunk numbers) without waiting; returns their answers. */
    private static List<CompletableFuture<Message>> sendBlind(TestConnection c, String uploadId, SeededBytes content,
            int from, int count) {
        List<CompletableFuture<Message>> answers = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            long at = (long) i * CHUNK;
            int n = (int) Math.min(CHUNK, content.size() - at);
            answers.add(c.callAsync(new Transfers.UploadChunk(uploadId, at, content.range(at, n))));
        }
        return answers;
    }

    private static Message await(CompletableFuture<Message> f) throws Exception {
        return f.get(TestConnection.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aFinishSentRightBehindItsChunksWaitsForThemAndTheFileIsIntact() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(31, 24L * CHUNK + 5);
        Transfers.UploadReady ready = Transfer.start(ann, c, "all-at-once", "a.bin", "", content);
        List<CompletableFuture<Message>> chunks = sendBlind(ann, ready.uploadId(), content, 0, 25);
        CompletableFuture<Message> done = ann.callAsync(new Transfers.UploadFinish(ready.uploadId(), "", 0, 0, 0,
                new byte[0]));
        for (CompletableFuture<Message> f : chunks) {
            assertThat(await(f)).isInstanceOf(Session.Ok.class);
        }
        assertThat(await(done)).isInstanceOf(Transfers.UploadDone.class);
        Chat.Attachment a = ((Transfers.UploadDone) await(done)).attachment();
        assertThat(a.sha256()).isEqualTo(content.sha256());
        assertThat(Transfer.downloadSha(bob, a.fileId(), a.size(), CHUNK)).isEqualTo(content.sha256());
    }

    @Test
    void aChunkAtAWrongOffsetAmongPipelinedOnesIsRefusedAndTheOthersAreKept() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(32, 12L * CHUNK);
        Transfers.UploadReady ready = Transfer.start(ann, c, "gap", "g.bin", "", content);
        List<CompletableFuture<Message>> first = sendBlind(ann, ready.uploadId(), content, 0, 6);
        CompletableFuture<Message> skipped = sendBlind(ann, ready.uploadId(), content, 7, 1).get(0);
        for (CompletableFuture<Message> f : first) {
            assertThat(await(f)).isInstanceOf(Session.Ok.class);
        }
        assertThat(await(skipped)).isInstanceOfSatisfying(Session.ErrorReply.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.message()).contains("expected offset " + 6L * CHUNK);
        });
        Transfers.UploadReady again = Transfer.start(ann, c, "gap", "g.bin", "", content);
        assertThat(again.offset()).as("the six chunks before the gap, all of them").isEqualTo(6L * CHUNK);
        Transfer.send(ann, again.uploadId(), content, again.offset(), content.size(), CHUNK);
        assertThat(Transfer.finish(ann, again.uploadId(), "").attachment().sha256()).isEqualTo(content.sha256());
    }

    @Test
    void aResumeOnAnotherConnectionGetsOnlyStoredBytesAndTheChunksTakenAreStillStored() throws Exception {
        TestConnection first = server.register("ann");
        server.register("bob");
        long c = direct(first, "bob");
        SeededBytes content = new SeededBytes(33, 30L * CHUNK + 1);
        Transfers.UploadReady ready = Transfer.start(first, c, "two-connections", "t.bin", "", content);
        List<CompletableFuture<Message>> answers = sendBlind(first, ready.uploadId(), content, 0, 20);
        // Right away, from a second connection, while the first one's chunks are still arriving and being stored.
        TestConnection second = server.login("ann");
        long resumedAt = Transfer.start(second, c, "two-connections", "t.bin", "", content).offset();
        assertThat(resumedAt).isBetween(0L, 20L * CHUNK);
        assertThat(resumedAt % CHUNK).as("whole chunks only").isZero();
        for (CompletableFuture<Message> f : answers) {
            assertThat(await(f)).as("chunks taken are stored, not dropped").isInstanceOf(Session.Ok.class);
        }
        Transfers.UploadReady again = Transfer.start(second, c, "two-connections", "t.bin", "", content);
        assertThat(again.offset()).as("every acknowledged chunk, nothing more").isEqualTo(20L * CHUNK);
        Transfer.send(second, again.uploadId(), content, again.offset(), content.size(), CHUNK);
        assertThat(Transfer.finish(second, again.uploadId(), "").attachment().sha256()).isEqualTo(content.sha256());
    }

    /**
     * docs/protocol.md, "Chunks": pipelined chunks are answered in the order they were sent, uploads (each Ok once
     * stored, several per commit) and downloads alike, and a download from inside a stored chunk (a partial copy
     * resumed) gets the right bytes, then whole chunks.
     */
    @Test
    void pipelinedChunksAreAnsweredInTheOrderTheyWereSentBothWays() throws Exception {
        TestConnection ann = server.register("ann");
        TestConnection bob = server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(35, 20L * CHUNK + 777);
        Transfers.UploadReady ready = Transfer.start(ann, c, "in-order", "o.bin", "", content);
        int firstChunkId = ann.nextRequestId();
        List<CompletableFuture<Message>> chunks = sendBlind(ann, ready.uploadId(), content, 0, 21);
        for (CompletableFuture<Message> f : chunks) {
            assertThat(await(f)).isInstanceOf(Session.Ok.class);
        }
        assertThat(ann.answerOrder().stream().filter(id -> id >= firstChunkId).toList())
                .as("the Oks in the order of the chunks").isSorted().hasSize(21);
        Chat.Attachment a = Transfer.finish(ann, ready.uploadId(), "").attachment();

        long resumeAt = 3L * CHUNK + 12_345; // inside a stored chunk
        int firstFetchId = bob.nextRequestId();
        List<CompletableFuture<Message>> fetches = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (long at = resumeAt; at < content.size(); at += CHUNK - at % CHUNK) {
            offsets.add(at);
            fetches.add(bob.callAsync(new Transfers.FetchChunk(a.fileId(), at, (int) (CHUNK - at % CHUNK))));
        }
        for (int i = 0; i < fetches.size(); i++) {
            long at = offsets.get(i);
            int n = (int) Math.min(CHUNK - at % CHUNK, content.size() - at);
            assertThat(await(fetches.get(i))).isInstanceOfSatisfying(Transfers.FileChunk.class, chunk -> {
                assertThat(chunk.offset()).isEqualTo(at);
                assertThat(chunk.data()).as("bytes at %d", at).isEqualTo(content.range(at, n));
            });
        }
        assertThat(bob.answerOrder().stream().filter(id -> id >= firstFetchId).toList())
                .as("the FileChunks in the order of the FetchChunks").isSorted().hasSize(fetches.size());
    }

    @Test
    void aCancelBehindPipelinedChunksDiscardsThemAll() throws Exception {
        TestConnection ann = server.register("ann");
        server.register("bob");
        long c = direct(ann, "bob");
        SeededBytes content = new SeededBytes(34, 16L * CHUNK);
        Transfers.UploadReady ready = Transfer.start(ann, c, "cancelled", "c.bin", "", content);
        List<CompletableFuture<Message>> chunks = sendBlind(ann, ready.uploadId(), content, 0, 16);
        assertThat(await(ann.callAsync(new Transfers.UploadCancel(ready.uploadId()))))
                .isInstanceOf(Session.Ok.class);
        for (CompletableFuture<Message> f : chunks) {
            assertThat(await(f)).isInstanceOf(Session.Ok.class);
        }
        assertThat(ann.error(new Transfers.UploadChunk(ready.uploadId(), 16L * CHUNK, new byte[1])).code())
                .isEqualTo(ErrorCode.UNKNOWN_FILE);
        assertThat(Transfer.start(ann, c, "cancelled", "c.bin", "", content).offset())
                .as("the client id starts afresh").isZero();
        assertThat(ann.request(new Transfers.UploadCancel(Transfer.start(ann, c, "cancelled", "c.bin", "", content)
                .uploadId()), Session.Ok.class)).isNotNull();
        server.server().files().awaitPurge();
        server.stop();
        try (Storage storage = server.openStorage()) {
            assertThat(storage.files().storedBytes()).as("nothing of it is left").isZero();
        }
    }
}
