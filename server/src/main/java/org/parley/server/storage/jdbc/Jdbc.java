package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.parley.server.common.DuplicateKeyException;
import org.parley.server.common.StorageException;
import org.parley.server.common.StorageFullException;

/**
 * The little JDBC plumbing the stores share, whatever the database: pooled connections, transactions, error
 * translation (by SQLSTATE, which H2 and PostgreSQL both set), and the adapter's {@link Dialect}.
 */
public final class Jdbc {

    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final String DUPLICATE_KEY = "23505";
    /** PostgreSQL's disk_full (class 53: insufficient resources). */
    private static final String DISK_FULL = "53100";

    private final Connections pool;
    private final Dialect dialect;

    public Jdbc(Connections pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(Work<T> work) {
        Connection c = null;
        try {
            c = pool.borrow();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            if (c != null) {
                pool.release(c);
            }
        }
    }

    /**
     * Forces everything committed so far to the device with the dialect's sync statement; false (and nothing done)
     * where the dialect has none, because every commit already is.
     */
    public boolean sync() {
        String statement = dialect.syncStatement();
        if (statement == null) {
            return false;
        }
        inTransaction(c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute(statement);
            }
            return null;
        });
        return true;
    }

    public <T> List<T> query(String sql, Binder binder, Mapper<T> mapper) {
        return inTransaction(c -> query(c, sql, binder, mapper));
    }

    public <T> Optional<T> queryOne(String sql, Binder binder, Mapper<T> mapper) {
        List<T> rows = query(sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int update(String sql, Binder binder) {
        return inTransaction(c -> update(c, sql, binder));
    }

    public static <T> List<T> query(Connection c, String sql, Binder binder, Mapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    public static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    public static StorageException translate(SQLException e) {
        if (DUPLICATE_KEY.equals(e.getSQLState())) {
            return new DuplicateKeyException(e.getMessage(), e);
        }
        if (DISK_FULL.equals(e.getSQLState())) {
            return new StorageFullException("the database's disk is full", e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No space left") || m.contains("Disk full") || m.contains("disk full")) {
                return new StorageFullException("the server's disk is full", e);
            }
        }
        return new StorageException(e.getMessage(), e);
    }
}
