package org.parley.server.config;

import java.util.Map;

/**
 * What bounds signed-in connections together, so that many of them cannot fill the heap between them while each
 * stays within its own limits (docs/security.md, "Slow readers").
 *
 * @param maxOutboundTotalBytes unsent answers and pushes of all connections together: while they are over it, a
 *        connection with more than a little unsent waits for its next answer until it has read, and connections
 *        that have not caught up for {@code outboundCatchUpSeconds} are closed, longest behind first
 * @param outboundCatchUpSeconds how long a connection may go without progress reading (its backlog read down to
 *        64 KiB, or 64 KiB of it read) before it is closed while the server is over {@code maxOutboundTotalBytes}
 * @param pageBuilds history, search and list pages (each up to a frame) built at once, server-wide; more wait
 * @param idleCheckSeconds how often a connection that has sent nothing is checked against the idle timeout
 */
public record SignedInLimits(long maxOutboundTotalBytes, int outboundCatchUpSeconds, int pageBuilds,
        int idleCheckSeconds) {

    /** The most {@code max-outbound-total-bytes} may be (MINA counts the server's unsent bytes in an int). */
    static final long MAX_OUTBOUND_TOTAL = 1L << 30;

    static void addSettings(Map<String, String[]> settings) {
        settings.put("max-outbound-total-bytes", new String[] {"0", "unsent answers of all connections together "
            + "(0 = a quarter of the heap, at most 1 GiB); while over it, connections that do not read wait and the "
            + "longest behind are closed"});
        settings.put("outbound-catch-up-seconds", new String[] {"10", "while the server is over "
            + "max-outbound-total-bytes, a connection that has made no progress reading for this long is closed"});
        settings.put("page-builds", new String[] {"4",
            "history, search and list pages (up to a frame each) built at once, server-wide; more wait their turn"});
        settings.put("idle-check-seconds", new String[] {"10",
            "how often connections that send nothing are checked against idle-timeout-seconds"});
    }

    static SignedInLimits from(Map<String, String> v) {
        long total = ServerConfig.longIn(v, "max-outbound-total-bytes", 0, MAX_OUTBOUND_TOTAL);
        if (total != 0 && total < 1 << 20) {
            throw new ServerConfig.ConfigException("max-outbound-total-bytes must be 0 (a quarter of the heap) or "
                    + "at least " + (1 << 20) + ", was " + total);
        }
        return new SignedInLimits(total == 0 ? defaultOutboundTotal() : total,
                ServerConfig.intIn(v, "outbound-catch-up-seconds", 1, 3600),
                ServerConfig.intIn(v, "page-builds", 1, 1024),
                ServerConfig.intIn(v, "idle-check-seconds", 1, 3600));
    }

    /** A quarter of the heap the JVM may use, at most {@link #MAX_OUTBOUND_TOTAL}. */
    static long defaultOutboundTotal() {
        return Math.max(1 << 20, Math.min(MAX_OUTBOUND_TOTAL, Runtime.getRuntime().maxMemory() / 4));
    }
}
