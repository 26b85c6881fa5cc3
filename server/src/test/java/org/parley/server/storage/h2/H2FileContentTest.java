package org.parley.server.storage.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.files.FileStore.StoredFile;
import org.parley.server.files.FileStore.Upload;
import org.parley.server.ops.Backups;
import org.parley.server.storage.jdbc.DiskBlobs;

/**
 * H2 keeps file content as files in the data directory ({@link DiskBlobs}), the database only the metadata; what an
 * older version stored in {@code blob_blocks} stays readable there (docs/decisions/file-storage.md).
 */
class H2FileContentTest {

    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Upload upload(H2Storage s, String id, long size) {
        return s.files().createUpload(new Upload(id, 1, "c-" + id, 7, "f.bin", "application/octet-stream", size,
                "a".repeat(64), false, 0, 0, "", 100, 100));
    }

    private static StoredFile file(String id, Upload u, String sha) {
        return new StoredFile(id, 7, 1, u.blobId(), "f.bin", "application/octet-stream", u.size(), sha, 0, 0, 0,
                new byte[0], 0);
    }

    private static DiskBlobs disk(H2Storage s) {
        return (DiskBlobs) s.fileContent();
    }

    private static long count(H2Storage s, String sql) {
        return s.jdbc().queryOne(sql, ps -> {
        }, rs -> rs.getLong(1)).orElseThrow();
    }

    @Test
    void chunksGoToAFileOfTheirOwnNotToTheDatabaseAndThePurgeDeletesIt() throws Exception {
        byte[] content = bytes(5 * CHUNK + 17, 1);
        try (H2Storage s = H2Storage.open(dir, true)) {
            Upload u = upload(s, "up", content.length);
            for (int at = 0; at < content.length; at += CHUNK) {
                byte[] piece = Arrays.copyOfRange(content, at, Math.min(content.length, at + CHUNK));
                assertThat(s.files().append("up", at, piece, 200)).isEqualTo(at + piece.length);
            }
            Path file = disk(s).path(u.blobId());
            assertThat(file).startsWith(dir.resolve("files"));
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            assertThat(count(s, "SELECT COUNT(*) FROM blob_blocks")).as("no rows of content").isZero();
            assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            assertThat(s.files().storedBytes()).isEqualTo(content.length);
            assertThat(s.files().read(u.blobId(), CHUNK - 5, 10)).isEqualTo(Arrays.copyOfRange(content, CHUNK - 5,
                    CHUNK + 5));

            // A second upload of the same content: one file is kept, the duplicate's is purged.
            Upload twin = upload(s, "twin", content.length);
            assertThat(s.files().append("twin", 0, content.clone(), 200)).isEqualTo(content.length);
            StoredFile first = s.files().finish("up", file("f1", u, "c".repeat(64)), 300);
            StoredFile second = s.files().finish("twin", file("f2", twin, "c".repeat(64)), 300);
            assertThat(second.blobId()).isEqualTo(first.blobId()).isEqualTo(u.blobId());
            while (s.files().purgeDiscarded(1 << 20)) {
                // until nothing is left to purge
            }
            assertThat(disk(s).path(twin.blobId())).doesNotExist();
            assertThat(file).exists();
            assertThat(s.files().storedBytes()).isEqualTo(content.length);
        }
        try (H2Storage reopened = H2Storage.open(dir, true)) {
            StoredFile f = reopened.files().file("f2").orElseThrow();
            assertThat(reopened.files().read(f.blobId(), 0, content.length + 10)).isEqualTo(content);
        }
    }

    /**
     * A crash between writing a chunk and committing its count leaves bytes in the file that nothing counts: the
     * count is what holds, and the next chunk replaces that tail.
     */
    @Test
    void aTailNobodyCountedIsReplacedByTheNextChunk() throws Exception {
        byte[] first = bytes(CHUNK, 2);
        byte[] second = bytes(CHUNK, 3);
        Path file;
        try (H2Storage s = H2Storage.open(dir, true)) {
            Upload u = upload(s, "up", 3L * CHUNK);
            assertThat(s.files().append("up", 0, first, 200)).isEqualTo(CHUNK);
            file = disk(s).path(u.blobId());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(bytes(CHUNK + 100, 4))); // as a killed server may leave it
        }
        try (H2Storage s = H2Storage.open(dir, true)) {
            Upload u = s.files().upload("up").orElseThrow();
            assertThat(u.received()).isEqualTo(CHUNK);
            assertThat(s.files().append("up", CHUNK + 100, second, 300)).as("only where the count ends")
                    .isEqualTo(CHUNK);
            assertThat(s.files().append("up", CHUNK, second, 300)).isEqualTo(2L * CHUNK);
            assertThat(Files.size(file)).isEqualTo(2L * CHUNK);
            assertThat(s.files().read(u.blobId(), 0, 3 * CHUNK)).isEqualTo(concat(first, second));
        }
    }

    /**
     * A data directory of an older version keeps its content in {@code blob_blocks}: a stored file stays readable,
     * an open upload goes on where it is, and new uploads go to files.
     */
    @Test
    void contentAnOlderVersionStoredInTheDatabaseStaysReadableAndItsUploadGoesOn() throws Exception {
        byte[] old = bytes(3 * CHUNK, 5);
        byte[] more = bytes(CHUNK, 6);
        try (H2Storage s = H2Storage.open(dir, true)) {
            // nothing yet: the schema is made
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("parley"), "parley", "");
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO blobs (id, state, sha256, size, created_at) VALUES (1001, 1, '" + "d".repeat(64)
                    + "', " + old.length + ", 0)");
            st.execute("INSERT INTO blobs (id, state, created_at) VALUES (1002, 0, 0)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO blob_blocks (blob_id, off, data) "
                    + "VALUES (?, ?, ?)")) {
                for (long blob : new long[] {1001, 1002}) {
                    for (int at = 0; at < old.length; at += 16 * 1024) { // 16 KiB blocks, as before V18
                        ps.setLong(1, blob);
                        ps.setLong(2, at);
                        ps.setBytes(3, Arrays.copyOfRange(old, at, at + 16 * 1024));
                        ps.executeUpdate();
                    }
                }
            }
            st.execute("INSERT INTO files (id, conversation_id, owner_id, blob_id, name, media_type, size, sha256, "
                    + "width, height, duration_ms, created_at) VALUES ('old', 7, 1, 1001, 'f.bin', "
                    + "'application/octet-stream', " + old.length + ", '" + "d".repeat(64) + "', 0, 0, 0, 0)");
            st.execute("INSERT INTO uploads (id, owner_id, client_upload_id, conversation_id, name, media_type, size, "
                    + "sha256, keep_metadata, blob_id, received, file_id, created_at, updated_at) VALUES ('open', 1, "
                    + "'c-open', 7, 'f.bin', 'application/octet-stream', " + (old.length + more.length) + ", '"
                    + "e".repeat(64) + "', FALSE, 1002, " + old.length + ", NULL, 0, 0)");
        }
        try (H2Storage s = H2Storage.open(dir, true)) {
            StoredFile f = s.files().file("old").orElseThrow();
            assertThat(s.files().read(f.blobId(), 0, old.length)).isEqualTo(old);
            assertThat(s.files().read(f.blobId(), 20_000, 100)).isEqualTo(Arrays.copyOfRange(old, 20_000, 20_100));
            assertThat(disk(s).path(1001)).doesNotExist();

            assertThat(s.files().append("open", old.length, more, 200)).isEqualTo(old.length + more.length);
            assertThat(s.files().read(1002, 0, old.length + more.length)).isEqualTo(concat(old, more));
            Upload open = s.files().upload("open").orElseThrow();
            StoredFile done = s.files().finish("open", file("done", open, "e".repeat(64)), 300);
            assertThat(s.files().read(done.blobId(), 0, old.length + more.length)).isEqualTo(concat(old, more));

            Upload fresh = upload(s, "fresh", CHUNK);
            assertThat(s.files().append("fresh", 0, more.clone(), 200)).isEqualTo(CHUNK);
            assertThat(disk(s).path(fresh.blobId())).exists();

            // Discarding the old content deletes its rows as before.
            s.jdbc().update("UPDATE blobs SET state = 2 WHERE id = 1002", ps -> {
            });
            while (s.files().purgeDiscarded(1 << 20)) {
                // until nothing is left to purge
            }
            assertThat(count(s, "SELECT COUNT(*) FROM blob_blocks WHERE blob_id = 1002")).isZero();
            assertThat(count(s, "SELECT COUNT(*) FROM blob_blocks WHERE blob_id = 1001")).isEqualTo(old.length
                    / (16 * 1024));
        }
    }

    /** A backup holds the files' content, and a restored data directory serves it. */
    @Test
    void aBackupCarriesTheFilesAndARestoreServesThem() throws Exception {
        byte[] content = bytes(2 * CHUNK + 3, 7);
        byte[] partial = bytes(CHUNK, 8);
        Path zip = dir.resolve("backup.zip");
        long blob;
        try (H2Storage s = H2Storage.open(dir.resolve("data"), true)) {
            Upload u = upload(s, "up", content.length);
            assertThat(s.files().append("up", 0, content.clone(), 200)).isEqualTo(content.length);
            blob = s.files().finish("up", file("f", u, "c".repeat(64)), 300).blobId();
            upload(s, "open", 2L * CHUNK);
            assertThat(s.files().append("open", 0, partial.clone(), 200)).isEqualTo(CHUNK);
            s.backup(zip);
        }
        Backups.restore(zip, dir.resolve("restored"));
        try (H2Storage r = H2Storage.open(dir.resolve("restored"), true)) {
            assertThat(r.files().read(r.files().file("f").orElseThrow().blobId(), 0, content.length))
                    .isEqualTo(content);
            assertThat(r.files().read(blob, 0, content.length)).isEqualTo(content);
            Upload open = r.files().upload("open").orElseThrow();
            assertThat(open.received()).isEqualTo(CHUNK);
            assertThat(r.files().append("open", CHUNK, partial.clone(), 300)).as("the upload goes on")
                    .isEqualTo(2L * CHUNK);
            assertThat(r.files().read(open.blobId(), 0, 2 * CHUNK)).isEqualTo(concat(partial, partial));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
