package org.parley.filetransfer.ui;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.TextLayout;

/** A file message's caption, wrapped to the row's width: measured and drawn the same way by every renderer. */
public final class Caption {

    private Caption() {
    }

    /** The caption's height at {@code width} with the GC's font; 0 for none. */
    public static int height(GC gc, String caption, int width) {
        if (caption.isBlank()) {
            return 0;
        }
        TextLayout l = layout(gc, caption, width);
        try {
            return l.getBounds().height;
        } finally {
            l.dispose();
        }
    }

    /** Draws the caption at (x, y); returns its height (0 for none). */
    public static int draw(GC gc, String caption, int x, int y, int width) {
        if (caption.isBlank()) {
            return 0;
        }
        TextLayout l = layout(gc, caption, width);
        try {
            l.draw(gc, x, y);
            return l.getBounds().height;
        } finally {
            l.dispose();
        }
    }

    private static TextLayout layout(GC gc, String text, int width) {
        TextLayout l = new TextLayout(gc.getDevice());
        l.setFont(gc.getFont());
        l.setWidth(Math.max(1, width));
        l.setText(text);
        return l;
    }
}
