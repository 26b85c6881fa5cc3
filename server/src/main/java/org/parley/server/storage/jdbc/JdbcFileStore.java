package org.parley.server.storage.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.parley.server.files.FileStore;
import org.parley.server.common.DuplicateKeyException;
import org.parley.server.common.StorageException;

/**
 * Files: uploads, files and blobs as rows; the blobs' bytes where its {@link BlobContent} keeps them: rows of
 * {@code blob_blocks} ({@link TableBlobs}: PostgreSQL) or files in the data directory ({@link DiskBlobs}: embedded
 * H2). An upload's bytes are written before the transaction that counts them commits. On H2, chunks in the table
 * are committed (so written to the operating system, WRITE_DELAY=0) but not forced to the device one by one, a
 * finished file is; chunks in files are forced before their count commits (with fsync on). On PostgreSQL every
 * commit is durable by the database's own settings. See docs/decisions/file-storage.md and postgresql-storage.md.
 */
public final class JdbcFileStore implements FileStore {

    /** Largest block the schema takes: {@link TableBlobs#MAX_BLOCK}. */
    public static final int MAX_BLOCK = TableBlobs.MAX_BLOCK;

    /** Block size of content in the table until {@link #setBlockBytes} says otherwise. */
    public static final int DEFAULT_BLOCK = TableBlobs.DEFAULT_BLOCK;

    /**
     * Bytes of chunks written to the database file without a sync after which one is forced anyway (when fsync is
     * on): every message batch forces the whole database file, and it should not have to flush a gigabyte of
     * someone's upload first. (Content in files is forced as it is written.)
     */
    static final long SYNC_EVERY_BYTES = 16L << 20;

    private static final int OPEN = 0;
    private static final int STORED = 1;
    private static final int DISCARDED = 2;
    private static final int MAX_ATTEMPTS = 3;
    private static final String UPLOAD_COLUMNS = "id, owner_id, client_upload_id, conversation_id, name, media_type, "
            + "size, sha256, keep_metadata, blob_id, received, file_id, created_at, updated_at";
    private static final String FILE_COLUMNS = "id, conversation_id, owner_id, blob_id, name, media_type, size, "
            + "sha256, width, height, duration_ms, thumbnail, created_at";

    private final Jdbc jdbc;
    private final boolean fsync;
    public volatile org.parley.server.storage.StorageMetrics metrics = org.parley.server.storage.StorageMetrics.NONE;
    private final Path dataDir;
    private final AtomicLong unsynced = new AtomicLong();
    private volatile java.nio.file.FileStore disk;
    private final TableBlobs table;
    private final BlobContent content;

    /** Content in the database ({@link TableBlobs}). */
    public JdbcFileStore(Jdbc jdbc, boolean fsync, Path dataDir) {
        this(jdbc, fsync, dataDir, false);
    }

    /**
     * @param contentOnDisk whether new content goes to files under {@code dataDir} ({@link DiskBlobs}, which also
     *        reads what is in the table) rather than into the table
     */
    public JdbcFileStore(Jdbc jdbc, boolean fsync, Path dataDir, boolean contentOnDisk) {
        this.jdbc = jdbc;
        this.fsync = fsync;
        this.dataDir = dataDir;
        this.table = new TableBlobs(jdbc.dialect());
        this.content = contentOnDisk ? new DiskBlobs(dataDir, table) : table;
    }

    /**
     * The largest block new content in the table is written in (setting {@code file-block-kib}); blocks already
     * stored keep their size, and reads find blocks of any size up to {@link #MAX_BLOCK}.
     */
    public void setBlockBytes(int bytes) {
        table.setBlockBytes(bytes);
    }

    public int blockBytes() {
        return table.blockBytes();
    }

    /** Where the content is kept. */
    public BlobContent content() {
        return content;
    }

    private static Upload upload(ResultSet rs) throws SQLException {
        String fileId = rs.getString(12);
        return new Upload(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getString(8), rs.getBoolean(9), rs.getLong(10), rs.getLong(11),
                fileId == null ? "" : fileId, rs.getLong(13), rs.getLong(14));
    }

    private static StoredFile file(ResultSet rs) throws SQLException {
        byte[] thumbnail = rs.getBytes(12);
        return new StoredFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getLong(11),
                thumbnail == null ? new byte[0] : thumbnail, rs.getLong(13));
    }

    @Override
    public Upload createUpload(Upload u) {
        return jdbc.inTransaction(c -> {
            long blob = insertBlob(c, u.createdAt());
            Jdbc.update(c, "INSERT INTO uploads (" + UPLOAD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, "
                    + "NULL, ?, ?)", ps -> {
                        ps.setString(1, u.id());
                        ps.setLong(2, u.ownerId());
                        ps.setString(3, u.clientUploadId());
                        ps.setLong(4, u.conversationId());
                        ps.setString(5, u.name());
                        ps.setString(6, u.mediaType());
                        ps.setLong(7, u.size());
                        ps.setString(8, u.sha256());
                        ps.setBoolean(9, u.keepMetadata());
                        ps.setLong(10, blob);
                        ps.setLong(11, u.createdAt());
                        ps.setLong(12, u.createdAt());
                    });
            return new Upload(u.id(), u.ownerId(), u.clientUploadId(), u.conversationId(), u.name(), u.mediaType(),
                    u.size(), u.sha256(), u.keepMetadata(), blob, 0, "", u.createdAt(), u.createdAt());
        });
    }

    private static long insertBlob(Connection c, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs (state, created_at) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, OPEN);
            ps.setLong(2, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    @Override
    public Optional<Upload> upload(String uploadId) {
        return jdbc.queryOne("SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE id = ?", ps -> ps.setString(1,
                uploadId), JdbcFileStore::upload);
    }

    @Override
    public Optional<Upload> upload(long ownerId, String clientUploadId) {
        return jdbc.queryOne("SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE owner_id = ? AND client_upload_id = ?",
                ps -> {
                    ps.setLong(1, ownerId);
                    ps.setString(2, clientUploadId);
                }, JdbcFileStore::upload);
    }

    @Override
    public long append(String uploadId, long offset, List<byte[]> pieces, long now) {
        long length = 0;
        for (byte[] p : pieces) {
            length += p.length;
        }
        long end = offset + length;
        long held = jdbc.inTransaction(c -> {
            List<long[]> rows = Jdbc.query(c, "SELECT blob_id, received, size FROM uploads WHERE id = ? AND file_id "
                    + "IS NULL FOR UPDATE", ps -> ps.setString(1, uploadId),
                    rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
            if (rows.isEmpty()) {
                return -1L;
            }
            long blob = rows.get(0)[0];
            long received = rows.get(0)[1];
            if (received != offset || end > rows.get(0)[2]) {
                return received;
            }
            content.write(c, blob, offset, pieces, fsync);
            Jdbc.update(c, "UPDATE uploads SET received = ?, updated_at = ? WHERE id = ?", ps -> {
                ps.setLong(1, end);
                ps.setLong(2, now);
                ps.setString(3, uploadId);
            });
            return end;
        });
        if (held == end) {
            syncNowAndThen(length);
        }
        return held;
    }

    private void syncNowAndThen(long written) {
        if (fsync && content.inDatabase() && unsynced.addAndGet(written) >= SYNC_EVERY_BYTES) {
            unsynced.set(0);
            sync();
        }
    }

    @Override
    public long createBlob(long now) {
        return jdbc.inTransaction(c -> insertBlob(c, now));
    }

    @Override
    public void appendBlob(long blobId, long offset, byte[] data) {
        jdbc.inTransaction(c -> {
            content.write(c, blobId, offset, List.of(data), false); // forced when it becomes content
            return null;
        });
        syncNowAndThen(data.length);
    }

    @Override
    public byte[] read(long blobId, long offset, int length) {
        if (length <= 0 || offset < 0) {
            return new byte[0];
        }
        byte[] out = new byte[length];
        int filled = content.read(jdbc, blobId, offset, out);
        return filled == length ? out : Arrays.copyOf(out, filled);
    }

    @Override
    public StoredFile finish(String uploadId, StoredFile file, long now) {
        if (fsync) {
            content.force(file.blobId()); // before the commit that makes it a file's content
        }
        StoredFile stored;
        for (int attempt = 1;; attempt++) {
            try {
                stored = jdbc.inTransaction(c -> finishInTransaction(c, uploadId, file, now));
                break;
            } catch (DuplicateKeyException raced) {
                // Another upload stored the same content between our look-up and our update: this transaction
                // was rolled back, and running it again finds that blob and points at it.
                if (attempt == MAX_ATTEMPTS) {
                    throw raced;
                }
            }
        }
        if (fsync) {
            sync();
        }
        return stored;
    }

    private StoredFile finishInTransaction(Connection c, String uploadId, StoredFile file, long now)
            throws SQLException {
        Upload u = Jdbc.query(c, "SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE id = ? FOR UPDATE",
                ps -> ps.setString(1, uploadId), JdbcFileStore::upload).stream().findFirst()
                .orElseThrow(() -> new NoSuchElementException("no upload " + uploadId));
        if (u.finished()) {
            return Jdbc.query(c, "SELECT " + FILE_COLUMNS + " FROM files WHERE id = ?", ps -> ps.setString(1,
                    u.fileId()), JdbcFileStore::file).stream().findFirst()
                    .orElseThrow(() -> new StorageException("upload " + uploadId + " names a missing file"));
        }
        List<Long> same = Jdbc.query(c, "SELECT id FROM blobs WHERE sha256 = ? AND state = " + STORED,
                ps -> ps.setString(1, file.sha256()), rs -> rs.getLong(1));
        long blob;
        if (!same.isEmpty()) {
            blob = same.get(0);
            setState(c, file.blobId(), DISCARDED);
        } else {
            blob = file.blobId();
            Jdbc.update(c, "UPDATE blobs SET state = " + STORED + ", sha256 = ?, size = ? WHERE id = ?", ps -> {
                ps.setString(1, file.sha256());
                ps.setLong(2, file.size());
                ps.setLong(3, blob);
            });
        }
        if (u.blobId() != blob && u.blobId() != file.blobId()) {
            setState(c, u.blobId(), DISCARDED);
        }
        StoredFile f = new StoredFile(file.id(), file.conversationId(), file.ownerId(), blob, file.name(),
                file.mediaType(), file.size(), file.sha256(), file.width(), file.height(), file.durationMillis(),
                file.thumbnail(), now);
        Jdbc.update(c, "INSERT INTO files (" + FILE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, f.id());
                    ps.setLong(2, f.conversationId());
                    ps.setLong(3, f.ownerId());
                    ps.setLong(4, f.blobId());
                    ps.setString(5, f.name());
                    ps.setString(6, f.mediaType());
                    ps.setLong(7, f.size());
                    ps.setString(8, f.sha256());
                    ps.setInt(9, f.width());
                    ps.setInt(10, f.height());
                    ps.setLong(11, f.durationMillis());
                    ps.setBytes(12, f.thumbnail().length == 0 ? null : f.thumbnail());
                    ps.setLong(13, f.createdAt());
                });
        Jdbc.update(c, "UPDATE uploads SET file_id = ?, updated_at = ? WHERE id = ?", ps -> {
            ps.setString(1, f.id());
            ps.setLong(2, now);
            ps.setString(3, uploadId);
        });
        return f;
    }

    private static void setState(Connection c, long blobId, int state) throws SQLException {
        Jdbc.update(c, "UPDATE blobs SET state = ? WHERE id = ?", ps -> {
            ps.setInt(1, state);
            ps.setLong(2, blobId);
        });
    }

    /**
     * Deletes the files and uploads of a conversation (within the caller's transaction): open uploads' blobs, and
     * the stored blobs the deleted files used that no other file uses, are discarded (purged in the background).
     */
    static void deleteFilesOf(Connection c, long conversationId) throws SQLException {
        Jdbc.Binder id = ps -> ps.setLong(1, conversationId);
        Jdbc.update(c, "UPDATE blobs SET state = " + DISCARDED + " WHERE id IN (SELECT blob_id FROM uploads "
                + "WHERE conversation_id = ? AND file_id IS NULL)", id);
        Jdbc.update(c, "DELETE FROM uploads WHERE conversation_id = ?", id);
        List<Long> blobs = Jdbc.query(c, "SELECT DISTINCT blob_id FROM files WHERE conversation_id = ?", id,
                rs -> rs.getLong(1));
        Jdbc.update(c, "DELETE FROM files WHERE conversation_id = ?", id);
        for (long blob : blobs) {
            Jdbc.update(c, "UPDATE blobs b SET state = " + DISCARDED + " WHERE id = ? AND state = " + STORED
                    + " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.blob_id = b.id)", ps -> ps.setLong(1, blob));
        }
    }

    /**
     * Deletes files (a deleted message's), in the caller's transaction: they no longer count against their owner's
     * quota, and their content is discarded (purged in the background) when no other file uses it.
     */
    static void deleteFiles(Connection c, java.util.Collection<String> fileIds) throws SQLException {
        for (String fileId : fileIds) {
            Jdbc.Binder id = ps -> ps.setString(1, fileId);
            List<Long> blob = Jdbc.query(c, "SELECT blob_id FROM files WHERE id = ?", id, rs -> rs.getLong(1));
            Jdbc.update(c, "DELETE FROM files WHERE id = ?", id);
            for (long b : blob) {
                Jdbc.update(c, "UPDATE blobs b SET state = " + DISCARDED + " WHERE id = ? AND state = " + STORED
                        + " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.blob_id = b.id)", ps -> ps.setLong(1, b));
            }
        }
    }

    @Override
    public boolean discardUpload(String uploadId) {
        return jdbc.inTransaction(c -> {
            List<Long> blob = Jdbc.query(c, "SELECT blob_id FROM uploads WHERE id = ? AND file_id IS NULL FOR UPDATE",
                    ps -> ps.setString(1, uploadId), rs -> rs.getLong(1));
            if (blob.isEmpty()) {
                return false;
            }
            setState(c, blob.get(0), DISCARDED);
            Jdbc.update(c, "DELETE FROM uploads WHERE id = ?", ps -> ps.setString(1, uploadId));
            return true;
        });
    }

    @Override
    public void discardBlob(long blobId) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "UPDATE blobs SET state = " + DISCARDED + " WHERE id = ? AND state = " + OPEN,
                    ps -> ps.setLong(1, blobId));
            return null;
        });
    }

    @Override
    public boolean purgeDiscarded(long maxBytes) {
        int maxBlocks = (int) Math.max(1, Math.min(100_000, maxBytes / table.blockBytes()));
        return jdbc.inTransaction(c -> {
            List<Long> blobs = Jdbc.query(c, "SELECT id FROM blobs WHERE state = " + DISCARDED
                    + " FETCH FIRST 16 ROWS ONLY", ps -> {
                    }, rs -> rs.getLong(1));
            int budget = maxBlocks;
            for (long blob : blobs) {
                int limit = budget;
                int deleted = content.purge(c, blob, limit);
                if (deleted == limit) {
                    return true; // the budget is spent; this blob may have more blocks
                }
                budget -= deleted;
                Jdbc.update(c, "DELETE FROM blobs WHERE id = ?", ps -> ps.setLong(1, blob));
            }
            return blobs.size() == 16;
        });
    }

    @Override
    public List<String> expireUploads(long openBefore, long finishedBefore) {
        return jdbc.inTransaction(c -> {
            List<String> ids = Jdbc.query(c, "SELECT id FROM uploads WHERE file_id IS NULL AND updated_at < ?",
                    ps -> ps.setLong(1, openBefore), rs -> rs.getString(1));
            Jdbc.update(c, "UPDATE blobs SET state = " + DISCARDED + " WHERE id IN (SELECT blob_id FROM uploads "
                    + "WHERE file_id IS NULL AND updated_at < ?)", ps -> ps.setLong(1, openBefore));
            Jdbc.update(c, "DELETE FROM uploads WHERE file_id IS NULL AND updated_at < ?",
                    ps -> ps.setLong(1, openBefore));
            Jdbc.update(c, "DELETE FROM uploads WHERE file_id IS NOT NULL AND updated_at < ?",
                    ps -> ps.setLong(1, finishedBefore));
            // Scratch blobs of a finish that never completed (the server stopped in between).
            Jdbc.update(c, "UPDATE blobs b SET state = " + DISCARDED + " WHERE state = " + OPEN
                    + " AND created_at < ? AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.blob_id = b.id)",
                    ps -> ps.setLong(1, openBefore));
            return ids;
        });
    }

    @Override
    public Optional<StoredFile> file(String fileId) {
        return jdbc.queryOne("SELECT " + FILE_COLUMNS + " FROM files WHERE id = ?", ps -> ps.setString(1, fileId),
                JdbcFileStore::file);
    }

    @Override
    public long quotaUsed(long ownerId) {
        return jdbc.queryOne("SELECT (SELECT COALESCE(SUM(size), 0) FROM files WHERE owner_id = ?) + "
                + "(SELECT COALESCE(SUM(size), 0) FROM uploads WHERE owner_id = ? AND file_id IS NULL)", ps -> {
                    ps.setLong(1, ownerId);
                    ps.setLong(2, ownerId);
                }, rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public long reservedBytes(String exceptUploadId, long activeSince) {
        // uploads_open (V4) holds (file_id, updated_at): a range of the index, not a scan of every upload ever made.
        return jdbc.queryOne("SELECT COALESCE(SUM(size - received), 0) FROM uploads WHERE file_id IS NULL "
                + "AND updated_at >= ? AND id <> ?", ps -> {
                    ps.setLong(1, activeSince);
                    ps.setString(2, exceptUploadId == null ? "" : exceptUploadId);
                }, rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public OpenUploads openUploads(long ownerId) {
        return jdbc.queryOne("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM uploads WHERE owner_id = ? "
                + "AND file_id IS NULL", ps -> ps.setLong(1, ownerId),
                rs -> new OpenUploads(rs.getInt(1), rs.getLong(2))).orElse(new OpenUploads(0, 0));
    }

    /** Counts the content itself (a scan: meant for tests and diagnostics, not for a request path). */
    @Override
    public long storedBytes() {
        return content.storedBytes(jdbc);
    }

    @Override
    public long usableSpace() {
        if (dataDir == null) {
            return Long.MAX_VALUE; // the database is elsewhere: its own disk-full errors are what tell
        }
        try {
            java.nio.file.FileStore disk = this.disk;
            if (disk == null) {
                // Finding the file system scans the mount table; asking it for free space is one system call.
                disk = Files.getFileStore(dataDir);
                this.disk = disk;
            }
            return disk.getUsableSpace();
        } catch (IOException e) {
            throw new StorageException("cannot tell the free space of " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Forces everything committed so far to the device. */
    private void sync() {
        long start = System.nanoTime();
        if (jdbc.sync()) {
            metrics.synced(System.nanoTime() - start);
        }
    }
}
