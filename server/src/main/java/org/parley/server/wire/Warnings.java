package org.parley.server.wire;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import org.parley.server.accounts.LoginThrottle;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Log lines about misbehaving connections (failed TLS handshakes, missed deadlines, refused frames), at most
 * {@code perMinute} a minute per remote address; the lines dropped are counted and reported ({@code suppressed=})
 * with the next line let through for that address. An IPv6 peer is counted by its /64 prefix
 * ({@link LoginThrottle#addressKey}): one subscriber usually has all of it. One line per event, never a stack trace: the log of a server
 * under attack must not become a way to fill its disk.
 */
final class Warnings {

    /** Addresses remembered; the least recently warned about is forgotten first. */
    private static final int ADDRESSES = 10_000;
    private static final long MINUTE_MS = 60_000;

    private static final class Window {
        long start;
        int count;
        int suppressed;
    }

    private final int perMinute;
    private final Map<String, Window> windows = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > ADDRESSES;
        }
    };

    Warnings(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Logs {@code message} about {@code address} (with {@code reason}) unless that address had its share. */
    void log(Logger log, Level level, InetAddress address, String message, String reason) {
        int suppressed = admit(address, System.currentTimeMillis());
        if (suppressed < 0 || !log.isEnabledForLevel(level)) {
            return;
        }
        var line = log.atLevel(level).addKeyValue("remote", address == null ? "?" : address.getHostAddress())
                .addKeyValue("reason", reason);
        if (suppressed > 0) {
            line = line.addKeyValue("suppressed", suppressed);
        }
        line.log(message);
    }

    /** -1 to drop this line, else how many lines were dropped for this address since the last one logged. */
    synchronized int admit(InetAddress address, long nowMillis) {
        Window w = windows.computeIfAbsent(LoginThrottle.addressKey(address), a -> new Window());
        if (nowMillis - w.start >= MINUTE_MS) {
            w.start = nowMillis;
            w.count = 0;
        }
        if (w.count >= perMinute) {
            w.suppressed++;
            return -1;
        }
        w.count++;
        int s = w.suppressed;
        w.suppressed = 0;
        return s;
    }
}
