package org.parley.server.storage.jdbc;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.parley.server.accounts.AccountStore;
import org.parley.server.admin.AuditStore;
import org.parley.server.contacts.ContactStore;
import org.parley.server.conversations.ConversationStore;
import org.parley.server.files.FileStore;
import org.parley.server.messages.MessageStore;
import org.parley.server.reactions.ReactionStore;
import org.parley.server.storage.Storage;
import org.parley.server.storage.StorageMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SQL adapters share: one store per feature port over one {@link Jdbc}, the readiness check, metrics. An
 * adapter (H2, PostgreSQL) opens its pool, migrates the schema from its dialect's folder and closes its pool.
 */
public abstract class JdbcStorage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);

    private final Jdbc jdbc;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final JdbcAccountStore accounts;
    private final JdbcAuditStore audit;
    private final JdbcContactStore contacts;
    private final JdbcConversationStore conversations;
    private final MessageStore messages;
    private final JdbcFileStore files;
    private final JdbcReactionStore reactions;
    private final JdbcLoginFailures loginFailures;

    /**
     * @param fsync whether message batches and finished files are forced to the device with the dialect's sync
     *        statement (ignored where it has none)
     * @param dataDir where file content lives on this machine, for its free space; null when the database is elsewhere
     */
    protected JdbcStorage(Jdbc jdbc, boolean fsync, Path dataDir) {
        this(jdbc, fsync, dataDir, null);
    }

    /**
     * @param log the message log when it is not the SQL {@code messages} table (H2's MVStore log,
     *        message-log=mvstore); null for the SQL table ({@link JdbcMessageStore})
     */
    protected JdbcStorage(Jdbc jdbc, boolean fsync, Path dataDir, MessageStore log) {
        this(jdbc, fsync, dataDir, log, null);
    }

    /**
     * @param log the message log when it is not the SQL {@code messages} table (H2's MVStore log,
     *        message-log=mvstore); null for the SQL table ({@link JdbcMessageStore})
     * @param effects that log's SQL side effects (the senders' marks it writes behind are overlaid on member rows);
     *        null with the SQL table
     */
    protected JdbcStorage(Jdbc jdbc, boolean fsync, Path dataDir, MessageStore log, JdbcLogEffects effects) {
        this(jdbc, fsync, dataDir, log, effects, false);
    }

    /**
     * @param filesOnDisk whether new file content is kept as files under {@code dataDir} ({@link DiskBlobs}: an
     *        embedded database on this machine) rather than in the database's {@code blob_blocks}
     */
    protected JdbcStorage(Jdbc jdbc, boolean fsync, Path dataDir, MessageStore log, JdbcLogEffects effects,
            boolean filesOnDisk) {
        this.jdbc = jdbc;
        accounts = new JdbcAccountStore(jdbc);
        audit = new JdbcAuditStore(jdbc);
        contacts = new JdbcContactStore(jdbc);
        conversations = new JdbcConversationStore(jdbc, log, effects);
        messages = log != null ? log : new JdbcMessageStore(jdbc, fsync);
        files = new JdbcFileStore(jdbc, fsync, dataDir, filesOnDisk);
        reactions = new JdbcReactionStore(jdbc, fsync, log);
        loginFailures = new JdbcLoginFailures(jdbc);
    }

    /** Where message writes and syncs are reported (metrics); none until set. */
    public void setMetrics(StorageMetrics metrics) {
        if (messages instanceof JdbcMessageStore sql) {
            sql.metrics = metrics;
        }
        files.metrics = metrics;
    }

    /** Where file content is kept (files in the data directory, or the database's blob_blocks). */
    public BlobContent fileContent() {
        return files.content();
    }

    /** The largest block new file content is stored in (setting file-block-kib; JdbcFileStore#setBlockBytes). */
    public void setFileBlockBytes(int bytes) {
        files.setBlockBytes(bytes);
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

    /** The adapter's plumbing, for the adapter and its tests. */
    public Jdbc jdbc() {
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
    public ReactionStore reactions() {
        return reactions;
    }

    @Override
    public org.parley.server.accounts.LoginFailures loginFailures() {
        return loginFailures;
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // already closed: a second close (shutdown paths overlap) must not throw
        }
        closeDatabase();
    }

    /** Shuts the database (when embedded) and the pool down; called once. */
    protected abstract void closeDatabase();
}
