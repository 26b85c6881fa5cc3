package org.parley.server.config;

import java.util.Map;

/**
 * What a connection may do before it has logged in, and how long anyone may take to send a frame: the settings
 * that keep a server alive for its users while anyone who can reach its port misbehaves (docs/security.md,
 * "Before login").
 *
 * @param loginFrameBytes largest frame accepted before login (nothing before login needs more)
 * @param partialFrameBudgetBytes memory for frames received in part, server-wide; when it is used up, a
 *        connection that has not logged in and needs more is closed ({@code UNAVAILABLE})
 * @param helloTimeoutSeconds time from connecting to a complete {@code Hello}
 * @param loginTimeoutSeconds time from connecting to a login request ({@code Login}, {@code Register},
 *        {@code Resume}) completely received
 * @param frameTimeoutSeconds time allowed for any frame, once its first bytes arrived, plus its size over
 *        {@code frameMinBytesPerSecond}
 * @param frameMinBytesPerSecond slowest rate at which a large frame may arrive
 * @param maxUnauthenticatedPerAddress connections from one address that have not logged in yet
 * @param framesBehindLogin frames a connection may send behind a login request before its answer (they wait for it
 *        and then run in order); more are refused with {@code RATE_LIMITED} at once
 * @param warningsPerAddressPerMinute log lines about misbehaving connections (failed TLS handshakes, deadlines,
 *        bad frames) per remote address and minute; the rest are counted and reported in the next line
 */
public record ConnectionLimits(int loginFrameBytes, long partialFrameBudgetBytes, int helloTimeoutSeconds,
        int loginTimeoutSeconds, int frameTimeoutSeconds, int frameMinBytesPerSecond, int maxUnauthenticatedPerAddress,
        int framesBehindLogin, int warningsPerAddressPerMinute) {

    static void addSettings(Map<String, String[]> settings) {
        settings.put("login-frame-bytes", new String[] {"8192", "largest frame accepted before login"});
        settings.put("partial-frame-budget-bytes", new String[] {String.valueOf(64L << 20),
            "memory for frames received in part, server-wide; not-logged-in connections that need more are closed"});
        settings.put("hello-timeout-seconds", new String[] {"10", "time from connecting to a complete Hello"});
        settings.put("login-timeout-seconds", new String[] {"30",
            "time from connecting to a complete Login, Register or Resume"});
        settings.put("frame-timeout-seconds", new String[] {"10",
            "time for any frame once begun, plus its size over frame-min-bytes-per-second"});
        settings.put("frame-min-bytes-per-second", new String[] {"2048", "slowest rate a large frame may arrive at"});
        settings.put("max-unauthenticated-per-address", new String[] {"64",
            "connections from one address that have not logged in yet"});
        settings.put("frames-behind-login", new String[] {"16",
            "frames a connection may send behind a login request before its answer"});
        settings.put("warnings-per-address-per-minute", new String[] {"6",
            "log lines about misbehaving connections per remote address and minute"});
    }

    static ConnectionLimits from(Map<String, String> v, int maxFrameBytes) {
        int loginFrame = ServerConfig.intIn(v, "login-frame-bytes", 1024, maxFrameBytes);
        return new ConnectionLimits(loginFrame,
                ServerConfig.longIn(v, "partial-frame-budget-bytes", 64 * 1024, Long.MAX_VALUE / 2),
                ServerConfig.intIn(v, "hello-timeout-seconds", 1, 3600),
                ServerConfig.intIn(v, "login-timeout-seconds", 1, 3600),
                ServerConfig.intIn(v, "frame-timeout-seconds", 1, 3600),
                ServerConfig.intIn(v, "frame-min-bytes-per-second", 1, Integer.MAX_VALUE),
                ServerConfig.intIn(v, "max-unauthenticated-per-address", 1, 1_000_000),
                ServerConfig.intIn(v, "frames-behind-login", 0, 1000),
                ServerConfig.intIn(v, "warnings-per-address-per-minute", 1, 1_000_000));
    }

    /** Milliseconds allowed for a frame of {@code length} bytes, from its first bytes to its last. */
    public long frameDeadlineMillis(int length) {
        return frameTimeoutSeconds * 1000L + length * 1000L / frameMinBytesPerSecond;
    }
}
