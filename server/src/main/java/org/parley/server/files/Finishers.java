package org.parley.server.files;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;

/**
 * Where uploads are finished (hash check, media pipeline, storing the file), off the request workers: a pool of
 * {@code threads} with a bounded number of finishes waiting, each account's finishes one at a time and taking turns
 * with other accounts' (an account with more waiting goes back behind the others after each), so that one user's
 * costly pictures never hold up another's. When too many wait, a finish is answered {@code UNAVAILABLE} at once
 * (the server is overloaded: the client reconnects and finishes again later; nothing is lost, the upload stays); an
 * account with more than a quarter of them waiting gets {@code RATE_LIMITED}.
 */
final class Finishers implements AutoCloseable {

    private final ThreadPoolExecutor pool;
    private final int threads;
    private final int maxWaiting;
    private final int maxWaitingPerAccount;
    /** Finishes waiting per account that has one running or queued in the pool; guarded by this. */
    private final Map<Long, ArrayDeque<Runnable>> lanes = new HashMap<>();
    private int waiting;

    Finishers(int threads, int maxWaiting) {
        this.threads = threads;
        this.maxWaiting = maxWaiting;
        this.maxWaitingPerAccount = Math.max(1, maxWaiting / 4);
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, maxWaiting) + threads), r -> {
                    Thread t = new Thread(r, "parley-media");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Runs {@code work} for {@code accountId} in turn; UNAVAILABLE at once when too many finishes wait. */
    <T> CompletableFuture<T> submit(long accountId, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        };
        synchronized (this) {
            ArrayDeque<Runnable> lane = lanes.get(accountId);
            if (lane != null && lane.size() > maxWaitingPerAccount) { // its first may not have started yet
                throw new ParleyException(ErrorCode.RATE_LIMITED, "you have " + lane.size() + " uploads waiting "
                        + "to be finished; nothing was lost: finish this one again when they are done");
            }
            if (waiting >= maxWaiting + threads) { // those about to start on a free thread do not wait
                throw busy();
            }
            waiting++;
            if (lane != null) {
                lane.add(task);
                return result;
            }
            lane = new ArrayDeque<>();
            lane.add(task);
            lanes.put(accountId, lane);
            try {
                pool.execute(() -> runNext(accountId));
            } catch (RejectedExecutionException stopping) {
                lanes.remove(accountId);
                waiting--;
                throw new ParleyException(ErrorCode.UNAVAILABLE, "the server is stopping; finish the upload again "
                        + "later");
            }
        }
        return result;
    }

    /** Runs the account's oldest waiting finish, then queues its lane again behind the others if more wait. */
    private void runNext(long accountId) {
        Runnable task;
        synchronized (this) {
            task = lanes.get(accountId).poll();
            waiting--;
        }
        task.run();
        synchronized (this) {
            ArrayDeque<Runnable> lane = lanes.get(accountId);
            if (lane.isEmpty()) {
                lanes.remove(accountId);
                return;
            }
            try {
                pool.execute(() -> runNext(accountId));
                return;
            } catch (RejectedExecutionException stopping) {
                // stopping: run the rest here
            }
        }
        runNext(accountId);
    }

    private static ParleyException busy() {
        return new ParleyException(ErrorCode.UNAVAILABLE, "the server is busy finishing other uploads; nothing "
                + "was lost: finish this upload again in a moment");
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
