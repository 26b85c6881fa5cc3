package org.parley.server.storage.h2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

import org.parley.server.accounts.AccountStore;
import org.parley.server.admin.AuditStore;
import org.parley.server.contacts.ContactStore;
import org.parley.server.conversations.ConversationStore;
import org.parley.server.files.FileStore;
import org.parley.server.messages.MessageStore;
import org.parley.server.storage.Storage;
import org.parley.server.storage.StorageException;
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
public final class H2Storage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(H2Storage.class);

    private final ConnectionPool pool;
    private final Jdbc jdbc;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final H2AccountStore accounts;
    private final H2AuditStore audit;
    private final H2ContactStore contacts;
    private final H2ConversationStore conversations;
    private final H2MessageStore messages;
    private final H2FileStore files;

    private H2Storage(ConnectionPool pool, boolean fsync, Path dataDir) {
        this.pool = pool;
        jdbc = new Jdbc(pool);
        accounts = new H2AccountStore(jdbc);
        audit = new H2AuditStore(jdbc);
        contacts = new H2ContactStore(jdbc);
        conversations = new H2ConversationStore(jdbc);
        messages = new H2MessageStore(jdbc, fsync);
        files = new H2FileStore(jdbc, fsync, dataDir);
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
                Migrations.apply(c);
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

    /** Where message writes and syncs are reported (metrics); none until set. */
    public void setMetrics(org.parley.server.storage.StorageMetrics metrics) {
        messages.metrics = metrics;
        files.metrics = metrics;
    }

    /**
     * Writes a consistent copy of the whole database (messages, accounts, and the files, which live in it) to
     * {@code zip} while the server runs: H2's online {@code BACKUP TO}.
     */
    public void backup(Path zip) {
        jdbc.inTransaction(c -> {
            try (java.sql.PreparedStatement st = c.prepareStatement("BACKUP TO ?")) {
                st.setString(1, zip.toAbsolutePath().toString());
                st.execute();
            }
            return null;
        });
    }

    /** Whether the database answers a query (the readiness check); false once closed or failing. */
    public boolean check() {
        if (closed.get()) {
            return false;
        }
        try {
            return jdbc.queryOne("SELECT 1", ps -> {
            }, rs -> rs.getInt(1) == 1).orElse(false);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("error", e.toString()).log("storage check failed");
            return false;
        }
    }

    /** The adapter's own plumbing, for its tests. */
    Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public AccountStore accounts() {
        return accounts;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public ContactStore contacts() {
        return contacts;
    }

    @Override
    public ConversationStore conversations() {
        return conversations;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }

    @Override
    public FileStore files() {
        return files;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // already closed: a second close (shutdown paths overlap) must not throw
        }
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
