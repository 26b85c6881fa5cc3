package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.SmallDisk;
import org.parley.server.files.FileStore.Upload;
import org.parley.server.common.StorageException;
import org.parley.server.common.StorageFullException;

/**
 * Upload chunks until the disk (a small tmpfs, root only; skipped elsewhere) is really full: the failing chunk is
 * reported as {@link StorageFullException}; after making room the same storage works again, holds exactly the
 * chunks it acknowledged, and the upload goes on from there, also after a reopen.
 */
class H2FileDiskFullTest {

    private static final int CHUNK = 256 * 1024;

    @RegisterExtension
    final SmallDisk disk = new SmallDisk("8m");

    private static byte[] chunk(int index) {
        byte[] b = new byte[CHUNK];
        new Random(index).nextBytes(b); // incompressible
        return b;
    }

    @Test
    void aFullDiskFailsTheChunkAndTheUploadResumesFromWhatWasAcknowledged() throws Exception {
        Path data = disk.path().resolve("data");
        long size = 64L * CHUNK;
        long acked = 0;
        StorageException failure = null;
        Upload u;
        H2Storage storage = H2Storage.open(data, true);
        try {
            u = storage.files().createUpload(new Upload("up", 1, "c", 1, "f", "application/octet-stream", size,
                    "0".repeat(64), false, 0, 0, "", 1, 1));
            for (int i = 0; acked < size && failure == null; i++) {
                try {
                    long held = storage.files().append("up", acked, chunk(i), 2);
                    assertThat(held).isEqualTo(acked + CHUNK);
                    acked = held;
                } catch (StorageException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("the disk filled up").isInstanceOf(StorageFullException.class);
            assertThat(acked).isPositive();

            // Room again: H2 closed the database when the write failed, but the pool drops the dead connection
            // and the next one reopens it, so the running storage recovers by itself after a failed call or two.
            assertThat(disk.grow("128m")).isTrue();
            Upload back = null;
            for (int attempt = 0; attempt < 40 && back == null; attempt++) {
                try {
                    back = storage.files().upload("up").orElseThrow();
                } catch (StorageException e) {
                    // a pooled connection of the closed database
                }
            }
            assertThat(back).as("the storage works again without a restart").isNotNull();
            assertThat(back.received()).isEqualTo(acked);
            assertThat(storage.files().append("up", acked, chunk((int) (acked / CHUNK)), 3)).isEqualTo(acked + CHUNK);
            acked += CHUNK;
        } finally {
            try {
                storage.close();
            } catch (RuntimeException ignored) {
                // a database that could not write may fail to close as well; the reopen below is what counts
            }
        }
        try (H2Storage reopened = H2Storage.open(data, true)) {
            Upload again = reopened.files().upload("up").orElseThrow();
            assertThat(again.received()).as("what was acknowledged, nothing of the failed chunk").isEqualTo(acked);
            for (int i = 0; i < acked / CHUNK; i++) {
                assertThat(reopened.files().read(u.blobId(), (long) i * CHUNK, CHUNK)).isEqualTo(chunk(i));
            }
            for (long at = acked; at < size; at += CHUNK) {
                assertThat(reopened.files().append("up", at, chunk((int) (at / CHUNK)), 3)).isEqualTo(at + CHUNK);
            }
            assertThat(reopened.files().read(u.blobId(), size - CHUNK, CHUNK)).isEqualTo(chunk(63));
        }
    }
}
