package org.parley.server.accounts;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;

/**
 * The threads that compute password hashes (Argon2id is deliberately slow and CPU-bound), with a bounded number of
 * checks waiting for them. A share of that number is kept for addresses someone signed in from before, and their
 * checks run first: a flood from strangers fills only the rest. A check that finds no room is refused at once with
 * RATE_LIMITED (the connection stays; the client tries again shortly), never queued without bound.
 */
public final class PasswordChecks implements AutoCloseable {

    private final ThreadPoolExecutor pool;
    private final int maxPending;
    private final int strangersMax;
    private final AtomicLong sequence = new AtomicLong();
    private int pending;

    public PasswordChecks(int threads, int maxPending, int reservedPercent) {
        this(threads, maxPending, reservedPercent, "parley-kdf");
    }

    /** With the threads named {@code threadName} (directory logins use a pool of their own). */
    public PasswordChecks(int threads, int maxPending, int reservedPercent, String threadName) {
        this.maxPending = maxPending;
        this.strangersMax = Math.max(1, maxPending - (int) Math.ceil(maxPending * reservedPercent / 100.0));
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, threadName);
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code check} on a hashing thread; fails with RATE_LIMITED when there is no room for it. */
    public <T> CompletableFuture<T> run(boolean knownAddress, Supplier<T> check) {
        synchronized (this) {
            if (pending >= (knownAddress ? maxPending : strangersMax)) {
                return CompletableFuture.failedFuture(new ParleyException(ErrorCode.RATE_LIMITED,
                        "the server is busy checking passwords; try again in a few seconds"));
            }
            pending++;
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            pool.execute(new Task(knownAddress, sequence.incrementAndGet(), () -> {
                // The place is freed before the caller hears the outcome: its next check must find room.
                T value = null;
                Throwable failure = null;
                try {
                    value = check.get();
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    done();
                }
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure);
                }
            }));
        } catch (RejectedExecutionException e) {
            done();
            result.completeExceptionally(new ParleyException(ErrorCode.UNAVAILABLE, "the server is stopping"));
        }
        return result;
    }

    private synchronized void done() {
        pending--;
    }

    /** Checks waiting for or using a hashing thread now. */
    public synchronized int pending() {
        return pending;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Known addresses first, then in arrival order. */
    private record Task(boolean known, long seq, Runnable body) implements Runnable, Comparable<Task> {

        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Task o) {
            if (known != o.known) {
                return known ? -1 : 1;
            }
            return Long.compare(seq, o.seq);
        }
    }
}
