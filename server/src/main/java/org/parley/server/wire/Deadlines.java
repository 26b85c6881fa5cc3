package org.parley.server.wire;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.parley.protocol.ErrorCode;
import org.parley.server.config.ConnectionLimits;
import org.parley.server.wire.MinaClientLink.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Wall-clock deadlines, checked by one thread a few times a second whatever the peer sends (a peer that trickles
 * one byte a second never lets a read-idle timer fire): {@code Hello} within {@code hello-timeout-seconds} of
 * connecting, a login request within {@code login-timeout-seconds}, and any frame, once begun, within
 * {@code frame-timeout-seconds} plus its size over {@code frame-min-bytes-per-second} (time during which the server
 * itself stopped reading the connection does not count). The Hello and login deadlines are met when the frame
 * arrives in full, however long the server's workers then take to answer it. Watches only connections that have not logged in and
 * those with a frame in progress.
 */
final class Deadlines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);
    /** How long a connection told to close may take to flush its last frame before it is cut. */
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long PERIOD_MS = 200;

    private final ConnectionLimits limits;
    private final Warnings warnings;
    private final Set<MinaClientLink> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    Deadlines(ConnectionLimits limits, Warnings warnings) {
        this.limits = limits;
        this.warnings = warnings;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    void watch(MinaClientLink link) {
        watched.add(link);
    }

    void forget(MinaClientLink link) {
        watched.remove(link);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (MinaClientLink link : watched) {
            try {
                check(link, now);
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).log("deadline check failed");
            }
        }
    }

    void check(MinaClientLink link, long now) {
        var session = link.session();
        if (!session.isConnected()) {
            watched.remove(link);
            return;
        }
        if (link.closeAskedNanos != 0 || link.state == State.CLOSING) {
            if (link.closeAskedNanos != 0 && now - link.closeAskedNanos > CLOSE_GRACE_NANOS) {
                session.closeNow();
            }
            return;
        }
        long sinceConnect = TimeUnit.NANOSECONDS.toMillis(now - link.connectedNanos);
        State state = link.state;
        if (link.waitingForServer()) {
            return; // the peer was on time; its Hello or login request waits for the workers
        }
        if (state == State.AWAIT_HELLO && sinceConnect > limits.helloTimeoutSeconds() * 1000L) {
            expire(link, ErrorCode.HANDSHAKE_REQUIRED, "no Hello within " + limits.helloTimeoutSeconds() + " s");
            return;
        }
        if ((state == State.AWAIT_HELLO || state == State.AWAIT_LOGIN)
                && sinceConnect > limits.loginTimeoutSeconds() * 1000L) {
            expire(link, ErrorCode.HANDSHAKE_REQUIRED, "no login within " + limits.loginTimeoutSeconds() + " s");
            return;
        }
        long frameMillis = link.frameMillis(now);
        int length = link.frameInProgress();
        if (frameMillis >= 0 && length > 0 && frameMillis > limits.frameDeadlineMillis(length)) {
            expire(link, ErrorCode.UNAVAILABLE, "a frame of " + length + " bytes was not complete within "
                    + limits.frameDeadlineMillis(length) / 1000 + " s");
            return;
        }
        if (state == State.LOGGED_IN && frameMillis < 0) {
            watched.remove(link);
            if (link.frameInProgress() > 0) {
                watched.add(link); // a frame began meanwhile
            }
        }
    }

    private void expire(MinaClientLink link, ErrorCode code, String reason) {
        warnings.log(LOG, Level.INFO, link.address, "connection missed a deadline; closing", reason);
        link.closeAskedNanos = System.nanoTime();
        link.close(code, reason);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
