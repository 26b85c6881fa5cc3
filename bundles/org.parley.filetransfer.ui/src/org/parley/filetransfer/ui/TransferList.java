package org.parley.filetransfer.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;

/**
 * The transfers of this session, newest first, for the Transfers part and the chats' progress rows: every
 * {@link TransferJob} started through {@link #schedule} is listed until the user clears it.
 */
public final class TransferList {

    private static final List<TransferJob> JOBS = new CopyOnWriteArrayList<>();
    private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();

    private TransferList() {
    }

    /** Lists and schedules a transfer job. */
    public static TransferJob schedule(TransferJob job) {
        JOBS.add(0, job);
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                changed();
            }
        });
        job.schedule();
        changed();
        return job;
    }

    public static List<TransferJob> all() {
        return List.copyOf(JOBS);
    }

    /** Forgets one finished transfer. */
    public static void remove(TransferJob job) {
        if (job.finished() && JOBS.remove(job)) {
            changed();
        }
    }

    /** Forgets finished transfers. */
    public static void clearFinished() {
        JOBS.removeIf(TransferJob::finished);
        changed();
    }

    /** Cancels the running transfers and forgets them all (the user who started them signed out). */
    public static void forgetAll() {
        List<TransferJob> jobs = List.copyOf(JOBS);
        JOBS.removeAll(jobs);
        jobs.stream().filter(j -> !j.finished()).forEach(TransferJob::cancel);
        changed();
    }

    /** Listeners are called on any thread; UI listeners re-post to their display (and may coalesce). */
    public static void addListener(Runnable listener) {
        LISTENERS.add(listener);
    }

    public static void removeListener(Runnable listener) {
        LISTENERS.remove(listener);
    }

    static void changed() {
        LISTENERS.forEach(Runnable::run);
    }
}
