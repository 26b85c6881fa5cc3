package org.parley.server.wire;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide bound on unsent answers and pushes ({@code max-outbound-total-bytes}). Each connection may hold
 * up to {@code max-outbound-bytes} unsent, which is fine for one but not for hundreds at once: 128 connections that
 * pipelined history pages of 1 MiB and read none held more than a 256 MiB heap between them. So, while the unsent
 * bytes of all connections together are over the bound:
 * <ul>
 * <li>a connection with more than {@link #LITTLE} unsent gets its next answer only once it has read its backlog
 * down to that (its requests wait, {@link MinaClientLink#admit}): a client that reads goes on, one answer after
 * the other; one that does not read gets nothing more built for it;</li>
 * <li>connections that have made no progress for {@code outbound-catch-up-seconds} are closed, the longest behind
 * first, until the total is within the bound again. Progress is having read the backlog down to {@link #LITTLE}, or
 * having read at least that much since the last progress ({@link MinaClientLink#noteProgress}), so a slow reader
 * with a large answer on its way is not taken for one that does not read. Their clients resync from the history
 * when they come back, as after {@code max-outbound-bytes}. A client that reads keeps making progress, and is never
 * chosen.</li>
 * </ul>
 * The total is kept here from each connection's own count (MINA's), reported when it writes and when its writes
 * complete ({@link MinaClientLink#reportUnsent}); a sweep a few times a second closes the connections that are behind.
 * A push written to many connections is one buffer in memory (a fan-out's encoded frame): it counts once, from
 * when the first of them holds it unsent until the last has sent it or closed ({@link #holdShared}), and each
 * connection reports only what it holds alone (answers, the copy of a gathered write). MINA's own count per
 * connection, which includes the shared buffers, is what {@code max-outbound-bytes} bounds.
 */
final class OutboundBudget implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundBudget.class);
    /** What a connection may have unsent and still get its next answer while the server is over its bound. */
    static final long LITTLE = 64 * 1024;
    static final long PERIOD_MS = 250;

    /** No bound (unit tests of a single link). */
    static final OutboundBudget UNBOUNDED = new OutboundBudget(Long.MAX_VALUE, Long.MAX_VALUE, List::of, false);

    private final long max;
    private final long catchUpMillis;
    private final Supplier<? extends Iterable<MinaClientLink>> links;
    private final AtomicLong total = new AtomicLong();
    /** Each shared buffer held unsent by at least one connection: {how many hold it, its size}. */
    private final ConcurrentHashMap<Object, long[]> shared = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * @param max {@code max-outbound-total-bytes}
     * @param catchUpMillis {@code outbound-catch-up-seconds}, in milliseconds
     * @param links every connection (the acceptor's)
     */
    OutboundBudget(long max, long catchUpMillis, Supplier<? extends Iterable<MinaClientLink>> links) {
        this(max, catchUpMillis, links, true);
    }

    /** As above; {@code sweep} false: nothing sweeps by itself ({@link #sweep(long)} is called with the time). */
    OutboundBudget(long max, long catchUpMillis, Supplier<? extends Iterable<MinaClientLink>> links, boolean sweep) {
        this.max = max;
        this.catchUpMillis = catchUpMillis;
        this.links = links;
        if (sweep) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "parley-outbound");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::sweep, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** A connection's unsent bytes changed by {@code delta}. */
    void add(long delta) {
        if (delta != 0) {
            total.addAndGet(delta);
        }
    }

    /**
     * A connection holds {@code buffer} ({@code size} bytes, shared with others) unsent: counted when the first does.
     * Each call is matched by one {@link #releaseShared}.
     */
    void holdShared(Object buffer, long size) {
        shared.compute(buffer, (b, held) -> {
            if (held == null) {
                total.addAndGet(size);
                return new long[] {1, size};
            }
            held[0]++;
            return held;
        });
    }

    /** A connection no longer holds {@code buffer} (sent, or closed): no longer counted once none does. */
    void releaseShared(Object buffer) {
        shared.computeIfPresent(buffer, (b, held) -> {
            if (--held[0] > 0) {
                return held;
            }
            total.addAndGet(-held[1]);
            return null;
        });
    }

    /** How many shared buffers are held unsent by some connection (tests). */
    int sharedBuffers() {
        return shared.size();
    }

    /** The unsent bytes of all connections together, as last reported. */
    long total() {
        return total.get();
    }

    /** Whether all connections' unsent bytes together are over the bound. */
    boolean over() {
        return total.get() > max;
    }

    private void sweep() {
        try {
            sweep(System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("outbound budget sweep failed");
        }
    }

    /**
     * Brings every connection's count up to date, notes those that caught up, lets those with requests waiting go
     * on if they may now, and, while the total is over the bound, closes the connections that have been behind for
     * longer than {@code catchUpMillis}, longest behind first, until it is not.
     */
    void sweep(long now) {
        List<MinaClientLink> behind = new ArrayList<>();
        for (MinaClientLink link : links.get()) {
            long unsent = link.reportUnsent();
            link.noteProgress(now, unsent);
            if (unsent > LITTLE && now - link.progressAt() > catchUpMillis) {
                behind.add(link);
            }
            link.resumeIfRoom();
        }
        if (!over() || behind.isEmpty()) {
            return;
        }
        behind.sort(Comparator.comparingLong(MinaClientLink::progressAt));
        long left = total.get();
        for (MinaClientLink link : behind) {
            if (left <= max) {
                break;
            }
            long own = link.reportedOwn(); // shared buffers stay while another connection holds them
            link.closeBehind(left, max);
            left -= own;
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
