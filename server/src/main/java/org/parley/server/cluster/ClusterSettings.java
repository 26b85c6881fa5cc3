package org.parley.server.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Several server nodes (docs/scale-out.md, docs/operations.md "Several nodes"): off (one node, the default), or
 * {@code nats}: this node's id and the NATS server the nodes meet on. The password never comes from the command
 * line or the URL: from a file ({@code cluster-password-file}) or the environment ({@value #PASSWORD_ENV}).
 *
 * @param kind {@code off} or {@code nats}
 * @param nodeId this node's name among the nodes (letters, digits, '-', '_'); unique per node
 * @param url the NATS server, {@code nats://HOST:PORT} or {@code tls://HOST:PORT}
 * @param name the subject prefix: deployments sharing one NATS server use different names
 * @param user NATS user ("" with a token or no authentication)
 * @param password that user's password, or the token when there is no user
 * @param heartbeatMs how often a node tells the others it is alive
 * @param nodeTimeoutMs silence after which a node is taken as gone (its connections dropped from the others' view)
 */
public record ClusterSettings(String kind, String nodeId, String url, String name, String user, String password,
        int heartbeatMs, int nodeTimeoutMs) {

    /** The environment variable read for the password when no password file is set. */
    public static final String PASSWORD_ENV = "PARLEY_CLUSTER_PASSWORD";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static void addSettings(Map<String, String[]> settings) {
        settings.put("cluster", new String[] {"off",
            "several server nodes: off (one node) or nats (the nodes meet on cluster-url; needs storage=postgresql)"});
        settings.put("node-id", new String[] {"", "this node's name, unique among the nodes (letters, digits, - and _)"});
        settings.put("cluster-url", new String[] {"nats://127.0.0.1:4222",
            "the NATS server the nodes meet on (nats://HOST:PORT, or tls://HOST:PORT for TLS)"});
        settings.put("cluster-name", new String[] {"parley",
            "subject prefix on the NATS server (deployments sharing one NATS server need different names)"});
        settings.put("cluster-user", new String[] {"parley", "NATS user the node connects as (empty: a token)"});
        settings.put("cluster-password-file", new String[] {"", "file holding that user's password, or the token "
            + "(else the environment variable " + PASSWORD_ENV + ")"});
        settings.put("cluster-heartbeat-ms", new String[] {"1000", "how often a node tells the others it is alive"});
        settings.put("cluster-node-timeout-ms", new String[] {"5000",
            "a node silent this long is taken as gone: its users go offline, its connections are forgotten"});
    }

    /** Reads and checks the settings; {@code number} parses and range-checks a whole-number setting. */
    public static ClusterSettings from(Map<String, String> v, Map<String, String> env, boolean postgresql,
            NumberSetting number) {
        String kind = v.get("cluster").strip().toLowerCase(Locale.ROOT);
        int heartbeat = (int) number.get("cluster-heartbeat-ms", 50, 60_000);
        int timeout = (int) number.get("cluster-node-timeout-ms", 200, 600_000);
        if (kind.equals("off")) {
            return new ClusterSettings(kind, "", "", "", "", "", heartbeat, timeout);
        }
        if (!kind.equals("nats")) {
            throw new IllegalArgumentException("cluster must be off or nats, was '" + v.get("cluster") + "'");
        }
        if (!postgresql) {
            throw new IllegalArgumentException("cluster=nats needs storage=postgresql: the nodes share one database "
                    + "(H2 is embedded in one process)");
        }
        if (timeout < 3L * heartbeat) {
            throw new IllegalArgumentException("cluster-node-timeout-ms must be at least three heartbeats ("
                    + 3L * heartbeat + "), was " + timeout);
        }
        String id = v.get("node-id").strip();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("cluster=nats needs node-id, 1 to 64 letters, digits, - or _ (was '"
                    + id + "')");
        }
        String url = v.get("cluster-url").strip();
        if (!url.startsWith("nats://") && !url.startsWith("tls://")) {
            throw new IllegalArgumentException("cluster-url must be nats://HOST:PORT or tls://HOST:PORT, was '" + url
                    + "'");
        }
        if (url.substring(url.indexOf("://") + 3).contains("@")) {
            throw new IllegalArgumentException("cluster-url must not hold a user or password: use cluster-user and "
                    + "cluster-password-file or the environment variable " + PASSWORD_ENV);
        }
        String name = v.get("cluster-name").strip();
        if (!ID.matcher(name).matches()) {
            throw new IllegalArgumentException("cluster-name must be 1 to 64 letters, digits, - or _, was '" + name
                    + "'");
        }
        String file = v.get("cluster-password-file").strip();
        String password;
        if (!file.isEmpty()) {
            try {
                password = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read cluster-password-file " + file + ": " + e);
            }
        } else {
            password = env.getOrDefault(PASSWORD_ENV, "");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("cluster=nats needs a password or token for the NATS server, in "
                    + "cluster-password-file or the environment variable " + PASSWORD_ENV + ": nodes accept pushes "
                    + "only from an engine that authenticates them (docs/scale-out.md)");
        }
        return new ClusterSettings(kind, id, url, name, v.get("cluster-user").strip(), password, heartbeat, timeout);
    }

    public boolean enabled() {
        return kind.equals("nats");
    }

    @Override
    public String toString() {
        return "ClusterSettings[kind=" + kind + ", nodeId=" + nodeId + ", url=" + url + ", name=" + name + ", user="
                + user + ", heartbeatMs=" + heartbeatMs + ", nodeTimeoutMs=" + nodeTimeoutMs + "]";
    }

    /** Parses a whole-number setting within bounds (ServerConfig's, so that errors read the same). */
    @FunctionalInterface
    public interface NumberSetting {
        long get(String name, long min, long max);
    }
}
