package org.parley.server.storage.postgresql;

import java.util.List;

import org.parley.server.storage.jdbc.Dialect;

/** PostgreSQL's forms: INSERT ... ON CONFLICT, no index hints, a DELETE bounded through ctid, no sync statement. */
final class PostgresDialect implements Dialect {

    static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public String migrations() {
        return "postgresql";
    }

    @Override
    public String merge(String table, List<String> columns, List<String> key) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                .append(String.join(", ", columns)).append(") VALUES (").append("?, ".repeat(columns.size() - 1))
                .append("?) ON CONFLICT (").append(String.join(", ", key)).append(") DO ");
        List<String> rest = columns.stream().filter(c -> !key.contains(c)).toList();
        if (rest.isEmpty()) {
            return sql.append("NOTHING").toString();
        }
        sql.append("UPDATE SET ");
        for (int i = 0; i < rest.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(rest.get(i)).append(" = EXCLUDED.").append(rest.get(i));
        }
        return sql.toString();
    }

    @Override
    public String useIndex(String index) {
        return ""; // PostgreSQL's planner has no hints, and picks members_by_account for "account_id = ?"
    }

    @Override
    public String deleteSomeBlocks() {
        return "DELETE FROM blob_blocks WHERE ctid = ANY(ARRAY(SELECT ctid FROM blob_blocks WHERE blob_id = ? "
                + "LIMIT ?))";
    }

    @Override
    public String advanceLastSeq() {
        return "UPDATE conversations SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq";
    }

    @Override
    public String syncStatement() {
        return null; // a commit returns once its WAL is flushed (synchronous_commit, the server's fsync)
    }
}
