package org.parley.server.files;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files feature's background thread ({@code parley-files}): deletes discarded content a small transaction at a
 * time, and expires abandoned uploads soon after start (leftovers of a crash), then hourly.
 */
final class UploadSweeper implements AutoCloseable {

    private static final long PURGE_STEP_BYTES = 16L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(UploadSweeper.class);

    private final FileStore store;
    private final Map<String, LiveUpload> live;
    private final long uploadExpiryMillis;
    private final ExecutorService background;
    private final ScheduledFuture<?> sweeps;

    UploadSweeper(FileStore store, Map<String, LiveUpload> live, long uploadExpiryMillis,
            ScheduledExecutorService timer) {
        this.store = store;
        this.live = live;
        this.uploadExpiryMillis = uploadExpiryMillis;
        background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "parley-files");
            t.setDaemon(true);
            return t;
        });
        // Soon after start (leftovers of a crash), then hourly.
        sweeps = timer.scheduleWithFixedDelay(() -> background.execute(() -> sweep(System.currentTimeMillis())),
                1, 60, TimeUnit.MINUTES);
    }

    /** Expires uploads untouched for longer than the expiry (as of {@code now}), then deletes discarded content. */
    void sweep(long now) {
        try {
            long before = now - uploadExpiryMillis;
            List<String> expired = store.expireUploads(before, before);
            expired.forEach(live::remove);
            if (!expired.isEmpty()) {
                LOG.atInfo().addKeyValue("uploads", expired.size()).log("expired abandoned uploads");
            }
            purge();
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("file sweep failed; it runs again later");
        }
    }

    /** Deletes discarded content soon, on this thread. */
    void purgeSoon() {
        try {
            background.execute(this::purge);
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: the next start's sweep deletes it
        }
    }

    private void purge() {
        try {
            while (!background.isShutdown() && store.purgeDiscarded(PURGE_STEP_BYTES)) {
                // one small transaction at a time, so that requests are never held up for long
            }
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("deleting discarded file content failed; the next sweep retries");
        }
    }

    /** Waits until discarded content has been deleted (for tests). */
    void awaitPurge() {
        try {
            background.submit(this::purge).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("purge did not finish", e);
        }
    }

    @Override
    public void close() {
        sweeps.cancel(false);
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
