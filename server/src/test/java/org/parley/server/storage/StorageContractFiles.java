package org.parley.server.storage;

import org.parley.server.common.DuplicateKeyException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.parley.server.files.FileStore;
import org.parley.server.files.FileStore.StoredFile;
import org.parley.server.files.FileStore.Upload;

/** The files store (uploads, content stored once per SHA-256, files): every adapter must pass it unchanged. */
public abstract class StorageContractFiles extends StorageContractSupport {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private FileStore files() {
        return storage.files();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Upload upload(String id, long owner, String clientId, long size, String sha) {
        return files().createUpload(new Upload(id, owner, clientId, 7, "f.bin", "application/octet-stream", size,
                sha, false, 0, 0, "", 100, 100));
    }

    /** Appends {@code data} in pieces of {@code piece} bytes; each append must succeed. */
    private void appendAll(Upload u, byte[] data, int piece) {
        for (int at = 0; at < data.length; at += piece) {
            byte[] p = Arrays.copyOfRange(data, at, Math.min(data.length, at + piece));
            assertThat(files().append(u.id(), at, p, 200)).isEqualTo(at + p.length);
        }
    }

    private StoredFile finish(Upload u, String fileId, String sha, long size) {
        return files().finish(u.id(), file(fileId, u, u.blobId(), sha, size), 300);
    }

    private static StoredFile file(String fileId, Upload u, long blob, String sha, long size) {
        return new StoredFile(fileId, u.conversationId(), u.ownerId(), blob, u.name(), u.mediaType(), size, sha, 4, 3,
                0, new byte[] {9, 8}, 0);
    }

    private void purge() {
        while (files().purgeDiscarded(1 << 20)) {
            // until nothing is left
        }
    }

    @Test
    void deletingAMessageDeletesItsFilesAndTheirContentWhenNoOtherFileUsesIt() {
        long ann = account("ann").id();
        long g = storage.conversations().createGroup("g", ann, List.of(), 1).id();
        byte[] data = bytes(40_000, 1);
        Upload u1 = files().createUpload(new Upload("up1", ann, "c1", g, "a.bin", "application/octet-stream",
                data.length, SHA_A, false, 0, 0, "", 100, 100));
        appendAll(u1, data, 16_384);
        StoredFile f1 = finish(u1, "f1", SHA_A, data.length);
        Upload u2 = files().createUpload(new Upload("up2", ann, "c2", g, "b.bin", "application/octet-stream",
                data.length, SHA_A, false, 0, 0, "", 100, 100));
        appendAll(u2, data, 16_384);
        StoredFile f2 = finish(u2, "f2", SHA_A, data.length);
        assertThat(f2.blobId()).as("the same content, stored once").isEqualTo(f1.blobId());
        purge();
        assertThat(files().quotaUsed(ann)).isEqualTo(2L * data.length);
        long stored = files().storedBytes();
        storage.messages().append(List.of(new org.parley.server.messages.MessageStore.Draft(g, ann, "m1",
                org.parley.protocol.message.Chat.Kind.FILE, 10, "", new byte[] {1}),
                new org.parley.server.messages.MessageStore.Draft(g, ann, "m2",
                        org.parley.protocol.message.Chat.Kind.FILE, 10, "", new byte[] {1})));

        storage.messages().append(List.of(new org.parley.server.messages.MessageStore.Draft(g, ann, "d1",
                org.parley.protocol.message.Chat.Kind.DELETE, 20, "", new byte[0], 1, List.of("f1"))));
        purge();
        assertThat(files().file("f1")).isEmpty();
        assertThat(files().file("f2")).isPresent();
        assertThat(files().quotaUsed(ann)).as("the deleted file no longer counts").isEqualTo(data.length);
        assertThat(files().storedBytes()).as("the content is still used by f2").isEqualTo(stored);

        storage.messages().append(List.of(new org.parley.server.messages.MessageStore.Draft(g, ann, "d2",
                org.parley.protocol.message.Chat.Kind.DELETE, 20, "", new byte[0], 2, List.of("f2"))));
        purge();
        assertThat(files().file("f2")).isEmpty();
        assertThat(files().quotaUsed(ann)).isZero();
        assertThat(files().storedBytes()).as("no file uses the content any more").isEqualTo(stored - data.length);
    }

    @Test
    void anUploadIsFoundByIdAndByItsOwnersClientIdOnly() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        Upload u = upload("up1", ann, "c1", 10, SHA_A);
        assertThat(u.blobId()).isPositive();
        assertThat(u.received()).isZero();
        assertThat(u.finished()).isFalse();
        assertThat(files().upload("up1")).contains(u);
        assertThat(files().upload(ann, "c1")).contains(u);
        assertThat(files().upload(bob, "c1")).isEmpty();
        assertThat(files().upload("nope")).isEmpty();
        assertThatThrownBy(() -> upload("up2", ann, "c1", 10, SHA_A)).isInstanceOf(DuplicateKeyException.class);
        assertThat(upload("up3", bob, "c1", 10, SHA_A).blobId()).isNotEqualTo(u.blobId());
    }

    @Test
    void chunksAreStoredOnlyWhereTheUploadEndsAndNeverPastItsSize() {
        long ann = account("ann").id();
        Upload u = upload("up", ann, "c", 100, SHA_A);
        assertThat(files().append("up", 0, bytes(40, 1), 1)).isEqualTo(40);
        assertThat(files().append("up", 0, bytes(40, 1), 2)).as("again at 0").isEqualTo(40);
        assertThat(files().append("up", 50, bytes(10, 2), 3)).as("a gap").isEqualTo(40);
        assertThat(files().append("up", 40, bytes(61, 3), 4)).as("past the size").isEqualTo(40);
        assertThat(files().append("up", 40, bytes(60, 3), 5)).isEqualTo(100);
        assertThat(files().append("missing", 0, bytes(1, 1), 6)).isEqualTo(-1);
        Upload now = files().upload("up").orElseThrow();
        assertThat(now.received()).isEqualTo(100);
        assertThat(now.updatedAt()).isEqualTo(5);
        byte[] all = new byte[100];
        System.arraycopy(bytes(40, 1), 0, all, 0, 40);
        System.arraycopy(bytes(60, 3), 0, all, 40, 60);
        assertThat(files().read(u.blobId(), 0, 100)).isEqualTo(all);
    }

    @Test
    void severalChunksAreStoredInOneAppendAllOrNone() {
        long ann = account("ann").id();
        int big = 40_000; // not a multiple of any block size an adapter might use
        Upload u = upload("up", ann, "c", 3L * big + 10, SHA_A);
        byte[] a = bytes(big, 1);
        byte[] b = bytes(7, 2);
        byte[] c = bytes(big, 3);
        assertThat(files().append("up", 0, List.of(a, b, c), 1)).isEqualTo(2L * big + 7);
        assertThat(files().append("up", 2L * big + 7, List.of(bytes(big, 4), bytes(4, 5)), 2))
                .as("the second piece goes past the size: none is stored").isEqualTo(2L * big + 7);
        assertThat(files().append("up", 2L * big, List.of(bytes(10, 6), bytes(10, 7)), 3))
                .as("not where the upload ends: none is stored").isEqualTo(2L * big + 7);
        assertThat(files().append("missing", 0, List.of(a, b), 4)).isEqualTo(-1);
        assertThat(files().upload("up").orElseThrow().received()).isEqualTo(2L * big + 7);
        assertThat(files().upload("up").orElseThrow().updatedAt()).isEqualTo(1);
        byte[] all = new byte[2 * big + 7];
        System.arraycopy(a, 0, all, 0, big);
        System.arraycopy(b, 0, all, big, 7);
        System.arraycopy(c, 0, all, big + 7, big);
        assertThat(files().read(u.blobId(), 0, all.length + 100)).isEqualTo(all);
        assertThat(files().read(u.blobId(), big - 3, 12)).isEqualTo(Arrays.copyOfRange(all, big - 3, big + 9));
        assertThat(files().storedBytes()).isEqualTo(all.length);
    }

    @Test
    void readsGiveAnyRangeAcrossChunkBoundariesAndStopAtTheEnd() {
        long ann = account("ann").id();
        byte[] data = bytes(100_000, 42);
        Upload u = upload("up", ann, "c", data.length, SHA_A);
        appendAll(u, data, 30_001); // odd chunk sizes: reads start inside blocks, whatever their size
        long blob = u.blobId();
        for (int[] range : new int[][] {{0, 1}, {0, 100_000}, {1, 99_999}, {30_000, 2}, {30_001, 30_001},
            {16_383, 16_386}, {99_999, 1}, {12_345, 54_321}}) {
            assertThat(files().read(blob, range[0], range[1])).as("%s", Arrays.toString(range))
                    .isEqualTo(Arrays.copyOfRange(data, range[0], range[0] + range[1]));
        }
        assertThat(files().read(blob, 99_990, 50)).isEqualTo(Arrays.copyOfRange(data, 99_990, 100_000));
        assertThat(files().read(blob, 100_000, 10)).isEmpty();
        assertThat(files().read(blob, 0, 0)).isEmpty();
        assertThat(files().read(987_654, 0, 10)).as("no such blob").isEmpty();
    }

    @Test
    void finishingStoresTheFileAndIsIdempotent() {
        long ann = account("ann").id();
        byte[] data = bytes(5000, 1);
        Upload u = upload("up", ann, "c", data.length, SHA_A);
        appendAll(u, data, 4096);
        StoredFile f = finish(u, "file-1", SHA_A, data.length);
        assertThat(f.id()).isEqualTo("file-1");
        assertThat(f.blobId()).isEqualTo(u.blobId());
        assertThat(f.createdAt()).isEqualTo(300);
        assertThat(files().file("file-1")).hasValueSatisfying(stored -> {
            assertThat(stored.conversationId()).isEqualTo(7);
            assertThat(stored.ownerId()).isEqualTo(ann);
            assertThat(stored.size()).isEqualTo(5000);
            assertThat(stored.sha256()).isEqualTo(SHA_A);
            assertThat(stored.width()).isEqualTo(4);
            assertThat(stored.thumbnail()).containsExactly(9, 8);
        });
        Upload done = files().upload("up").orElseThrow();
        assertThat(done.finished()).isTrue();
        assertThat(done.fileId()).isEqualTo("file-1");
        assertThat(files().append("up", 5000, bytes(1, 1), 1)).as("a finished upload takes no chunks").isEqualTo(-1);
        StoredFile again = finish(u, "file-2", SHA_A, data.length);
        assertThat(again.id()).as("finishing twice gives the first file").isEqualTo("file-1");
        assertThat(files().file("file-2")).isEmpty();
        assertThat(files().read(f.blobId(), 0, 5000)).isEqualTo(data);
        assertThatThrownBy(() -> files().finish("nope", f, 1)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void identicalContentIsStoredOnceAcrossUsersAndUploads() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        byte[] data = bytes(50_000, 7);
        Upload first = upload("u1", ann, "c", data.length, SHA_A);
        Upload second = upload("u2", bob, "c", data.length, SHA_A);
        Upload third = upload("u3", ann, "d", data.length, SHA_A);
        appendAll(first, data, 20_000);
        appendAll(second, data, 7_000);
        appendAll(third, data, 50_000);
        StoredFile f1 = finish(first, "f1", SHA_A, data.length);
        StoredFile f2 = finish(second, "f2", SHA_A, data.length);
        StoredFile f3 = finish(third, "f3", SHA_A, data.length);
        assertThat(List.of(f1.blobId(), f2.blobId(), f3.blobId())).containsOnly(f1.blobId());
        assertThat(files().file("f2").orElseThrow().blobId()).isEqualTo(f1.blobId());
        purge();
        assertThat(files().storedBytes()).as("one copy").isEqualTo(data.length);
        assertThat(files().read(f2.blobId(), 0, data.length)).isEqualTo(data);
        // Each owner's quota still counts the files it posted.
        assertThat(files().quotaUsed(ann)).isEqualTo(2L * data.length);
        assertThat(files().quotaUsed(bob)).isEqualTo(data.length);
    }

    @Test
    void concurrentFinishesOfTheSameContentKeepOneCopy() throws Exception {
        long ann = account("ann").id();
        byte[] data = bytes(20_000, 3);
        List<Upload> uploads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Upload u = upload("u" + i, ann, "c" + i, data.length, SHA_B);
            appendAll(u, data, 20_000);
            uploads.add(u);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<StoredFile>> racers = new ArrayList<>();
        for (Upload u : uploads) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return finish(u, "f-" + u.id(), SHA_B, data.length);
            }));
        }
        go.countDown();
        Set<Long> blobs = new HashSet<>();
        for (var r : racers) {
            blobs.add(r.get().blobId());
        }
        assertThat(blobs).hasSize(1);
        purge();
        assertThat(files().storedBytes()).isEqualTo(data.length);
    }

    @Test
    void aScratchBlobCanBeTheContentAndTheUploadsOwnBytesGo() {
        long ann = account("ann").id();
        byte[] original = bytes(30_000, 1);
        byte[] rewritten = bytes(20_000, 2);
        Upload u = upload("up", ann, "c", original.length, SHA_A);
        appendAll(u, original, 30_000);
        long scratch = files().createBlob(1);
        files().appendBlob(scratch, 0, Arrays.copyOf(rewritten, 12_000));
        files().appendBlob(scratch, 12_000, Arrays.copyOfRange(rewritten, 12_000, 20_000));
        StoredFile f = files().finish("up", file("f", u, scratch, SHA_B, rewritten.length), 5);
        assertThat(f.blobId()).isEqualTo(scratch);
        assertThat(f.sha256()).isEqualTo(SHA_B);
        purge();
        assertThat(files().storedBytes()).isEqualTo(rewritten.length);
        assertThat(files().read(f.blobId(), 0, rewritten.length)).isEqualTo(rewritten);

        long unused = files().createBlob(1);
        files().appendBlob(unused, 0, bytes(100, 9));
        files().discardBlob(unused);
        purge();
        assertThat(files().storedBytes()).isEqualTo(rewritten.length);
    }

    @Test
    void discardingAnUploadFreesItsBytesQuotaAndClientId() {
        long ann = account("ann").id();
        Upload u = upload("up", ann, "c", 1000, SHA_A);
        appendAll(u, bytes(600, 1), 600);
        assertThat(files().quotaUsed(ann)).as("declared size of the open upload").isEqualTo(1000);
        assertThat(files().reservedBytes(null, 0)).isEqualTo(400);
        assertThat(files().reservedBytes("up", 0)).isZero();
        assertThat(files().discardUpload("up")).isTrue();
        assertThat(files().discardUpload("up")).isFalse();
        assertThat(files().upload("up")).isEmpty();
        assertThat(files().quotaUsed(ann)).isZero();
        purge();
        assertThat(files().storedBytes()).isZero();
        assertThat(upload("up-again", ann, "c", 10, SHA_A).received()).as("the client id is free again").isZero();
    }

    @Test
    void idleUploadsReserveNothingAndOpenUploadsAreCountedPerOwner() {
        long ann = account("ann").id();
        long bob = account("bob").id();
        upload("idle", ann, "c1", 1000, SHA_A); // started at 100, never written to
        Upload active = upload("active", ann, "c2", 500, SHA_A);
        assertThat(files().append(active.id(), 0, bytes(100, 1), 5000)).isEqualTo(100);
        Upload finished = upload("done", bob, "c3", 10, SHA_B);
        assertThat(files().append(finished.id(), 0, bytes(10, 2), 5000)).isEqualTo(10);
        finish(finished, "f", SHA_B, 10);

        assertThat(files().reservedBytes(null, 0)).isEqualTo(1400);
        assertThat(files().reservedBytes(null, 1000)).as("only uploads written to since then").isEqualTo(400);
        assertThat(files().reservedBytes("active", 1000)).isZero();
        assertThat(files().openUploads(ann)).isEqualTo(new FileStore.OpenUploads(2, 1500));
        assertThat(files().openUploads(bob)).isEqualTo(new FileStore.OpenUploads(0, 0));
    }

    @Test
    void aFinishedUploadCannotBeDiscarded() {
        long ann = account("ann").id();
        Upload u = upload("up", ann, "c", 3, SHA_A);
        appendAll(u, bytes(3, 1), 3);
        finish(u, "f", SHA_A, 3);
        assertThat(files().discardUpload("up")).isFalse();
        assertThat(files().file("f")).isPresent();
    }

    @Test
    void expiryDiscardsIdleOpenUploadsAndForgetsOldFinishedOnes() {
        long ann = account("ann").id();
        Upload idle = upload("idle", ann, "c1", 10, SHA_A);
        files().append("idle", 0, bytes(5, 1), 1000);
        Upload busy = upload("busy", ann, "c2", 10, SHA_A);
        files().append("busy", 0, bytes(5, 2), 5000);
        Upload done = upload("done", ann, "c3", 2, SHA_B);
        files().append("done", 0, bytes(2, 3), 1000);
        files().finish("done", file("f", done, done.blobId(), SHA_B, 2), 1000);
        long scratch = files().createBlob(1000);
        files().appendBlob(scratch, 0, bytes(7, 4));

        assertThat(files().expireUploads(2000, 500)).containsExactly("idle");
        assertThat(files().upload("idle")).isEmpty();
        assertThat(files().upload("busy")).isPresent();
        assertThat(files().upload("done")).as("finished recently enough").isPresent();
        purge();
        assertThat(files().storedBytes()).as("busy upload + the file").isEqualTo(5 + 2);

        assertThat(files().expireUploads(2000, 2000)).isEmpty();
        assertThat(files().upload("done")).isEmpty();
        assertThat(files().file("f")).as("the file stays").isPresent();
        assertThat(files().read(files().file("f").orElseThrow().blobId(), 0, 2)).isEqualTo(bytes(2, 3));
        assertThat(busy.id()).isEqualTo("busy");
        assertThat(idle.blobId()).isNotEqualTo(busy.blobId());
    }

    @Test
    void uploadsAndFilesSurviveAReopen() {
        long ann = account("ann").id();
        byte[] data = bytes(40_000, 5);
        Upload open = upload("open", ann, "c1", 100_000, SHA_A);
        appendAll(open, data, 10_000);
        Upload done = upload("done", ann, "c2", 10, SHA_B);
        appendAll(done, Arrays.copyOf(data, 10), 10);
        finish(done, "f", SHA_B, 10);
        reopen();
        Upload again = files().upload(ann, "c1").orElseThrow();
        assertThat(again.received()).isEqualTo(40_000);
        assertThat(files().read(again.blobId(), 0, 40_000)).isEqualTo(data);
        assertThat(files().append("open", 40_000, bytes(10, 1), 9)).isEqualTo(40_010);
        assertThat(files().file("f").orElseThrow().size()).isEqualTo(10);
        assertThat(files().upload("done").orElseThrow().fileId()).isEqualTo("f");
    }

    @Test
    void anUnknownFileIsEmptyAndUsableSpaceIsPositive() {
        assertThat(files().file("nope")).isEmpty();
        assertThat(files().quotaUsed(123)).isZero();
        assertThat(files().usableSpace()).isPositive();
        assertThat(files().storedBytes()).isZero();
    }

    @Test
    void anEmptyUploadFinishes() {
        long ann = account("ann").id();
        Upload u = upload("empty", ann, "c", 0, SHA_A);
        StoredFile f = finish(u, "f", SHA_A, 0);
        assertThat(files().read(f.blobId(), 0, 10)).isEmpty();
        assertThat(files().file("f").orElseThrow().size()).isZero();
    }
}
