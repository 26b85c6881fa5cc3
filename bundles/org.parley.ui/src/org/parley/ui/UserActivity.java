package org.parley.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Listener;

/**
 * Whether the user is at the keyboard: the time of their last key, click, wheel or mouse move in any of Parley's
 * windows, and listeners told when they act (at most a few times a second). The user is idle after
 * {@link Preferences#idleMinutes()} without any of these. The application puts one into its context
 * ({@link LifeCycle}), where parts find it; {@link #of(Display)} is the display's own, for hosts without one (the
 * IDE's views).
 */
public final class UserActivity {

    private static final String KEY = UserActivity.class.getName();
    /** Listeners hear of activity at most this often (mouse moves come by the hundred). */
    private static final long TELL_EVERY_NANOS = 250_000_000L;
    private static final int[] INPUT = {SWT.KeyDown, SWT.MouseDown, SWT.MouseMove, SWT.MouseWheel};

    private final Display display;
    private final LongSupplier nanoTime;
    private final Listener filter = this::input;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long lastInput;
    private long lastTold;

    /**
     * Watches the input of {@code display} (call on its thread), timed by {@code nanoTime}: a monotonic clock in
     * nanoseconds, {@code System::nanoTime} in the application.
     */
    public UserActivity(Display display, LongSupplier nanoTime) {
        this.display = display;
        this.nanoTime = nanoTime;
        this.lastInput = nanoTime.getAsLong();
        this.lastTold = lastInput - TELL_EVERY_NANOS;
        for (int type : INPUT) {
            display.addFilter(type, filter);
        }
    }

    /** The display's own activity tracker, on the system's clock, made on first use (call on the display thread). */
    public static UserActivity of(Display display) {
        Object there = display.getData(KEY);
        if (there instanceof UserActivity a) {
            return a;
        }
        UserActivity a = new UserActivity(display, System::nanoTime);
        display.setData(KEY, a);
        return a;
    }

    private void input(Event e) {
        long now = nanoTime.getAsLong();
        lastInput = now;
        if (now - lastTold >= TELL_EVERY_NANOS) {
            lastTold = now;
            listeners.forEach(Runnable::run);
        }
    }

    /** True when the user has not touched keyboard or mouse in Parley for the idle time of the preferences. */
    public boolean idle() {
        return nanoTime.getAsLong() - lastInput > Preferences.idleMinutes() * 60_000_000_000L;
    }

    /** {@code listener} runs on the display thread when the user acts (throttled). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** Stops watching the display's input (call on its thread); {@link #idle()} answers from then on as it stands. */
    public void close() {
        if (!display.isDisposed()) {
            for (int type : INPUT) {
                display.removeFilter(type, filter);
            }
        }
    }
}
