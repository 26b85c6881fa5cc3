package org.parley.ui;

import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;

/**
 * Avatars drawn from a name, as Slack and Element draw them for users without a picture: a filled circle in a colour
 * derived from the user name (the same colour for the same user everywhere, in every client) with the initials of
 * the name shown (display name when there is one, else the user name) in white.
 */
public final class Avatars {

    /** Colours dark enough for white initials, far enough apart to tell neighbours apart. */
    private static final RGB[] PALETTE = {
        new RGB(0xc6, 0x28, 0x28), new RGB(0xad, 0x14, 0x57), new RGB(0x6a, 0x1b, 0x9a), new RGB(0x45, 0x27, 0xa0),
        new RGB(0x28, 0x35, 0x93), new RGB(0x15, 0x65, 0xc0), new RGB(0x02, 0x77, 0xbd), new RGB(0x00, 0x83, 0x8f),
        new RGB(0x00, 0x79, 0x6b), new RGB(0x2e, 0x7d, 0x32), new RGB(0x8d, 0x6e, 0x00), new RGB(0xd8, 0x43, 0x15),
    };

    private Avatars() {
    }

    /** The avatar colour of a user: fixed by the user name (String.hashCode is the same in every JVM). */
    public static RGB colour(String user) {
        return PALETTE[Math.floorMod(user == null ? 0 : user.hashCode(), PALETTE.length)];
    }

    /**
     * One or two letters: the first letters of the first and last words of {@code name} ("Alice Archer": "AA"), or
     * the first letter of a single word ("alice": "A"); a user name in parentheses at the end is left out; "?" for
     * an empty name.
     */
    public static String initials(String name) {
        // "Ann Lee (ann2)", a name told apart by its user name, has the initials of "Ann Lee"
        String[] words = name == null ? new String[0]
                : name.replaceFirst("\\s+\\([^)]*\\)$", "").strip().split("[\\s._-]+");
        StringBuilder s = new StringBuilder();
        for (String w : words) {
            if (!w.isEmpty()) {
                s.appendCodePoint(w.codePointAt(0));
                break;
            }
        }
        if (words.length > 1 && !words[words.length - 1].isEmpty() && !s.isEmpty()) {
            s.appendCodePoint(words[words.length - 1].codePointAt(0));
        }
        return s.isEmpty() ? "?" : s.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * Paints the avatar of {@code user} (named {@code name} on it) as a circle of {@code size} pixels at x, y. The
     * GC's font is used for the initials; its colours and font are left as they were.
     */
    public static void paint(GC gc, int x, int y, int size, String user, String name) {
        Color background = gc.getBackground();
        Color foreground = gc.getForeground();
        int antialias = gc.getAntialias();
        gc.setAntialias(SWT.ON);
        gc.setBackground(new Color(colour(user)));
        gc.fillOval(x, y, size, size);
        String text = initials(name == null || name.isBlank() ? user : name);
        Point extent = gc.textExtent(text);
        gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_WHITE));
        gc.drawText(text, x + (size - extent.x) / 2, y + (size - extent.y) / 2, true);
        gc.setAntialias(antialias);
        gc.setBackground(background);
        gc.setForeground(foreground);
    }
}
