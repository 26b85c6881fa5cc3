package org.parley.server.storage.postgresql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.parley.server.common.StorageException;
import org.parley.server.storage.jdbc.Connections;
import org.parley.server.storage.jdbc.Jdbc;
import org.parley.server.storage.jdbc.JdbcStorage;
import org.parley.server.storage.jdbc.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Parley's data in a PostgreSQL database, through a HikariCP pool. File content is a chunk table
 * ({@code blob_blocks}) like H2's; durability is PostgreSQL's own (a commit returns once its WAL is flushed), so the
 * server's {@code fsync} setting does not apply. Several servers may open the same database: migrations run under
 * an advisory lock, and every message's sequence number is assigned under the conversation row's lock (see
 * docs/decisions/postgresql-storage.md).
 */
public final class PostgresStorage extends JdbcStorage {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStorage.class);

    /** The advisory lock that serializes schema migrations of servers starting at once ("parley" in ASCII). */
    private static final long MIGRATIONS_LOCK = 0x7061726c6579L;

    private final HikariDataSource pool;

    private PostgresStorage(HikariDataSource pool) {
        super(new Jdbc(connections(pool), PostgresDialect.INSTANCE), false, null);
        this.pool = pool;
    }

    private static Connections connections(HikariDataSource pool) {
        return new Connections() {
            @Override
            public Connection borrow() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void release(Connection c) {
                try {
                    c.close(); // back to the pool
                } catch (SQLException e) {
                    LOG.atWarn().addKeyValue("error", e.toString()).log("giving a connection back failed");
                }
            }
        };
    }

    /**
     * Connects to {@code url} ({@code jdbc:postgresql://host:port/database}) as {@code user} and brings the schema
     * up to date.
     *
     * @param password the role's password, or "" for none (trust or peer authentication)
     * @param poolSize connections the pool keeps at most
     */
    public static PostgresStorage open(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley-postgresql");
        config.setJdbcUrl(url);
        config.setUsername(user);
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(poolSize, 2));
        config.setConnectionTimeout(10_000);
        // As H2's LOCK_TIMEOUT: a statement waiting this long for a row lock fails instead of hanging a worker.
        config.addDataSourceProperty("options", "-c lock_timeout=10000");
        config.addDataSourceProperty("ApplicationName", "parley");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException("cannot connect to PostgreSQL at " + url + " as " + user + ": "
                    + rootMessage(e), e);
        }
        try (Connection c = pool.getConnection()) {
            migrate(c);
        } catch (SQLException e) {
            pool.close();
            throw Jdbc.translate(e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.atInfo().addKeyValue("url", url).addKeyValue("user", user).addKeyValue("poolSize", poolSize)
                .log("storage opened");
        return new PostgresStorage(pool);
    }

    private static void migrate(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + MIGRATIONS_LOCK + ")");
        }
        try {
            Migrations.apply(c, PostgresDialect.INSTANCE.migrations());
        } finally {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_unlock(" + MIGRATIONS_LOCK + ")");
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    @Override
    protected void closeDatabase() {
        pool.close();
    }
}
