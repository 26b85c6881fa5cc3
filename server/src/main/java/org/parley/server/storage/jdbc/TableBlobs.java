package org.parley.server.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * Blob content as rows of at most {@link #blockBytes()} bytes in {@code blob_blocks} (blob id, offset, bytes), in
 * the database beside the metadata. A chunk that fits in a block is stored as it came (one row, no copy); a larger
 * one is split. Durable when the database's commit is (PostgreSQL) or when it is synced (H2, by the caller).
 */
public final class TableBlobs implements BlobContent {

    /**
     * Largest block the schema takes ({@code blob_blocks.data}, V18) and so the largest {@link #setBlockBytes}: a
     * read that starts inside a block looks back at most this far for it, whatever block size wrote the blob.
     */
    public static final int MAX_BLOCK = 1 << 20;

    /** Block size until {@link #setBlockBytes} says otherwise: the chunk size, so a chunk is one row. */
    public static final int DEFAULT_BLOCK = 256 * 1024;

    private final Dialect dialect;
    private volatile int blockBytes = DEFAULT_BLOCK;

    public TableBlobs(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The largest block new content is written in (setting {@code file-block-kib}); blocks already stored keep
     * their size, and reads find blocks of any size up to {@link #MAX_BLOCK}.
     */
    public void setBlockBytes(int bytes) {
        if (bytes < 1024 || bytes > MAX_BLOCK) {
            throw new IllegalArgumentException("a block has 1 KiB to " + (MAX_BLOCK >> 10) + " KiB, not " + bytes
                    + " bytes");
        }
        blockBytes = bytes;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /**
     * Inserts the pieces as blocks of at most {@link #blockBytes()} bytes with one statement. A piece that fits in a
     * block is handed to the driver as it is; a larger one is split, each block copied out of it once. Through the
     * dialect, H2 keeps the array as it is ({@code setBytes} would copy it there). The rows commit with the
     * count, so there is never a tail to replace.
     */
    @Override
    public void write(Connection c, long blob, long offset, List<byte[]> pieces, boolean durable)
            throws SQLException {
        int blockSize = blockBytes;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO blob_blocks (blob_id, off, data) VALUES (?, ?, ?)")) {
            long at = offset;
            for (byte[] data : pieces) {
                for (int from = 0; from < data.length; from += blockSize) {
                    byte[] block = from == 0 && data.length <= blockSize ? data
                            : Arrays.copyOfRange(data, from, Math.min(data.length, from + blockSize));
                    ps.setLong(1, blob);
                    ps.setLong(2, at);
                    dialect.bindBlock(ps, 3, block);
                    ps.addBatch();
                    at += block.length;
                }
            }
            ps.executeBatch();
        }
    }

    @Override
    public int read(Jdbc jdbc, long blobId, long offset, byte[] out) {
        return jdbc.inTransaction(c -> read(c, blobId, offset, out));
    }

    /** {@link #read(Jdbc, long, long, byte[])} in the caller's transaction. */
    int read(Connection c, long blobId, long offset, byte[] out) throws SQLException {
        // Reads mostly start where a block does (a download asks from where its last chunk ended): from there.
        int filled = readBlocks(c, blobId, offset, offset, out);
        if (filled == 0) {
            // Inside a block (or past the end): the block that holds the offset starts less than MAX_BLOCK before
            // it. Found in the index alone, so the blocks before are not read.
            long start = Jdbc.query(c, "SELECT MAX(off) FROM blob_blocks WHERE blob_id = ? AND off > ? "
                    + "AND off < ?", ps -> {
                        ps.setLong(1, blobId);
                        ps.setLong(2, offset - MAX_BLOCK);
                        ps.setLong(3, offset);
                    }, rs -> {
                        long off = rs.getLong(1);
                        return rs.wasNull() ? -1L : off;
                    }).get(0);
            if (start >= 0) {
                filled = readBlocks(c, blobId, start, offset, out);
            }
        }
        return filled;
    }

    /** Copies the blocks from the one at {@code from} on into {@code out}, which starts at {@code offset}. */
    private static int readBlocks(Connection c, long blobId, long from, long offset, byte[] out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT off, data FROM blob_blocks WHERE blob_id = ? "
                + "AND off >= ? AND off < ? ORDER BY blob_id, off")) {
            ps.setLong(1, blobId);
            ps.setLong(2, from);
            ps.setLong(3, offset + out.length);
            try (ResultSet rs = ps.executeQuery()) {
                return copyBlocks(rs, offset, out);
            }
        }
    }

    /** Copies the blocks {@code rs} finds (in order) into {@code out} from {@code offset}; returns bytes copied. */
    private static int copyBlocks(ResultSet rs, long offset, byte[] out) throws SQLException {
        int length = out.length;
        int filled = 0;
        try {
            while (rs.next()) {
                long off = rs.getLong(1);
                // H2 streams the stored value itself (getBytes would copy each block once more); PostgreSQL's
                // driver gives a stream over the bytes it decoded.
                InputStream data = rs.getBinaryStream(2);
                int blockLength = data.available();
                if (off + blockLength <= offset) {
                    continue; // ends before the range
                }
                if (off > offset + filled) {
                    break; // a gap: nothing is stored there
                }
                int from = (int) (offset + filled - off);
                int n = Math.min(blockLength - from, length - filled);
                data.skipNBytes(from);
                data.readNBytes(out, filled, n);
                filled += n;
            }
        } catch (IOException e) {
            throw new SQLException("reading a block: " + e.getMessage(), e); // an in-memory stream: never
        }
        return filled;
    }

    @Override
    public void force(long blobId) {
        // synced with the database
    }

    @Override
    public int purge(Connection c, long blobId, int budget) throws SQLException {
        return Jdbc.update(c, dialect.deleteSomeBlocks(), ps -> {
            ps.setLong(1, blobId);
            ps.setInt(2, budget);
        });
    }

    @Override
    public boolean inDatabase() {
        return true;
    }

    /** Counts the blocks themselves (a scan). */
    @Override
    public long storedBytes(Jdbc jdbc) {
        return jdbc.queryOne("SELECT COALESCE(SUM(OCTET_LENGTH(data)), 0) FROM blob_blocks", ps -> {
        }, rs -> rs.getLong(1)).orElse(0L);
    }
}
