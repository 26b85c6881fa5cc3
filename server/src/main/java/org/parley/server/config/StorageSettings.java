package org.parley.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.parley.server.storage.h2.H2Storage;
import org.parley.server.storage.h2.MvStoreMessageLog;
import org.parley.server.storage.jdbc.JdbcStorage;
import org.parley.server.storage.postgresql.PostgresStorage;

/**
 * Where the server keeps its data (docs/operations.md, "Storage"): the embedded H2 database in the data directory
 * (the default), or a PostgreSQL database. The password never comes from the command line or the URL: from a file
 * ({@code postgresql-password-file}) or the environment ({@value #PASSWORD_ENV}).
 *
 * @param kind {@code h2} or {@code postgresql}
 * @param url JDBC URL of the PostgreSQL database ("" with h2)
 * @param user PostgreSQL role
 * @param password that role's password ("" for none: trust or peer authentication)
 * @param poolSize PostgreSQL connections the server keeps at most
 * @param messageLog where H2 keeps the messages: {@code sql} (the messages table), {@code mvstore} (the MVStore
 *        log, docs/decisions/message-log.md) or {@code auto} (the default: what the data directory has, the MVStore
 *        log for a new one; {@link H2Storage.MessageLog#AUTO})
 * @param messageLogFillRate with the MVStore log: the percentage of live data in its file's chunks under which it
 *        compacts them (message-log-fill-rate)
 */
public record StorageSettings(String kind, String url, String user, String password, int poolSize,
        String messageLog, int messageLogFillRate) {

    /** The environment variable read for the password when no password file is set. */
    public static final String PASSWORD_ENV = "PARLEY_POSTGRESQL_PASSWORD";

    static void addSettings(Map<String, String[]> settings) {
        settings.put("storage", new String[] {"h2",
            "where the data lives: h2 (embedded, in data-dir) or postgresql (postgresql-url)"});
        settings.put("postgresql-url", new String[] {"",
            "JDBC URL of the PostgreSQL database, jdbc:postgresql://HOST:PORT/DATABASE (with storage=postgresql)"});
        settings.put("postgresql-user", new String[] {"parley", "PostgreSQL role the server connects as"});
        settings.put("postgresql-password-file", new String[] {"", "file holding that role's password (else the "
            + "environment variable " + PASSWORD_ENV + "; no password when neither is set)"});
        settings.put("postgresql-pool-size", new String[] {"16", "PostgreSQL connections the server keeps at most"});
        settings.put("message-log", new String[] {"auto", "where storage=h2 keeps the messages: auto (what the data "
            + "directory has: the MVStore log for a new one, the SQL table for one that has messages in it), mvstore "
            + "(an MVStore log beside the database; imports the table once, no way back) or sql (the messages table; "
            + "refused once the log holds them)"});
        settings.put("message-log-fill-rate", new String[] {String.valueOf(MvStoreMessageLog.DEFAULT_FILL_RATE),
            "with the MVStore message log: it compacts its file while less than this percentage of it is live data "
            + "(10-90; higher keeps the file smaller for more rewriting)"});
    }

    static StorageSettings from(Map<String, String> v, Map<String, String> env) {
        String kind = v.get("storage").strip().toLowerCase(Locale.ROOT);
        int poolSize = ServerConfig.intIn(v, "postgresql-pool-size", 1, 1000);
        String messageLog = v.getOrDefault("message-log", "auto").strip().toLowerCase(Locale.ROOT);
        int fillRate = v.containsKey("message-log-fill-rate") ? ServerConfig.intIn(v, "message-log-fill-rate", 10, 90)
                : MvStoreMessageLog.DEFAULT_FILL_RATE;
        if (!messageLog.equals("sql") && !messageLog.equals("mvstore") && !messageLog.equals("auto")) {
            throw new ServerConfig.ConfigException("message-log must be auto, mvstore or sql, was '"
                    + v.get("message-log") + "'");
        }
        if (kind.equals("h2")) {
            return new StorageSettings(kind, "", "", "", poolSize, messageLog, fillRate);
        }
        if (messageLog.equals("mvstore") && kind.equals("postgresql")) {
            throw new ServerConfig.ConfigException("message-log=mvstore needs storage=h2 (PostgreSQL keeps the "
                    + "messages in its messages table; leave message-log at auto or set sql)");
        }
        if (!kind.equals("postgresql")) {
            throw new ServerConfig.ConfigException("storage must be h2 or postgresql, was '" + v.get("storage") + "'");
        }
        String url = v.get("postgresql-url").strip();
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ServerConfig.ConfigException("storage=postgresql needs postgresql-url, "
                    + "jdbc:postgresql://HOST:PORT/DATABASE (was '" + url + "')");
        }
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            throw new ServerConfig.ConfigException("postgresql-url must not hold the password: put it in "
                    + "postgresql-password-file or the environment variable " + PASSWORD_ENV);
        }
        String user = v.get("postgresql-user").strip();
        if (user.isEmpty()) {
            throw new ServerConfig.ConfigException("postgresql-user must not be empty");
        }
        String file = v.get("postgresql-password-file").strip();
        String password;
        if (!file.isEmpty()) {
            try {
                password = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new ServerConfig.ConfigException("cannot read postgresql-password-file " + file + ": " + e);
            }
        } else {
            password = env.getOrDefault(PASSWORD_ENV, "");
        }
        return new StorageSettings(kind, url, user, password, poolSize, messageLog, fillRate);
    }

    public boolean postgresql() {
        return kind.equals("postgresql");
    }

    /** Opens the storage these settings name; {@code dataDir} and {@code fsync} are H2's. */
    public JdbcStorage open(Path dataDir, boolean fsync) {
        return postgresql() ? PostgresStorage.open(url, user, password, poolSize)
                : H2Storage.open(dataDir, fsync, H2Storage.MessageLog.valueOf(messageLog.toUpperCase(Locale.ROOT)),
                        messageLogFillRate);
    }

    /** Without the password: settings are logged and printed. */
    @Override
    public String toString() {
        return "StorageSettings[kind=" + kind + ", url=" + url + ", user=" + user + ", password="
                + (password.isEmpty() ? "none" : "(set)") + ", poolSize=" + poolSize + ", messageLog=" + messageLog
                + ", messageLogFillRate=" + messageLogFillRate + "]";
    }
}
