package org.parley.server.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.parley.server.admin.AuditEntry;
import org.parley.server.admin.AuditStore;

/** The AuditStore port on any SQL database through {@link Jdbc} (its {@link Dialect} holds what differs). */
public final class JdbcAuditStore implements AuditStore {

    private static final String COLUMNS = "id, at, actor, action, target, detail";

    private final Jdbc jdbc;

    public JdbcAuditStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public AuditEntry append(long at, String actor, String action, String target, String detail) {
        long id = jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at, actor, action, target, detail) "
                    + "VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, at);
                ps.setString(2, actor);
                ps.setString(3, action);
                ps.setString(4, target);
                ps.setString(5, detail);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1); // id is the table's first column (PostgreSQL returns every column)
                }
            }
        });
        return new AuditEntry(id, at, actor, action, target, detail);
    }

    @Override
    public List<AuditEntry> page(long beforeId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?", ps -> {
            ps.setLong(1, beforeId <= 0 ? Long.MAX_VALUE : beforeId);
            ps.setInt(2, limit);
        }, rs -> new AuditEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6)));
    }
}
