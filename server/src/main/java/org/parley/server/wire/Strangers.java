package org.parley.server.wire;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.parley.server.accounts.LoginThrottle;

/**
 * Counts, per remote address, the connections that have not logged in yet, and refuses more than
 * {@code max-unauthenticated-per-address} of them. A connection leaves the count when it logs in or closes. An IPv6
 * peer is counted by its /64 prefix ({@link LoginThrottle#addressKey}), as the login throttle counts it.
 */
final class Strangers {

    private final int maxPerAddress;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    Strangers(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts {@code link} in, unless its address already has the most allowed: then false. */
    boolean admit(MinaClientLink link) {
        if (link.address == null) {
            return true;
        }
        boolean[] admitted = {false};
        counts.compute(LoginThrottle.addressKey(link.address), (a, n) -> {
            int c = n == null ? 0 : n;
            if (c >= maxPerAddress) {
                return n;
            }
            admitted[0] = true;
            return c + 1;
        });
        if (admitted[0]) {
            link.markUnauthenticated();
        }
        return admitted[0];
    }

    /** {@code link} logged in or closed: it no longer counts (once, however often this is called). */
    void leave(MinaClientLink link) {
        if (link.leaveUnauthenticated()) {
            counts.computeIfPresent(LoginThrottle.addressKey(link.address), (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections of {@code address} that have not logged in (for tests and diagnostics). */
    int count(InetAddress address) {
        return counts.getOrDefault(LoginThrottle.addressKey(address), 0);
    }
}
