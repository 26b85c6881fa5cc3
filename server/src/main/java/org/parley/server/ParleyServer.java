package org.parley.server;

import org.parley.server.config.DataDirectory;
import org.parley.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.parley.server.accounts.AccountService;
import org.parley.server.accounts.LoginFailures;
import org.parley.server.accounts.LoginLimits;
import org.parley.server.accounts.LoginThrottle;
import org.parley.server.accounts.NameCache;
import org.parley.server.accounts.PasswordChecks;
import org.parley.server.accounts.PasswordHasher;
import org.parley.server.admin.AdminConsole;
import org.parley.server.admin.AdminGuard;
import org.parley.server.admin.AdminService;
import org.parley.server.cluster.ClusterNode;
import org.parley.server.cluster.ClusterSettings;
import org.parley.server.cluster.NatsBus;
import org.parley.server.common.Handlers;
import org.parley.server.contacts.ContactService;
import org.parley.server.contacts.DisplayNameService;
import org.parley.server.directory.DirectorySettings;
import org.parley.server.directory.LdapDirectory;
import org.parley.server.conversations.ConversationService;
import org.parley.server.conversations.MembershipCache;
import org.parley.server.conversations.Receipts;
import org.parley.server.conversations.TypingRelay;
import org.parley.server.files.FileService;
import org.parley.server.media.MediaPipeline;
import org.parley.server.media.ImagePipeline;
import org.parley.server.messages.MessageService;
import org.parley.server.ops.Health;
import org.parley.server.ops.Metrics;
import org.parley.server.ops.OpsHttpServer;
import org.parley.server.common.OnlineUsers;
import org.parley.server.presence.PresenceService;
import org.parley.server.search.MessageIndex;
import org.parley.server.search.SearchIndexer;
import org.parley.server.reactions.ReactionService;
import org.parley.server.search.SearchService;
import org.parley.server.search.lucene.LuceneMessageIndex;
import org.parley.server.storage.h2.H2Storage;
import org.parley.server.storage.jdbc.JdbcStorage;
import org.parley.server.wire.Acceptor;
import org.parley.server.wire.Tls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Parley server: storage, the feature services and the network acceptor, wired together. Used by
 * {@link Main} and, the same way, by the tests ({@code ParleyServerExtension}).
 */
public final class ParleyServer implements AutoCloseable {

    public static final String NAME = "parley/0.1";
    private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);

    private final ServerConfig config;
    private final JdbcStorage storage;
    private final ScheduledExecutorService timer;
    private final PasswordChecks passwordChecks;
    /** Directory logins' threads and the periodic re-check; null when directory login is off. */
    private final PasswordChecks directoryChecks;
    private final ScheduledExecutorService directoryTimer;
    private final MessageService messages;
    private final MessageIndex searchIndex;
    private final SearchIndexer searchIndexer;
    private final FileService files;
    private final Receipts receipts;
    private final AccountService accounts;
    private final OnlineUsers online;
    /** This node's part in a cluster; null for a single node (cluster=off). */
    private final ClusterNode cluster;
    private final Acceptor acceptor;
    private final String fingerprint;
    private final Metrics metrics;
    private final Health health;
    private final OpsHttpServer opsHttp;
    private final Tls tls;
    private volatile boolean stopped;

    private ParleyServer(ServerConfig config, MediaPipeline media, Metrics metrics, Health health,
            OpsHttpServer opsHttp) throws IOException, GeneralSecurityException {
        this.config = config;
        this.metrics = metrics;
        this.health = health;
        this.opsHttp = opsHttp;
        DataDirectory.prepare(config.dataDir(), false);
        tls = !config.tls() ? null : config.ops().tlsCert() != null ? Tls.fromPem(config.ops().tlsCert(),
                config.ops().tlsKey(), config.ops().tlsReloadSeconds(), config.ops().tlsSessionSeconds())
                : Tls.loadOrCreate(config.dataDir(), config.ops().tlsSessionSeconds());
        fingerprint = tls == null ? "" : tls.fingerprint();
        storage = config.storage().open(config.dataDir(), config.fsync());
        storage.setMetrics(metrics);
        storage.setFileBlockBytes(config.fileBlockKiB() << 10);
        if (storage instanceof H2Storage h2) {
            h2.setCacheSizes(config.memory().h2CacheMiB(), config.memory().messageLogCacheMiB());
            metrics.gauge("parley.storage.h2.cache.used.mib", "MiB of file pages H2's page caches hold (the SQL "
                    + "database's and, with message-log=mvstore, the message log's)", () -> {
                        H2Storage.CacheUse use = h2.cacheUse();
                        return use.sqlUsedMiB() + use.logUsedMiB();
                    });
            metrics.gauge("parley.storage.h2.cache.max.mib", "the most MiB H2's page caches may hold (h2-cache-mib, "
                    + "plus message-log-cache-mib with message-log=mvstore)", () -> {
                        H2Storage.CacheUse use = h2.cacheUse();
                        return use.sqlMaxMiB() + use.logMaxMiB();
                    });
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "parley-timer"));
        LoginLimits login = config.login();
        passwordChecks = new PasswordChecks(login.hashThreads(), login.maxPendingChecks(), login.reservedPercent());

        online = new OnlineUsers();
        NameCache names = new NameCache(storage.accounts(), config.memory().nameCacheEntries());
        metrics.gauge("parley.names.cached", "user names of accounts kept in memory (at most name-cache-entries)",
                names::size);
        MembershipCache membership = new MembershipCache(storage.conversations());
        DirectorySettings directory = config.directory();
        directoryChecks = directory.enabled() ? new PasswordChecks(directory.threads(), directory.maxPending(),
                login.reservedPercent(), "parley-directory") : null;
        accounts = new AccountService(storage.accounts(),
                new PasswordHasher(config.argon2MemoryKiB(), config.argon2Iterations()), online, config.admins(),
                new LoginThrottle(login, config.cluster().enabled() ? storage.loginFailures() : LoginFailures.NONE),
                passwordChecks, config.accountPolicy(),
                directory.enabled() ? new LdapDirectory(directory) : null, directoryChecks,
                directory.directoryOnly());
        if (directory.enabled()) {
            directoryTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "parley-directory-recheck"));
            directoryTimer.scheduleWithFixedDelay(this::recheckDirectory, directory.recheckSeconds(),
                    directory.recheckSeconds(), TimeUnit.SECONDS);
        } else {
            directoryTimer = null;
        }
        PresenceService presence = new PresenceService(online, storage.contacts(), names, timer, 1000);
        ContactService contacts = new ContactService(storage.accounts(), storage.contacts(), online, presence,
                config.accountPolicy().directory());
        contacts.setLimits(config.contactLimits());
        receipts = new Receipts(storage.conversations(), storage.messages(), membership, online, names, timer, 200);
        messages = new MessageService(storage.messages(), membership, online, names, config.maxMessageBytes(),
                config.maxFrameBytes());
        ConversationService conversations = new ConversationService(storage.conversations(), storage.accounts(),
                names, membership, receipts, online, messages, config.maxFrameBytes());
        messages.setConversations(conversations);
        ReactionService reactions = new ReactionService(storage.reactions(), conversations, membership, online, names,
                config.reactions(), config.maxFrameBytes());
        messages.setReactions(reactions::summaries);
        messages.setEditLimits(config.editing());
        conversations.setGroupLimits(config.groupLimits());
        messages.setMetrics(metrics);
        files = new FileService(storage.files(), conversations, membership, messages, media,
                FileService.Limits.of(config.maxFileBytes(), config.fileQuotaBytes(), config.maxFrameBytes(),
                        TimeUnit.HOURS.toMillis(config.uploadExpiryHours()), config.maxOpenUploads(),
                        config.maxUnfinishedBytesPerUser(), config.maxUnfinishedBytes(),
                        TimeUnit.MINUTES.toMillis(config.uploadReservationMinutes()), config.mediaThreads(),
                        config.mediaQueue()),
                config.dataDir().resolve("scratch"), timer);

        searchIndex = LuceneMessageIndex.open(config.dataDir().resolve("search"), config.memory().searchBufferMiB());
        searchIndexer = new SearchIndexer(searchIndex, storage.messages(), config.search().queueBytes(),
                config.search().commitSeconds(), config.search().refreshMillis());
        messages.onCommitted(searchIndexer::committed);
        SearchService search = new SearchService(searchIndex, searchIndexer, storage.messages(),
                storage.conversations(), conversations, messages, config.search(), config.maxFrameBytes());

        // Each feature registers the requests it answers; the wire layer only looks them up.
        Handlers handlers = new Handlers();
        presence.register(handlers);
        contacts.register(handlers);
        conversations.register(handlers);
        new TypingRelay(conversations, membership, online, config.typingIntervalMillis()).register(handlers);
        messages.register(handlers);
        files.register(handlers);
        AdminGuard adminGuard = new AdminGuard(accounts, storage.audit());
        new AdminService(accounts, storage.accounts(), storage.audit(), adminGuard).register(handlers);
        new AdminConsole(adminGuard, accounts, storage.accounts(), storage.conversations(), conversations,
                storage.files(), online, new AdminConsole.Facts(NAME, System.currentTimeMillis(),
                        config.fileQuotaBytes(), config.maxFrameBytes())).register(handlers);
        search.register(handlers);
        reactions.register(handlers);
        DisplayNameService displayNames = new DisplayNameService(storage.accounts(), storage.contacts(),
                conversations::coMembers, online, config.maxFrameBytes());
        accounts.onDisplayNameChanged(a -> displayNames.changed(a.id(), a.name(), a.displayName()));
        displayNames.register(handlers);

        ClusterSettings clusterSettings = config.cluster();
        cluster = !clusterSettings.enabled() ? null : new ClusterNode(clusterSettings.nodeId(),
                new NatsBus(clusterSettings, ClusterNode.largestEvent(config.maxFrameBytes())), online, presence,
                membership, searchIndexer::storedElsewhere, timer, clusterSettings.heartbeatMs(),
                clusterSettings.nodeTimeoutMs(), config.maxFrameBytes());
        if (cluster != null) {
            messages.onCommitted(batch -> {
                searchIndexer.committed(batch);
                cluster.stored(batch);
            });
        }

        metrics.timeRequests(handlers);
        metrics.gauge("parley.connections", "logged-in connections", online::connectionCount);
        if (cluster != null) {
            metrics.gauge("parley.cluster.nodes", "other server nodes this node hears from",
                    () -> cluster.nodes().size());
        }
        acceptor = new Acceptor(config, tls, accounts, online, handlers, NAME, metrics);
        // What storage and the features just made (H2's files, scratch/) gets the data directory's modes too.
        DataDirectory.prepare(config.dataDir(), true);
    }

    private void recheckDirectory() {
        try {
            accounts.recheckDirectoryAccounts();
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("directory accounts could not be checked again");
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Opens storage, binds the port and starts serving. */
    public static ParleyServer start(ServerConfig config) throws IOException, GeneralSecurityException {
        return start(config, new ImagePipeline(config.maxPicturePixels(), config.mediaThreads(),
                config.maxJpegScans(), config.maxAnimationPixels(), config.decodeTimeoutSeconds() * 1000L));
    }

    /** Starts with the given media pipeline (what examines finished uploads). */
    public static ParleyServer start(ServerConfig config, MediaPipeline media) throws IOException,
            GeneralSecurityException {
        // The operations endpoint first, so that it answers "not ready" while storage opens and migrates.
        Metrics metrics = new Metrics(config.ops().metricsAddress() != null, config.ops().jmx());
        if (config.messageStages()) {
            metrics.timeMessageStages();
        }
        Health health = new Health();
        OpsHttpServer opsHttp = null;
        ParleyServer server;
        try {
            DataDirectory.prepare(config.dataDir(), false);
            opsHttp = config.ops().metricsAddress() == null ? null
                    : new OpsHttpServer(config.ops().metricsAddress(), metrics, health);
            server = new ParleyServer(config, media, metrics, health, opsHttp);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (opsHttp != null) {
                opsHttp.close();
            }
            metrics.close();
            throw e;
        }
        try {
            if (server.cluster != null) {
                server.cluster.start();
            }
            server.acceptor.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        server.health.ready(server.storage::check);
        if (server.opsHttp != null && server.storage instanceof H2Storage h2) {
            // PostgreSQL is backed up with its own tools (pg_dump, base backups): docs/operations.md.
            server.opsHttp.handle("/backup", org.parley.server.ops.Backups.handler(
                    org.parley.server.ops.Backups.newToken(config.dataDir()), config.dataDir(), h2::backup));
        }
        LOG.atInfo().addKeyValue("host", config.host()).addKeyValue("port", server.port())
                .addKeyValue("tls", config.tls()).addKeyValue("fingerprint", server.fingerprint)
                .addKeyValue("dataDir", config.dataDir().toAbsolutePath())
                .addKeyValue("storage", config.storage().kind())
                .addKeyValue("node", config.cluster().enabled() ? config.cluster().nodeId() : "")
                .addKeyValue("registration", config.accountPolicy().registration().name().toLowerCase(
                        java.util.Locale.ROOT)).addKeyValue("directory", config.directory().urls())
                .addKeyValue("ldapOnly", config.directory().directoryOnly()).log("Parley server started");
        if (server.accounts.awaitingFirstAccount()) {
            LOG.warn(AccountService.FIRST_ACCOUNT_HINT);
        }
        return server;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return acceptor.port();
    }

    /** SHA-256 fingerprint of the TLS certificate ("" in plaintext mode). */
    public String certificateFingerprint() {
        return fingerprint;
    }

    public ServerConfig config() {
        return config;
    }

    public AccountService accounts() {
        return accounts;
    }

    public FileService files() {
        return files;
    }

    /** The operations endpoint's address (metrics, health), or null when {@code metrics-address} is off. */
    public InetSocketAddress opsAddress() {
        return opsHttp == null ? null : opsHttp.address();
    }

    public int connectionCount() {
        return online.connectionCount();
    }

    /**
     * Stops cleanly: no new connections, open ones closed, queued messages written, marks flushed, storage closed.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        health.stopping();
        acceptor.close();
        if (cluster != null) {
            cluster.close();
        }
        if (files != null) {
            files.close();
        }
        if (messages != null) {
            messages.close();
        }
        if (searchIndexer != null) {
            searchIndexer.close();
        }
        if (searchIndex != null) {
            try {
                searchIndex.close();
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("could not close the search index; it catches up at the next start");
            }
        }
        timer.shutdownNow();
        try {
            if (receipts != null) {
                receipts.flush();
            }
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("could not write the last receipts");
        }
        passwordChecks.close();
        if (directoryTimer != null) {
            directoryTimer.shutdownNow();
            directoryChecks.close();
        }
        storage.close();
        if (tls != null) {
            tls.close();
        }
        if (opsHttp != null) {
            opsHttp.close();
        }
        metrics.close();
        LOG.info("Parley server stopped");
    }
}
