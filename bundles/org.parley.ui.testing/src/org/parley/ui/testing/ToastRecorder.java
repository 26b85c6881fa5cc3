package org.parley.ui.testing;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;

/**
 * Records the chat's desktop notifications as a user sees them: every toast window shown on the display (a shell
 * marked {@code org.parley.chat.toast}), with its title and text read from its labels. Works from outside, through
 * a display filter, so production code needs no counters for tests. Install it before what should notify.
 */
public final class ToastRecorder implements AutoCloseable {

    /** The key the chat plug-in sets on a toast's shell (its value is the title). */
    public static final String TOAST = "org.parley.chat.toast";

    private final Display display;
    private final List<String> shown = new ArrayList<>();
    private final Listener filter = e -> {
        if (e.widget instanceof Shell s && s.getData(TOAST) != null) {
            shown.add(text(s));
        }
    };

    private ToastRecorder(Display display) {
        this.display = display;
        display.addFilter(SWT.Show, filter);
    }

    /** Starts recording the toasts shown on {@code display} (call on the display thread). */
    public static ToastRecorder install(Display display) {
        return new ToastRecorder(display);
    }

    /** How many toasts were shown since it was installed (display thread). */
    public int count() {
        return shown.size();
    }

    /** The last toast's title and text, on two lines ("Ann Lee\nhello bob"); null when none yet (display thread). */
    public String last() {
        return shown.isEmpty() ? null : shown.get(shown.size() - 1);
    }

    /** Every toast's title and text, oldest first (display thread). */
    public List<String> all() {
        return List.copyOf(shown);
    }

    /** A toast's title and text as its labels show them, one label per line. */
    public static String text(Shell toast) {
        StringBuilder b = new StringBuilder();
        for (Control c : toast.getChildren()) {
            if (c instanceof Label l) {
                b.append(b.isEmpty() ? "" : "\n").append(l.getText());
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (!display.isDisposed()) {
            display.syncExec(() -> display.removeFilter(SWT.Show, filter));
        }
    }
}
