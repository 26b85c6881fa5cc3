package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Where {@link JdbcFileStore} keeps the bytes of its blobs; the blobs themselves (state, SHA-256, size) and the
 * uploads are rows either way. {@link TableBlobs}: rows of {@code blob_blocks} in the same database (PostgreSQL,
 * where several nodes share it). {@link DiskBlobs}: one file per blob in the data directory (embedded H2), reading
 * blobs an older version stored as rows from there. See docs/decisions/file-storage.md.
 */
public interface BlobContent {

    /**
     * Writes consecutive {@code pieces} at {@code offset} of a blob, inside the caller's transaction {@code c}, which
     * commits how many bytes the blob holds afterwards: whatever the blob held from {@code offset} on (a tail a
     * crash left) is replaced. With {@code durable}, the bytes are on the device when this returns (before the
     * commit that counts them). The caller hands the arrays over.
     */
    void write(Connection c, long blobId, long offset, List<byte[]> pieces, boolean durable) throws SQLException;

    /** Copies the blob's bytes from {@code offset} into {@code out}; returns how many there were (fewer at its end). */
    int read(Jdbc jdbc, long blobId, long offset, byte[] out);

    /** Forces a blob's bytes written without {@code durable} to the device (before a commit makes it content). */
    void force(long blobId);

    /**
     * Deletes some of a discarded blob's bytes, in the caller's transaction: at most {@code budget} rows' worth.
     * Returns how much of the budget it used; the blob may hold more when that is the whole budget.
     */
    int purge(Connection c, long blobId, int budget) throws SQLException;

    /** Whether the bytes are in the database file itself (so that syncing it also syncs them). */
    boolean inDatabase();

    /** Bytes held (a scan: for tests and diagnostics). */
    long storedBytes(Jdbc jdbc);
}
