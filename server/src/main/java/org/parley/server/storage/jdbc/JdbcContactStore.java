package org.parley.server.storage.jdbc;

import java.util.List;

import org.parley.server.contacts.ContactStore;

/** The ContactStore port on any SQL database through {@link Jdbc} (its {@link Dialect} holds what differs). */
public final class JdbcContactStore implements ContactStore {

    private final Jdbc jdbc;

    public JdbcContactStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void addRequest(long from, long to, long createdAt) {
        jdbc.update(jdbc.dialect().merge("contact_requests", List.of("from_id", "to_id", "created_at"),
                List.of("from_id", "to_id")), ps -> {
                    ps.setLong(1, from);
                    ps.setLong(2, to);
                    ps.setLong(3, createdAt);
                });
    }

    @Override
    public void removeRequest(long from, long to) {
        jdbc.update("DELETE FROM contact_requests WHERE from_id = ? AND to_id = ?", ps -> {
            ps.setLong(1, from);
            ps.setLong(2, to);
        });
    }

    @Override
    public boolean hasRequest(long from, long to) {
        return jdbc.queryOne("SELECT 1 FROM contact_requests WHERE from_id = ? AND to_id = ?", ps -> {
            ps.setLong(1, from);
            ps.setLong(2, to);
        }, rs -> true).isPresent();
    }

    @Override
    public List<Long> requestsTo(long accountId) {
        return jdbc.query("SELECT from_id FROM contact_requests WHERE to_id = ? ORDER BY created_at",
                ps -> ps.setLong(1, accountId), rs -> rs.getLong(1));
    }

    @Override
    public List<Long> requestsFrom(long accountId) {
        return jdbc.query("SELECT to_id FROM contact_requests WHERE from_id = ? ORDER BY created_at",
                ps -> ps.setLong(1, accountId), rs -> rs.getLong(1));
    }

    @Override
    public void addContacts(long a, long b) {
        String merge = jdbc.dialect().merge("contacts", List.of("owner_id", "contact_id"),
                List.of("owner_id", "contact_id"));
        jdbc.inTransaction(c -> {
            for (long[] pair : new long[][] {{a, b}, {b, a}}) {
                Jdbc.update(c, merge, ps -> {
                            ps.setLong(1, pair[0]);
                            ps.setLong(2, pair[1]);
                        });
                Jdbc.update(c, "DELETE FROM contact_requests WHERE from_id = ? AND to_id = ?", ps -> {
                    ps.setLong(1, pair[0]);
                    ps.setLong(2, pair[1]);
                });
            }
            return null;
        });
    }

    @Override
    public void removeContacts(long a, long b) {
        jdbc.update("DELETE FROM contacts WHERE (owner_id = ? AND contact_id = ?) OR (owner_id = ? AND contact_id = ?)",
                ps -> {
                    ps.setLong(1, a);
                    ps.setLong(2, b);
                    ps.setLong(3, b);
                    ps.setLong(4, a);
                });
    }

    @Override
    public List<Long> contactsOf(long accountId) {
        return jdbc.query("SELECT contact_id FROM contacts WHERE owner_id = ?", ps -> ps.setLong(1, accountId),
                rs -> rs.getLong(1));
    }

    @Override
    public boolean areContacts(long a, long b) {
        return jdbc.queryOne("SELECT 1 FROM contacts WHERE owner_id = ? AND contact_id = ?", ps -> {
            ps.setLong(1, a);
            ps.setLong(2, b);
        }, rs -> true).isPresent();
    }
}
