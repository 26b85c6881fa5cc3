package org.parley.server.storage.h2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.parley.server.common.StorageException;
import org.parley.server.storage.jdbc.DiskBlobs;
import org.parley.server.storage.jdbc.Jdbc;
import org.parley.server.storage.jdbc.JdbcLogEffects;
import org.parley.server.storage.jdbc.JdbcStorage;
import org.parley.server.storage.jdbc.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's data in an embedded H2 file database ({@code <dataDir>/parley.mv.db}), the files' content beside it
 * ({@code <dataDir>/files/}, {@link DiskBlobs}; content an older version kept in the database is read from there).
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
    /** The message log when it is the MVStore log (message-log=mvstore), else null (the SQL messages table). */
    private final MvStoreMessageLog log;

    private H2Storage(ConnectionPool pool, Jdbc jdbc, boolean fsync, Path dataDir, MvStoreMessageLog log,
            JdbcLogEffects effects) {
        super(jdbc, fsync, dataDir, log, effects, true);
        this.pool = pool;
        this.log = log;
    }

    /**
     * Where the messages are kept (the message-log setting, docs/operations.md): the SQL {@code messages} table,
     * the MVStore log ({@link MvStoreMessageLog}), or {@link #AUTO}: whatever the data directory already uses, the
     * MVStore log for a new one.
     */
    public enum MessageLog {
        /** The SQL {@code messages} table. Refused on a data directory whose messages are in the MVStore log. */
        SQL,
        /** The MVStore log; on a data directory whose messages are in SQL, the table is imported once (no way back). */
        MVSTORE,
        /**
         * The MVStore log if the data directory has it, or if its SQL {@code messages} table holds no message (a
         * new data directory: nothing to move); else the SQL table, so that an upgrade never moves messages unasked.
         */
        AUTO;

        /** {@code sql}, {@code mvstore} or {@code auto}, as the setting spells it. */
        public String setting() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The SQL database's file in the data directory. */
    public static final String DATABASE_FILE = "parley.mv.db";

    /** Opens (creating if needed) the database in {@code dataDir}, its message log as {@link MessageLog#AUTO} says. */
    public static H2Storage open(Path dataDir, boolean fsync) {
        return open(dataDir, fsync, MessageLog.AUTO, MvStoreMessageLog.DEFAULT_FILL_RATE);
    }

    /**
     * Opens (creating if needed) the database in {@code dataDir} and brings its schema up to date; with
     * {@code mvstoreLog} the messages are kept in the MVStore log ({@link MvStoreMessageLog}, message-log=mvstore),
     * which imports the SQL messages table on its first open; without, in the SQL table (message-log=sql). A data
     * directory whose messages are in the MVStore log cannot be opened with them in SQL: its SQL table is no longer
     * up to date.
     */
    public static H2Storage open(Path dataDir, boolean fsync, boolean mvstoreLog) {
        return open(dataDir, fsync, mvstoreLog ? MessageLog.MVSTORE : MessageLog.SQL,
                MvStoreMessageLog.DEFAULT_FILL_RATE);
    }

    /**
     * As {@link #open(Path, boolean, boolean)}, with the message log chosen by {@code messageLog}, the MVStore log
     * compacting its file while less than {@code logFillRate} percent of it is live data (the
     * message-log-fill-rate setting).
     */
    public static H2Storage open(Path dataDir, boolean fsync, MessageLog messageLog, int logFillRate) {
        boolean hasLog = Files.exists(dataDir.resolve(MvStoreMessageLog.FILE));
        if (hasLog && messageLog == MessageLog.SQL) {
            throw new StorageException("the messages in " + dataDir + " are kept in the MVStore log ("
                    + MvStoreMessageLog.FILE + "): start the server with message-log=mvstore or auto; going back to "
                    + "message-log=sql is not supported");
        }
        if (hasLog && !Files.exists(dataDir.resolve(DATABASE_FILE))) {
            // Opening would create an empty database, and the log drops the entries of conversations SQL lacks.
            throw new StorageException("the data directory " + dataDir + " has the message log ("
                    + MvStoreMessageLog.FILE + ") but not the database beside it (" + DATABASE_FILE + "): restore "
                    + "both from a backup; nothing was changed");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("parley")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        ConnectionPool pool = new ConnectionPool(url, "parley", "", 32);
        boolean sqlHasMessages;
        try {
            Connection c = pool.borrow();
            try {
                Migrations.apply(c, H2Dialect.INSTANCE.migrations());
                sqlHasMessages = !hasLog && messageLog == MessageLog.AUTO && hasMessages(c);
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
        boolean mvstoreLog = messageLog == MessageLog.MVSTORE
                || messageLog == MessageLog.AUTO && (hasLog || !sqlHasMessages);
        Jdbc jdbc = new Jdbc(pool, H2Dialect.INSTANCE);
        MvStoreMessageLog log = null;
        JdbcLogEffects effects = null;
        if (mvstoreLog) {
            try {
                effects = new JdbcLogEffects(jdbc);
                log = MvStoreMessageLog.open(dataDir, effects, fsync, logFillRate);
            } catch (RuntimeException e) {
                shutdown(pool);
                throw e;
            }
        }
        LOG.atInfo().addKeyValue("dataDir", dataDir.toAbsolutePath()).addKeyValue("fsync", fsync)
                .addKeyValue("messageLog", mvstoreLog ? "mvstore" : "sql")
                .addKeyValue("messageLogSetting", messageLog.setting()).log("storage opened");
        return new H2Storage(pool, jdbc, fsync, dataDir, log, effects);
    }

    /** Whether the SQL {@code messages} table holds any row. */
    private static boolean hasMessages(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT 1 FROM messages FETCH FIRST 1 ROW ONLY")) {
            return rs.next();
        }
    }

    /** Where this storage keeps the messages: {@link MessageLog#MVSTORE} or {@link MessageLog#SQL}. */
    public MessageLog messageLog() {
        return log != null ? MessageLog.MVSTORE : MessageLog.SQL;
    }

    @Override
    public void setMetrics(org.parley.server.storage.StorageMetrics metrics) {
        super.setMetrics(metrics);
        if (log != null) {
            log.metrics = metrics;
        }
    }

    /**
     * Writes a consistent copy of the whole state to {@code zip} while the server runs: with the MVStore message
     * log, the log's online copy first; then H2's online {@code BACKUP TO} of the database (every conversation a
     * copied log entry belongs to is in it: conversations are created before their messages); then the files'
     * content ({@code files/…}, {@link DiskBlobs#backup}: the purge waits meanwhile, so every blob the database
     * copy names has its file, and an open upload's file holds at least the bytes the copy counts).
     */
    public void backup(Path zip) {
        Path sql = zip.resolveSibling(zip.getFileName() + ".sql.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            ((DiskBlobs) fileContent()).backup(out, () -> {
                try {
                    if (log != null) {
                        log.backup(out);
                    }
                    sqlBackup(sql);
                    try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                            Files.newInputStream(sql))) {
                        for (java.util.zip.ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                            out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                            in.transferTo(out);
                            out.closeEntry();
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new StorageException("backup failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(sql);
            } catch (java.io.IOException e) {
                LOG.atWarn().setCause(e).log("backup: the SQL part's scratch copy could not be deleted");
            }
        }
    }

    private void sqlBackup(Path zip) {
        jdbc().inTransaction(c -> {
            try (java.sql.PreparedStatement st = c.prepareStatement("BACKUP TO ?")) {
                st.setString(1, zip.toAbsolutePath().toString());
                st.execute();
            }
            return null;
        });
    }

    /**
     * Bounds H2's page caches: the SQL database's to {@code sqlMiB} (h2-cache-mib; H2's default is 16) and, with the
     * MVStore message log, the log's to {@code logMiB} (message-log-cache-mib). Each keeps the file's pages it read
     * in the heap, up to its bound.
     */
    public void setCacheSizes(int sqlMiB, int logMiB) {
        if (sqlMiB < 1) {
            throw new IllegalArgumentException("H2's cache needs at least 1 MiB, was " + sqlMiB);
        }
        jdbc().inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET CACHE_SIZE " + (sqlMiB * 1024L));
            }
            return null;
        });
        if (log != null) {
            log.setCacheSize(logMiB);
        }
    }

    /** What H2's page caches hold and their bounds, in MiB (the log's are 0 without the MVStore message log). */
    public record CacheUse(int sqlUsedMiB, int sqlMaxMiB, int logUsedMiB, int logMaxMiB) {
    }

    /** What the page caches hold now, and their bounds (for the metrics). */
    public CacheUse cacheUse() {
        int[] sql = jdbc().inTransaction(c -> {
            int[] out = new int[2];
            try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                    "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                    + "WHERE SETTING_NAME IN ('info.CACHE_SIZE', 'info.CACHE_MAX_SIZE')")) {
                while (rs.next()) {
                    out[rs.getString(1).equals("info.CACHE_SIZE") ? 0 : 1] = Integer.parseInt(rs.getString(2));
                }
            }
            return out;
        });
        int[] l = log == null ? new int[2] : log.cacheMiB();
        return new CacheUse(sql[0], sql[1], l[1], l[0]);
    }

    @Override
    protected void closeDatabase() {
        if (log != null) {
            log.close(); // first: its last checkpoint syncs the SQL database
        }
        shutdown(pool);
    }

    private static void shutdown(ConnectionPool pool) {
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
