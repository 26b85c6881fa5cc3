package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.parley.server.accounts.LoginFailures;
import org.parley.server.common.DuplicateKeyException;

/**
 * The LoginFailures port on any SQL database (table {@code login_failures}, schema V13): a failure locks its row
 * (or inserts it) in one transaction, so that nodes counting at once neither lose a failure nor lock twice.
 */
public final class JdbcLoginFailures implements LoginFailures {

    /** Every this many failures counted here, rows whose failures were forgotten are deleted. */
    private static final int PURGE_EVERY = 256;

    private final Jdbc jdbc;
    private final AtomicInteger counted = new AtomicInteger();

    public JdbcLoginFailures(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Tally read(String kind, String key) {
        return jdbc.queryOne("SELECT failures, last_failure, locked_until FROM login_failures WHERE kind = ? AND "
                + "name = ?", ps -> {
                    ps.setString(1, kind);
                    ps.setString(2, key);
                }, rs -> new Tally(rs.getInt(1), rs.getLong(2), rs.getLong(3))).orElse(null);
    }

    @Override
    public Tally failed(String kind, String key, long now, int lockAt, long lockMillis) {
        if (counted.incrementAndGet() % PURGE_EVERY == 0) {
            purge(now, lockMillis);
        }
        try {
            return jdbc.inTransaction(c -> count(c, kind, key, now, lockAt, lockMillis));
        } catch (DuplicateKeyException raced) {
            // Another node inserted the first failure meanwhile: its row is there to lock now.
            return jdbc.inTransaction(c -> count(c, kind, key, now, lockAt, lockMillis));
        }
    }

    private static Tally count(Connection c, String kind, String key, long now, int lockAt, long lockMillis)
            throws SQLException {
        Optional<Tally> row = Jdbc.query(c, "SELECT failures, last_failure, locked_until FROM login_failures "
                + "WHERE kind = ? AND name = ? FOR UPDATE", ps -> {
                    ps.setString(1, kind);
                    ps.setString(2, key);
                }, rs -> new Tally(rs.getInt(1), rs.getLong(2), rs.getLong(3))).stream().findFirst();
        Tally before = row.orElse(new Tally(0, 0, 0));
        int failures = before.failures();
        if (before.lockedUntil() <= now && now - before.lastFailure() >= lockMillis) {
            failures = 0; // remembered no longer
        }
        failures++;
        long lockedUntil = before.lockedUntil();
        if (failures >= lockAt && lockedUntil <= now) {
            lockedUntil = now + lockMillis;
        }
        Tally after = new Tally(failures, Math.max(now, before.lastFailure()), lockedUntil);
        if (row.isPresent()) {
            Jdbc.update(c, "UPDATE login_failures SET failures = ?, last_failure = ?, locked_until = ? WHERE kind = ? "
                    + "AND name = ?", ps -> {
                        ps.setInt(1, after.failures());
                        ps.setLong(2, after.lastFailure());
                        ps.setLong(3, after.lockedUntil());
                        ps.setString(4, kind);
                        ps.setString(5, key);
                    });
        } else {
            Jdbc.update(c, "INSERT INTO login_failures (kind, name, failures, last_failure, locked_until) "
                    + "VALUES (?, ?, ?, ?, ?)", ps -> {
                        ps.setString(1, kind);
                        ps.setString(2, key);
                        ps.setInt(3, after.failures());
                        ps.setLong(4, after.lastFailure());
                        ps.setLong(5, after.lockedUntil());
                    });
        }
        return after;
    }

    @Override
    public void succeeded(String kind, String key, long now) {
        jdbc.update("DELETE FROM login_failures WHERE kind = ? AND name = ? AND locked_until <= ?", ps -> {
            ps.setString(1, kind);
            ps.setString(2, key);
            ps.setLong(3, now);
        });
    }

    /** Deletes the rows whose failures are forgotten (no lock running, the last failure older than a lock). */
    private void purge(long now, long lockMillis) {
        jdbc.update("DELETE FROM login_failures WHERE locked_until <= ? AND last_failure <= ?", ps -> {
            ps.setLong(1, now);
            ps.setLong(2, now - lockMillis);
        });
    }
}
