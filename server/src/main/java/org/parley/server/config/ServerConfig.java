package org.parley.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.parley.protocol.Protocol;
import org.parley.server.accounts.AccountPolicy;
import org.parley.server.accounts.LoginLimits;
import org.parley.server.cluster.ClusterSettings;
import org.parley.server.contacts.ContactLimits;
import org.parley.server.conversations.GroupLimits;
import org.parley.server.conversations.TypingRelay;
import org.parley.server.directory.DirectorySettings;
import org.parley.server.reactions.ReactionLimits;
import org.parley.server.messages.EditLimits;
import org.parley.server.search.SearchLimits;

/**
 * The server's settings: defaults, overridden by a properties file ({@code --config FILE}, else
 * {@code <data-dir>/parley.properties} when present), overridden by command-line flags. Every setting has the
 * same name in the file and as a flag ({@code port=7443} / {@code --port 7443}).
 */
public record ServerConfig(String host, int port, Path dataDir, boolean tls, int maxFrameBytes, int maxMessageBytes,
        int requestsPerSecond, int requestBurst, long maxOutboundBytes, int idleTimeoutSeconds, boolean fsync,
        int argon2MemoryKiB, int argon2Iterations, Set<String> admins, long maxFileBytes, long fileQuotaBytes,
        int uploadExpiryHours, long maxPicturePixels, int slowReaderSeconds, int maxOpenUploads,
        long maxUnfinishedBytesPerUser, long maxUnfinishedBytes, int uploadReservationMinutes, int maxJpegScans,
        long maxAnimationPixels, int mediaThreads, int mediaQueue, int decodeTimeoutSeconds,
        ConnectionLimits connectionLimits, LoginLimits login, OpsSettings ops, AccountPolicy accountPolicy,
        StorageSettings storage, DirectorySettings directory,
        SearchLimits search, boolean messageStages, ClusterSettings cluster, int costlyRequestsPerSecond,
        int costlyRequestBurst, int maxConnectionsPerAccount,
        ReactionLimits reactions, EditLimits editing, SignedInLimits signedIn, GroupLimits groupLimits,
        ContactLimits contactLimits, int fileBlockKiB, int writeGatherBytes, MemorySettings memory,
        int typingIntervalMillis) {

    /** Setting name → (default, help). Kept in one table so that --help, the file and the flags agree. */
    static final Map<String, String[]> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("host", new String[] {"0.0.0.0", "address to listen on"});
        SETTINGS.put("port", new String[] {String.valueOf(Protocol.DEFAULT_PORT), "TCP port (0 = any free port)"});
        SETTINGS.put("data-dir", new String[] {"parley-data", "directory of the database, TLS key and config"});
        SETTINGS.put("tls", new String[] {"true", "TLS on the port (false = plaintext, for tests and benchmarks)"});
        SETTINGS.put("max-frame-bytes", new String[] {String.valueOf(Protocol.DEFAULT_MAX_FRAME_BYTES),
            "largest frame accepted"});
        SETTINGS.put("max-message-bytes", new String[] {"65536", "largest message text, in UTF-8 bytes"});
        SETTINGS.put("requests-per-second", new String[] {"200", "sustained requests per connection"});
        SETTINGS.put("request-burst", new String[] {"400", "requests per connection allowed in a burst"});
        SETTINGS.put("max-outbound-bytes", new String[] {"8388608",
            "unsent bytes after which a slow connection is closed (it resyncs on reconnect)"});
        SETTINGS.put("idle-timeout-seconds", new String[] {"120", "close connections silent this long"});
        SETTINGS.put("fsync", new String[] {"true", "force message batches to the device (power-loss safe)"});
        SETTINGS.put("argon2-memory-kib", new String[] {"19456", "Argon2id memory cost for new password hashes"});
        SETTINGS.put("argon2-iterations", new String[] {"2", "Argon2id time cost for new password hashes"});
        SETTINGS.put("admins", new String[] {"", "comma-separated user names that are administrators"});
        SETTINGS.put("max-file-bytes", new String[] {String.valueOf(2L << 30), "largest file that may be uploaded"});
        SETTINGS.put("file-quota-bytes", new String[] {String.valueOf(10L << 30),
            "bytes of files each user may have posted, unfinished uploads included"});
        SETTINGS.put("upload-expiry-hours", new String[] {"168",
            "unfinished uploads untouched this long are deleted (and stop counting against the quota)"});
        SETTINGS.put("max-picture-pixels", new String[] {"64000000",
            "largest picture (width x height) the server decodes for thumbnails; larger ones are refused"});
        ConnectionLimits.addSettings(SETTINGS);
        OpsSettings.addSettings(SETTINGS);
        SETTINGS.put("login-account-free-failures", new String[] {"3",
            "failed password logins for one account before its attempts are spaced out"});
        SETTINGS.put("login-account-lock-failures", new String[] {"10",
            "failed password logins that lock an account's password logins from addresses it never signed in from"});
        SETTINGS.put("login-address-free-failures", new String[] {"10",
            "failed password logins from one address before its attempts are spaced out"});
        SETTINGS.put("login-address-lock-failures", new String[] {"50",
            "failed password logins that lock every password login from one address"});
        SETTINGS.put("login-delay-ms", new String[] {"500",
            "first spacing between password checks once failures pile up; doubles with each further failure"});
        SETTINGS.put("login-max-delay-ms", new String[] {"8000",
            "longest spacing; a login that would wait longer is refused with LOGIN_LOCKED"});
        SETTINGS.put("login-lock-seconds", new String[] {"900",
            "how long a lock lasts, and how long failures are remembered after the last one"});
        SETTINGS.put("login-checks-per-address", new String[] {"8",
            "password checks (waiting or running) one address may have at once"});
        SETTINGS.put("login-hash-threads", new String[] {"0", "threads that hash passwords (0 = one per core)"});
        SETTINGS.put("login-max-pending-checks", new String[] {"64",
            "password checks waiting for or using those threads, server-wide; more are refused with RATE_LIMITED"});
        SETTINGS.put("login-reserved-percent", new String[] {"25",
            "share of those kept for addresses someone signed in from before"});
        SETTINGS.put("login-tracked-entries", new String[] {"100000",
            "failure records and known addresses kept in memory (each kind), oldest forgotten first"});
        SETTINGS.put("slow-reader-seconds", new String[] {"60", "a connection whose requests wait this long for it "
            + "to read its replies (downloads it asked for) is closed; it holds no worker meanwhile"});
        SETTINGS.put("max-open-uploads", new String[] {"20", "unfinished uploads one user may have at a time"});
        SETTINGS.put("max-unfinished-bytes-per-user", new String[] {String.valueOf(4L << 30),
            "declared bytes of one user's unfinished uploads, together"});
        SETTINGS.put("max-unfinished-bytes", new String[] {String.valueOf(64L << 30),
            "declared bytes still to come of all users' active unfinished uploads, together"});
        SETTINGS.put("upload-reservation-minutes", new String[] {"10", "an unfinished upload that sent nothing for "
            + "this long stops holding disk space for its remaining bytes (resuming it checks the space again)"});
        SETTINGS.put("max-jpeg-scans", new String[] {"100",
            "most scans a JPEG may have (progressive JPEGs have about 10; each scan costs a pass over the picture)"});
        SETTINGS.put("max-animation-pixels", new String[] {"100000000",
            "most frames x screen pixels an animated GIF may have"});
        SETTINGS.put("media-threads", new String[] {"2",
            "threads that finish uploads (hash check, picture checks and thumbnails), off the request workers"});
        SETTINGS.put("media-queue", new String[] {"16",
            "finished uploads that may wait for a media thread; more are answered UNAVAILABLE (try again)"});
        SETTINGS.put("decode-timeout-seconds", new String[] {"30",
            "a picture that takes longer to decode is refused as INVALID_MEDIA"});
        SETTINGS.put("file-block-kib", new String[] {"256", "largest block file content kept in the "
            + "database is stored in (16 to 1024; storage=postgresql, and what an older version stored in H2: new H2 "
            + "content is a file): a chunk that fits is one row, stored as it came; smaller blocks split and copy "
            + "each chunk"});
        AccountPolicy.addSettings(SETTINGS);
        StorageSettings.addSettings(SETTINGS);
        DirectorySettings.addSettings(SETTINGS);
        SearchLimits.addSettings(SETTINGS);
        SETTINGS.put("metrics-message-stages", new String[] {"false", "time each new message's steps in the server "
            + "(decoded, queued, stored, written to each socket) as the parley.message.stage metrics; for load tests"});
        ClusterSettings.addSettings(SETTINGS);
        SETTINGS.put("costly-requests-per-second", new String[] {"10", "sustained costly requests per account, "
            + "across all its connections (searches, lists, group changes, contact requests; docs/security.md)"});
        SETTINGS.put("costly-request-burst", new String[] {"100",
            "costly requests per account allowed in a burst"});
        SETTINGS.put("max-connections-per-account", new String[] {"32",
            "connections one account may have logged in at once; a login beyond gets RATE_LIMITED"});
        ReactionLimits.addSettings(SETTINGS);
        EditLimits.addSettings(SETTINGS);
        SignedInLimits.addSettings(SETTINGS);
        GroupLimits.addSettings(SETTINGS);
        TypingRelay.addSettings(SETTINGS);
        ContactLimits.addSettings(SETTINGS);
        SETTINGS.put("write-gather-bytes", new String[] {"65536", "most bytes of a connection's waiting answers and "
            + "pushes joined into one socket write (0 = each written alone)"});
        MemorySettings.addSettings(SETTINGS);
    }

    /** Thrown for a bad flag, file or value; the message is meant for the person who typed it. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    public static ServerConfig defaults() {
        return fromMap(new LinkedHashMap<>());
    }

    /** Parses flags ({@code --name value}, {@code --name=value}, or {@code --plaintext}); reads the config file. */
    public static ServerConfig parse(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        String configFile = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "' (see --help)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("plaintext")) {
                flags.put("tls", "false");
                continue;
            } else {
                if (i + 1 >= args.size()) {
                    throw new ConfigException("--" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (name.equals("config")) {
                configFile = value;
            } else if (SETTINGS.containsKey(name)) {
                flags.put(name, value);
            } else {
                throw new ConfigException("unknown option --" + name + " (see --help)");
            }
        }
        Map<String, String> merged = new LinkedHashMap<>();
        Path dataDir = Path.of(flags.getOrDefault("data-dir", SETTINGS.get("data-dir")[0]));
        Path file = configFile != null ? Path.of(configFile) : dataDir.resolve("parley.properties");
        if (configFile != null || Files.isRegularFile(file)) {
            merged.putAll(readFile(file));
        }
        merged.putAll(flags);
        return fromMap(merged);
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (!SETTINGS.containsKey(name)) {
                throw new ConfigException("unknown setting '" + name + "' in " + file);
            }
            out.put(name, p.getProperty(name).strip());
        }
        return out;
    }

    private static ServerConfig fromMap(Map<String, String> values) {
        Map<String, String> v = new LinkedHashMap<>();
        SETTINGS.forEach((k, d) -> v.put(k, values.getOrDefault(k, d[0])));
        List<String> admins = new ArrayList<>();
        for (String a : v.get("admins").split(",")) {
            if (!a.isBlank()) {
                admins.add(a.strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
        int maxFrame = intIn(v, "max-frame-bytes", 1024, Protocol.ABSOLUTE_MAX_FRAME_BYTES);
        StorageSettings storage = StorageSettings.from(v, System.getenv());
        return new ServerConfig(v.get("host"), intIn(v, "port", 0, 65535), Path.of(v.get("data-dir")),
                bool(v, "tls"), maxFrame, intIn(v, "max-message-bytes", 1, maxFrame / 2),
                intIn(v, "requests-per-second", 1, 1_000_000), intIn(v, "request-burst", 1, 1_000_000),
                intIn(v, "max-outbound-bytes", 65536, Integer.MAX_VALUE), intIn(v, "idle-timeout-seconds", 5, 86400),
                bool(v, "fsync"), intIn(v, "argon2-memory-kib", 8, 4 << 20), intIn(v, "argon2-iterations", 1, 100),
                Set.copyOf(admins), longIn(v, "max-file-bytes", 0, Long.MAX_VALUE),
                longIn(v, "file-quota-bytes", 0, Long.MAX_VALUE), intIn(v, "upload-expiry-hours", 1, 24 * 365),
                longIn(v, "max-picture-pixels", 1, 1L << 31), intIn(v, "slow-reader-seconds", 1, 86400),
                intIn(v, "max-open-uploads", 1, 1_000_000), longIn(v, "max-unfinished-bytes-per-user", 0,
                        Long.MAX_VALUE), longIn(v, "max-unfinished-bytes", 0, Long.MAX_VALUE),
                intIn(v, "upload-reservation-minutes", 1, 7 * 24 * 60), intIn(v, "max-jpeg-scans", 1, 100_000),
                longIn(v, "max-animation-pixels", 1, Long.MAX_VALUE), intIn(v, "media-threads", 1, 256),
                intIn(v, "media-queue", 0, 100_000), intIn(v, "decode-timeout-seconds", 1, 3600),
                ConnectionLimits.from(v, maxFrame), loginLimits(v), OpsSettings.from(v),
                accountPolicy(v), storage, directory(v),
                SearchLimits.from((name, min, max) -> longIn(v, name, min, max)), bool(v, "metrics-message-stages"),
                cluster(v, storage), intIn(v, "costly-requests-per-second", 1, 1_000_000),
                intIn(v, "costly-request-burst", 1, 1_000_000), intIn(v, "max-connections-per-account", 1, 1_000_000),
                ReactionLimits.from((name, min, max) -> longIn(v, name, min, max)),
                EditLimits.from((name, min, max) -> longIn(v, name, min, max)), SignedInLimits.from(v),
                GroupLimits.from((name, min, max) -> longIn(v, name, min, max)),
                ContactLimits.from((name, min, max) -> longIn(v, name, min, max)),
                intIn(v, "file-block-kib", 16, 1024), intIn(v, "write-gather-bytes", 0, 1 << 20),
                MemorySettings.from(v), intIn(v, "typing-interval-ms", (int) TypingRelay.MIN_INTERVAL_MS,
                        (int) TypingRelay.MAX_INTERVAL_MS));
    }

    private static ClusterSettings cluster(Map<String, String> v, StorageSettings storage) {
        try {
            return ClusterSettings.from(v, System.getenv(), storage.postgresql(),
                    (name, min, max) -> longIn(v, name, min, max));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static DirectorySettings directory(Map<String, String> v) {
        try {
            return DirectorySettings.from(v, (name, min, max) -> longIn(v, name, min, max));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static AccountPolicy accountPolicy(Map<String, String> v) {
        try {
            return AccountPolicy.from(v, (name, min, max) -> longIn(v, name, min, max));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static LoginLimits loginLimits(Map<String, String> v) {
        int threads = intIn(v, "login-hash-threads", 0, 1024);
        return new LoginLimits(intIn(v, "login-account-free-failures", 0, 1000),
                intIn(v, "login-account-lock-failures", 1, 1_000_000),
                intIn(v, "login-address-free-failures", 0, 1000),
                intIn(v, "login-address-lock-failures", 1, 1_000_000), intIn(v, "login-delay-ms", 1, 3_600_000),
                intIn(v, "login-max-delay-ms", 1, 3_600_000), intIn(v, "login-lock-seconds", 1, 86_400) * 1000L,
                intIn(v, "login-checks-per-address", 1, 1_000_000),
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads,
                intIn(v, "login-max-pending-checks", 1, 1_000_000), intIn(v, "login-reserved-percent", 0, 90),
                intIn(v, "login-tracked-entries", 100, 10_000_000));
    }

    static long longIn(Map<String, String> v, String name, long min, long max) {
        String s = v.get(name);
        try {
            long n = Long.parseLong(s);
            if (n < min || n > max) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", was " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, was '" + s + "'");
        }
    }

    static int intIn(Map<String, String> v, String name, int min, int max) {
        String s = v.get(name);
        try {
            int n = Integer.parseInt(s);
            if (n < min || n > max) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", was " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, was '" + s + "'");
        }
    }

    private static boolean bool(Map<String, String> v, String name) {
        String s = v.get(name);
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(name + " must be true or false, was '" + s + "'");
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, dataDir, tls, maxFrameBytes, maxMessageBytes, requestsPerSecond,
                requestBurst, maxOutboundBytes, idleTimeoutSeconds, fsync, argon2MemoryKiB, argon2Iterations, admins,
                maxFileBytes, fileQuotaBytes, uploadExpiryHours, maxPicturePixels, slowReaderSeconds, maxOpenUploads,
                maxUnfinishedBytesPerUser, maxUnfinishedBytes, uploadReservationMinutes, maxJpegScans,
                maxAnimationPixels, mediaThreads, mediaQueue, decodeTimeoutSeconds, connectionLimits, login, ops,
                accountPolicy, storage, directory, search, messageStages, cluster, costlyRequestsPerSecond,
                costlyRequestBurst, maxConnectionsPerAccount, reactions, editing, signedIn, groupLimits,
                contactLimits, fileBlockKiB, writeGatherBytes, memory, typingIntervalMillis);
    }

    public static String help() {
        StringBuilder b = new StringBuilder();
        SETTINGS.forEach((name, d) -> b.append(String.format("  --%-22s %s (default: %s)%n", name + " VALUE", d[1],
                d[0].isEmpty() ? "none" : d[0])));
        return b.toString();
    }
}
