package org.parley.server.storage.h2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.parley.server.common.StorageException;
import org.parley.server.storage.jdbc.Jdbc;
import org.parley.server.storage.jdbc.JdbcStorage;
import org.parley.server.storage.jdbc.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's data in an embedded H2 file database ({@code <dataDir>/parley.mv.db}).
 *
 * <p>Durability: {@code WRITE_DELAY=0} makes every commit write its changes to the file before the commit
 * returns, so an acknowledged message survives a killed server process; with {@code fsync} on (the default),
 * message batches are also forced to the device (CHECKPOINT SYNC), so they survive a power loss. Messages are
 * written in batches (group commit), so one write and one sync serve many messages. See
 * docs/decisions/h2-durability.md.
 */
public final class H2Storage extends JdbcStorage {

    private static final Logger LOG = LoggerFactory.getLogger(H2Storage.class);

    private final ConnectionPool pool;

    private H2Storage(ConnectionPool pool, boolean fsync, Path dataDir) {
        super(new Jdbc(pool, H2Dialect.INSTANCE), fsync, dataDir);
        this.pool = pool;
    }

    /** Opens (creating if needed) the database in {@code dataDir} and brings its schema up to date. */
    public static H2Storage open(Path dataDir, boolean fsync) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        ConnectionPool pool = new ConnectionPool(url, "parley", "", 32);
        try {
            Connection c = pool.borrow();
            try {
                Migrations.apply(c, H2Dialect.INSTANCE.migrations());
            } finally {
                pool.release(c);
            }
        } catch (SQLException e) {
            pool.close();
            if (e.getErrorCode() == 90020) { // DATABASE_ALREADY_OPEN
                throw new StorageException("the database in " + dataDir + " is in use by another process "
                        + "(is a Parley server already running on this data directory?)", e);
            }
            throw Jdbc.translate(e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.atInfo().addKeyValue("dataDir", dataDir.toAbsolutePath()).addKeyValue("fsync", fsync)
                .log("storage opened");
        return new H2Storage(pool, fsync, dataDir);
    }

    /**
     * Writes a consistent copy of the whole database (messages, accounts, and the files, which live in it) to
     * {@code zip} while the server runs: H2's online {@code BACKUP TO}.
     */
    public void backup(Path zip) {
        jdbc().inTransaction(c -> {
            try (java.sql.PreparedStatement st = c.prepareStatement("BACKUP TO ?")) {
                st.setString(1, zip.toAbsolutePath().toString());
                st.execute();
            }
            return null;
        });
    }

    @Override
    protected void closeDatabase() {
        try {
            Connection c = pool.borrow();
            try (Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            } finally {
                pool.release(c);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.atWarn().setCause(e).log("database shutdown failed");
        } finally {
            pool.close();
        }
    }
}
