package org.parley.server.storage.h2;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import org.h2.value.ValueVarbinary;
import org.parley.server.storage.jdbc.Dialect;

/** H2's forms of the statements that differ: MERGE ... KEY, USE INDEX, a DELETE with FETCH FIRST, CHECKPOINT SYNC. */
final class H2Dialect implements Dialect {

    static final H2Dialect INSTANCE = new H2Dialect();

    private H2Dialect() {
    }

    @Override
    public String migrations() {
        return "h2";
    }

    @Override
    public String merge(String table, List<String> columns, List<String> key) {
        return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", key)
                + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
    }

    @Override
    public String useIndex(String index) {
        return " USE INDEX (" + index + ")";
    }

    @Override
    public String deleteSomeBlocks() {
        return "DELETE FROM blob_blocks WHERE blob_id = ? FETCH FIRST ? ROWS ONLY";
    }

    /** H2 keeps the array as the value: {@code setBytes} would copy it once more. */
    @Override
    public void bindBlock(PreparedStatement ps, int index, byte[] block) throws SQLException {
        ps.setObject(index, ValueVarbinary.getNoCopy(block));
    }

    @Override
    public String advanceLastSeq() {
        return "SELECT last_seq FROM FINAL TABLE (UPDATE conversations SET last_seq = last_seq + ? WHERE id = ?)";
    }

    @Override
    public String syncStatement() {
        return "CHECKPOINT SYNC";
    }
}
