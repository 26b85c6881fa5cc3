package org.parley.server.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the SQL databases the JDBC stores run on: the few statements that have no standard form both
 * H2 and PostgreSQL accept, and where the adapter's schema scripts are. Everything else the stores say is written
 * once, in SQL both accept. An implementation holds no state.
 */
public interface Dialect {

    /** The folder of the adapter's schema scripts under {@code db/} on the class path ({@code h2}, {@code postgresql}). */
    String migrations();

    /**
     * An insert of {@code columns} (one {@code ?} each, in order) that, when a row with the same {@code key} exists,
     * sets that row's other columns instead (and does nothing when every column is part of the key).
     */
    String merge(String table, List<String> columns, List<String> key);

    /**
     * What follows a table's alias in a FROM clause to make the optimizer use {@code index} (H2 picks by statistics
     * that once made it scan a whole table; "" where the planner needs no hint).
     */
    String useIndex(String index);

    /**
     * Deletes at most {@code ?}(2) rows of blob {@code ?}(1) from {@code blob_blocks}: the background purge's
     * bounded step.
     */
    String deleteSomeBlocks();

    /** Binds a block of file content that the caller will not touch again (H2 can keep it without a copy). */
    default void bindBlock(PreparedStatement ps, int index, byte[] block) throws SQLException {
        ps.setBytes(index, block);
    }

    /**
     * A query that adds {@code ?}(1) to the {@code last_seq} of conversation {@code ?}(2), locking its row until the
     * transaction ends, and returns the new {@code last_seq} (no row: the conversation does not exist).
     */
    String advanceLastSeq();

    /**
     * The statement that forces everything committed so far to the device, or null when every commit already is
     * (PostgreSQL with its own {@code fsync} and {@code synchronous_commit} on).
     */
    String syncStatement();
}
