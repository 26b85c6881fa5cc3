package org.parley.ui.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;

/** Driving SWT directly: running the event loop until something is true, finding widgets, screenshots. */
public final class Ui {

    private Ui() {
    }

    /** Runs the display's event loop until the condition holds (waiting only; the limit is generous). */
    public static void until(Display display, String what, BooleanSupplier condition) {
        until(display, what, 20, condition);
    }

    /** {@link #until} with a limit for long work (for example copying a whole long history). */
    public static void until(Display display, String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> { });
                display.sleep();
            }
        }
    }

    public static <T extends Control> List<T> find(Composite root, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Control c : root.getChildren()) {
            if (type.isInstance(c)) {
                out.add(type.cast(c));
            }
            if (c instanceof Composite comp) {
                out.addAll(find(comp, type));
            }
        }
        return out;
    }

    /**
     * Lets GTK finish what it has queued, then saves the shell as a PNG ({@link #screenshot}). GTK lays out and
     * draws on its frame clock, so a changed label shows a tick or two after the event queue is empty. Only for
     * tests that own the event loop: inside a {@link Script} the nested loop would run the script's next steps.
     */
    public static Path settledScreenshot(Shell shell, String name) throws Exception {
        settle(shell.getDisplay());
        return screenshot(shell, name);
    }

    /** Runs the event loop for a moment (for pictures only; nothing is asserted on time). */
    public static void settle(Display display) {
        while (display.readAndDispatch()) {
            // what is queued first
        }
        long settled = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < settled) {
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> { });
                display.sleep();
            }
        }
    }

    /**
     * Saves what the shell shows as a PNG in target/screenshots (build artifacts to look at). Runs no event loop
     * (a {@link Script} step may call it); {@link #settledScreenshot} lets GTK catch up first.
     */
    public static Path screenshot(Shell shell, String name) throws Exception {
        Display display = shell.getDisplay();
        Rectangle r = shell.getBounds();
        Image image = new Image(display, r.width, r.height);
        GC gc = new GC(image);
        try {
            shell.print(gc); // draws the widgets themselves: independent of overlapping windows
        } finally {
            gc.dispose();
        }
        Path dir = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {image.getImageData()};
        loader.save(file.toString(), SWT.IMAGE_PNG);
        image.dispose();
        return file;
    }

    /**
     * Types {@code text} (lower-case letters, digits, spaces) as the keyboard would: real key events through the X
     * server ({@link Display#post}), which go to whatever has the keyboard focus. Returns at once; the events arrive
     * through the event loop.
     */
    public static void type(Display display, String text) {
        for (char c : text.toCharArray()) {
            key(display, c, 0);
        }
    }

    /**
     * Presses a key with modifiers (SWT.CTRL, SWT.SHIFT, SWT.ALT) through the X server, as {@link #type} does:
     * {@code key} is a character ('w') or a key code (SWT.ESC).
     */
    public static void key(Display display, int key, int modifiers) {
        int[] mods = {SWT.CTRL, SWT.SHIFT, SWT.ALT};
        for (int m : mods) {
            if ((modifiers & m) != 0) {
                post(display, SWT.KeyDown, m, (char) 0);
            }
        }
        // Delete and Escape are keys of their own on a keyboard, not the DEL and ESC characters: posted as
        // characters, GTK finds no key for them and the X server never sends them (SearchMenuTest's Escape)
        boolean isChar = key < 0x10000 && (key & SWT.KEYCODE_BIT) == 0 && key != SWT.DEL && key != SWT.ESC;
        post(display, SWT.KeyDown, isChar ? 0 : key, isChar ? (char) key : 0);
        post(display, SWT.KeyUp, isChar ? 0 : key, isChar ? (char) key : 0);
        for (int i = mods.length - 1; i >= 0; i--) {
            if ((modifiers & mods[i]) != 0) {
                post(display, SWT.KeyUp, mods[i], (char) 0);
            }
        }
    }

    private static void post(Display display, int type, int keyCode, char character) {
        Event e = new Event();
        e.type = type;
        e.keyCode = keyCode;
        e.character = character;
        if (!display.post(e)) {
            throw new AssertionError("the X server did not take the key event");
        }
    }

    /** Moves the mouse pointer over {@code control} through the X server, as a user's hand on the mouse would. */
    public static void moveMouseOver(Control control) {
        Display display = control.getDisplay();
        Rectangle r = control.getBounds();
        org.eclipse.swt.graphics.Point p = control.getParent() == null ? new org.eclipse.swt.graphics.Point(r.x
                + r.width / 2, r.y + r.height / 2) : control.getParent().toDisplay(r.x + r.width / 2,
                r.y + r.height / 2);
        for (int dx : new int[] {-3, 0}) {
            Event e = new Event();
            e.type = SWT.MouseMove;
            e.x = p.x + dx;
            e.y = p.y;
            display.post(e);
        }
    }
}
