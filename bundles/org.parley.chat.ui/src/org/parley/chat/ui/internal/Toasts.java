package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;

/**
 * Desktop notifications of the chat plug-in, as one column at the top right of the display's work area (the
 * primary monitor's client area: no panel or dock under them): the newest at the top, older ones below it, moved
 * up when one goes. A toast never covers a chat's entry field ({@link #ENTRY}) in the active window: older toasts
 * that would reach it are closed, and a single one that would is moved above it. A click on a toast runs its
 * action (opens the chat) and closes it; each closes by itself after a while, not while the pointer rests on
 * it.
 */
final class Toasts {

    /** Set on a chat's entry field: toasts keep clear of it. */
    static final String ENTRY = "org.parley.chat.entry";
    static final String TOAST = "org.parley.chat.toast";
    private static final int WIDTH = 360;
    private static final int GAP = 8;
    private static final org.eclipse.swt.graphics.Color BORDER = new org.eclipse.swt.graphics.Color(190, 190, 190);
    private static final org.eclipse.swt.graphics.Color ACCENT = new org.eclipse.swt.graphics.Color(20, 90, 190);

    private final Display display;
    private final List<Shell> column = new ArrayList<>();
    private Font bold;
    private boolean placing;

    Toasts(Display display) {
        this.display = display;
    }

    /** Shows a toast at the top of the column for {@code millis} ms; {@code onClick} runs when it is clicked. */
    void show(String title, String text, int millis, Runnable onClick) {
        Shell toast = new Shell(display, SWT.ON_TOP | SWT.NO_TRIM | SWT.TOOL | SWT.NO_FOCUS);
        toast.setData(TOAST, title);
        toast.setText(title); // what screen readers and window lists call it
        GridLayoutFactory.fillDefaults().margins(14, 10).spacing(0, 4).applyTo(toast);
        // a card: list colours (readable in any theme), a grey border and a blue bar at the left
        toast.setBackground(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        toast.setBackgroundMode(SWT.INHERIT_FORCE);
        toast.addListener(SWT.Paint, e -> {
            Rectangle r = toast.getClientArea();
            e.gc.setForeground(BORDER);
            e.gc.drawRectangle(0, 0, r.width - 1, r.height - 1);
            e.gc.setBackground(ACCENT);
            e.gc.fillRectangle(0, 0, 4, r.height);
        });
        Label heading = new Label(toast, SWT.NONE);
        heading.setText(title);
        heading.setFont(bold(heading));
        heading.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        GridDataFactory.fillDefaults().grab(true, false).applyTo(heading);
        Label body = new Label(toast, SWT.WRAP);
        body.setForeground(display.getSystemColor(SWT.COLOR_LIST_FOREGROUND));
        body.setText(text);
        GridDataFactory.fillDefaults().grab(true, false).hint(WIDTH - 24, SWT.DEFAULT).applyTo(body);
        Listener click = e -> {
            close(toast);
            onClick.run();
        };
        for (Control c : new Control[] {toast, heading, body}) {
            c.addListener(SWT.MouseUp, click);
            c.setCursor(display.getSystemCursor(SWT.CURSOR_HAND));
            c.setToolTipText(Messages.Toasts_clickToOpen);
        }
        toast.setSize(toast.computeSize(WIDTH, SWT.DEFAULT));
        column.add(0, toast);
        toast.addListener(SWT.Dispose, e -> {
            column.remove(toast);
            if (!display.isDisposed()) {
                place();
            }
        });
        place();
        if (!toast.isDisposed()) {
            toast.setVisible(true);
            expireLater(toast, millis);
        }
    }

    /** The toasts shown now, top to bottom (for tests). */
    List<Shell> shown() {
        return List.copyOf(column);
    }

    /** Closes the toast after {@code millis} ms, or later while the pointer rests on it (the user is reading). */
    private void expireLater(Shell toast, int millis) {
        display.timerExec(millis, () -> {
            if (toast.isDisposed()) {
                return;
            }
            if (toast.getBounds().contains(display.getCursorLocation())) {
                expireLater(toast, 1000);
            } else {
                close(toast);
            }
        });
    }

    private static void close(Shell toast) {
        if (!toast.isDisposed()) {
            toast.dispose();
        }
    }

    /** Lays the column out from the top right of the work area, closing the oldest toasts that would cover an entry. */
    private void place() {
        if (placing) {
            return; // closing the oldest ones below
        }
        placing = true;
        try {
            placeColumn();
        } finally {
            placing = false;
        }
    }

    private void placeColumn() {
        Rectangle area = display.getPrimaryMonitor().getClientArea();
        List<Rectangle> avoid = entries();
        int x = area.x + area.width - WIDTH - GAP;
        int y = area.y + GAP;
        for (int i = 0; i < column.size(); i++) {
            Shell t = column.get(i);
            Rectangle r = new Rectangle(x, y, WIDTH, t.getSize().y);
            Rectangle covered = avoid.stream().filter(r::intersects).findFirst().orElse(null);
            if (covered != null || r.y + r.height > area.y + area.height) {
                if (i == 0) { // the newest alone: just above the entry field (or at the top if it does not fit)
                    r.y = covered == null ? area.y + GAP : Math.max(area.y, covered.y - r.height - GAP);
                    t.setBounds(r);
                    i = 1;
                }
                for (Shell older : new ArrayList<>(column.subList(i, column.size()))) {
                    older.dispose();
                }
                return;
            }
            t.setBounds(r);
            y += r.height + GAP;
        }
    }

    /** Where the entry fields of the active window are, in display coordinates. */
    private List<Rectangle> entries() {
        List<Rectangle> found = new ArrayList<>();
        Shell active = display.getActiveShell();
        if (active != null && active.getData(TOAST) == null) {
            collect(active, found);
        }
        return found;
    }

    private static void collect(Control c, List<Rectangle> found) {
        if (!c.isVisible()) {
            return;
        }
        if (c.getData(ENTRY) != null) {
            Rectangle b = c.getBounds();
            org.eclipse.swt.graphics.Point p = c.getParent().toDisplay(b.x, b.y);
            found.add(new Rectangle(p.x, p.y, b.width, b.height));
        }
        if (c instanceof Composite parent) {
            for (Control child : parent.getChildren()) {
                collect(child, found);
            }
        }
    }

    private Font bold(Control c) {
        if (bold == null) {
            FontData[] data = c.getFont().getFontData();
            for (FontData d : data) {
                d.setStyle(SWT.BOLD);
            }
            bold = new Font(display, data);
            display.disposeExec(bold::dispose);
        }
        return bold;
    }
}
