package org.parley.ui.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.widgets.Display;

/**
 * Drives an application whose event loop the test does not own (the workbench runs its own): a list of steps,
 * each waiting for a condition and then acting, polled on the display thread. The next poll is scheduled before a
 * step acts, so a step that opens a modal dialog (which runs a nested event loop) does not stop the script.
 */
public final class Script {

    private record Step(String name, BooleanSupplier ready, Runnable action) {
    }

    private final List<Step> steps = new ArrayList<>();
    private final Display display;
    private int next;
    private long deadline;
    private volatile String failure;
    private Runnable cleanup;

    public Script(Display display) {
        this.display = display;
    }

    public Script step(String name, BooleanSupplier ready, Runnable action) {
        steps.add(new Step(name, ready, action));
        return this;
    }

    /** Waits a moment for GTK to lay out and draw, before a screenshot (pictures only; no timing is asserted). */
    public Script settle() {
        long[] since = {0};
        return step("settle", () -> {
            if (since[0] == 0) {
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] > 300_000_000L;
        }, () -> { });
    }

    /** What to do when a step fails or times out (default: the last step's action, which closes the application). */
    public Script onFailure(Runnable action) {
        cleanup = action;
        return this;
    }

    private void abort() {
        (cleanup != null ? cleanup : steps.get(steps.size() - 1).action()).run();
    }

    public void start() {
        deadline = System.nanoTime() + 30_000_000_000L;
        display.timerExec(100, this::tick);
    }

    private void tick() {
        if (next >= steps.size() || failure != null || display.isDisposed()) {
            return;
        }
        Step s = steps.get(next);
        display.timerExec(50, this::tick);
        try {
            if (s.ready().getAsBoolean()) {
                next++;
                deadline = System.nanoTime() + 30_000_000_000L;
                s.action().run();
            } else if (System.nanoTime() > deadline) {
                failure = "timed out waiting for: " + s.name();
                System.err.println("Script: " + failure);
                abort();
            }
        } catch (RuntimeException | AssertionError e) {
            e.printStackTrace(); // the test reports the message; the trace goes to the test's output
            failure = s.name() + ": " + e;
            abort();
        }
    }

    /** Null when every step ran; otherwise what went wrong. */
    public String failure() {
        return failure != null ? failure : next < steps.size() ? "stopped before: " + steps.get(next).name() : null;
    }
}
