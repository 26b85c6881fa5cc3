package org.parley.client.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client's event thread, in effect: tasks run one at a time, in submission order, never concurrently. Backed
 * either by a thread of its own or by a scheduler shared by many clients (load tests run thousands of clients in
 * one process), in which case tasks are queued per client and handed to the shared pool one at a time.
 */
public final class EventLoop implements Executor {

    private final ScheduledExecutorService scheduler;
    private final boolean own;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private volatile boolean shutdown;

    private EventLoop(ScheduledExecutorService scheduler, boolean own) {
        this.scheduler = scheduler;
        this.own = own;
    }

    /** A loop with a thread of its own (a daemon, named after the client). */
    public static EventLoop ownThread(String name) {
        return new EventLoop(Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }), true);
    }

    /** A loop on a scheduler shared with other clients; the scheduler is not shut down with the loop. */
    public static EventLoop shared(ScheduledExecutorService scheduler) {
        return new EventLoop(scheduler, false);
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the client is closed");
        }
        if (own) {
            scheduler.execute(task);
            return;
        }
        synchronized (queue) {
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        scheduler.execute(this::drain);
    }

    /** Runs the queued tasks of this client, then gives the pool thread back. */
    private void drain() {
        for (int i = 0; i < 64; i++) { // a bounded turn, so that one busy client cannot hog a shared thread
            Runnable task;
            synchronized (queue) {
                task = queue.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
        scheduler.execute(this::drain);
    }

    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return scheduler.schedule(() -> executeQuietly(task), delay, unit);
    }

    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
        return scheduler.scheduleWithFixedDelay(() -> executeQuietly(task), initialDelay, delay, unit);
    }

    private void executeQuietly(Runnable task) {
        try {
            execute(task);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    public void shutdown() {
        shutdown = true;
        if (own) {
            scheduler.shutdown();
        }
    }
}
