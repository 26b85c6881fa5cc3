package org.parley.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The operations settings (docs/operations.md): log format, the metrics/health HTTP endpoint, JMX, and a PEM
 * certificate chain and key for TLS.
 *
 * @param logFormat {@code text} (key=value lines) or {@code json} (one JSON object a line)
 * @param metricsAddress where the HTTP endpoint for metrics, health and backup listens; null when off
 * @param jmx whether the metrics are also published as JMX MBeans
 * @param tlsCert PEM certificate chain (leaf first, as Let's Encrypt's fullchain.pem); null for the self-signed one
 * @param tlsKey PEM private key of that certificate (privkey.pem); null with {@code tlsCert}
 * @param tlsReloadSeconds how often the PEM files are checked for a change (a new certificate is then loaded)
 * @param tlsSessionSeconds how long after a full TLS handshake its session may be resumed (a session ticket's
 *        lifetime; docs/security.md, "TLS session resumption")
 */
public record OpsSettings(String logFormat, InetSocketAddress metricsAddress, boolean jmx, Path tlsCert, Path tlsKey,
        int tlsReloadSeconds, int tlsSessionSeconds) {

    static void addSettings(Map<String, String[]> settings) {
        settings.put("log-format", new String[] {"text", "log lines as key=value text or as JSON (text or json)"});
        settings.put("metrics-address", new String[] {"", "HOST:PORT of the HTTP endpoint for Prometheus metrics, "
            + "health checks and online backups (off when empty; keep it on loopback or a private network)"});
        settings.put("metrics-jmx", new String[] {"false", "also publish the metrics as JMX MBeans (metrics:...)"});
        settings.put("tls-cert", new String[] {"", "PEM certificate chain (fullchain.pem); empty = self-signed"});
        settings.put("tls-key", new String[] {"", "PEM private key of tls-cert (privkey.pem)"});
        settings.put("tls-reload-seconds", new String[] {"60",
            "how often tls-cert and tls-key are checked for a change (new connections get the new certificate)"});
        settings.put("tls-session-seconds", new String[] {"86400", "how long after a full TLS handshake a client "
            + "may resume its session (skipping the certificate and its signature): the session tickets' lifetime, "
            + "at most 604800"});
    }

    static OpsSettings from(Map<String, String> v) {
        String format = v.get("log-format").strip().toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new ServerConfig.ConfigException("log-format must be text or json, was '" + v.get("log-format")
                    + "'");
        }
        String jmx = v.get("metrics-jmx");
        if (!jmx.equalsIgnoreCase("true") && !jmx.equalsIgnoreCase("false")) {
            throw new ServerConfig.ConfigException("metrics-jmx must be true or false, was '" + jmx + "'");
        }
        String cert = v.get("tls-cert").strip();
        String key = v.get("tls-key").strip();
        if (cert.isEmpty() != key.isEmpty()) {
            throw new ServerConfig.ConfigException("tls-cert and tls-key go together: set both or neither");
        }
        return new OpsSettings(format, address(v.get("metrics-address").strip()), Boolean.parseBoolean(jmx),
                cert.isEmpty() ? null : Path.of(cert), key.isEmpty() ? null : Path.of(key),
                ServerConfig.intIn(v, "tls-reload-seconds", 1, 86_400),
                ServerConfig.intIn(v, "tls-session-seconds", 1, 604_800));
    }

    private static InetSocketAddress address(String s) {
        if (s.isEmpty()) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ServerConfig.ConfigException("metrics-address must be HOST:PORT (e.g. 127.0.0.1:9464), was '"
                    + s + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = ServerConfig.intIn(Map.of("metrics-address port", s.substring(colon + 1)),
                "metrics-address port", 0, 65535);
        return new InetSocketAddress(host, port);
    }
}
