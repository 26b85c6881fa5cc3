package org.parley.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Listener;

/**
 * Whether the user is at the keyboard: the time of their last key, click, wheel or mouse move in any of Parley's
 * windows, and listeners told when they act (at most a few times a second). The user is idle after
 * {@link Preferences#idleMinutes()} without any of these. One per display.
 */
public final class UserActivity {

    private static final String KEY = UserActivity.class.getName();
    /** Listeners hear of activity at most this often (mouse moves come by the hundred). */
    private static final long TELL_EVERY_NANOS = 250_000_000L;

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long lastInput = System.nanoTime();
    private long lastTold;

    private UserActivity(Display display) {
        Listener filter = this::input;
        for (int type : new int[] {SWT.KeyDown, SWT.MouseDown, SWT.MouseMove, SWT.MouseWheel}) {
            display.addFilter(type, filter);
        }
    }

    /** The display's activity tracker, made on first use (call on the display thread). */
    public static UserActivity of(Display display) {
        Object there = display.getData(KEY);
        if (there instanceof UserActivity a) {
            return a;
        }
        UserActivity a = new UserActivity(display);
        display.setData(KEY, a);
        return a;
    }

    private void input(Event e) {
        long now = System.nanoTime();
        lastInput = now;
        if (now - lastTold >= TELL_EVERY_NANOS) {
            lastTold = now;
            listeners.forEach(Runnable::run);
        }
    }

    /** True when the user has not touched keyboard or mouse in Parley for the idle time of the preferences. */
    public boolean idle() {
        return System.nanoTime() - lastInput > Preferences.idleMinutes() * 60_000_000_000L;
    }

    /** {@code listener} runs on the display thread when the user acts (throttled). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }
}
