package org.parley.chat.ui.internal;

import java.util.HashSet;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.parley.protocol.message.Chat;

/**
 * Paints the rows in view (the frame by {@link RowPainter}, the body by the row's renderer, clipped to it),
 * placeholders for rows still loading, the empty and failed states, the "new messages" button; and places the
 * renderers' embedded controls, which exist only for rows in view.
 */
final class HistoryPainting {

    private final HistoryView view;
    private final HistoryViewport viewport;
    private final HistoryPages pages;
    private final RowPainter painter;
    private final Canvas canvas;
    private Set<Row> withControls = new HashSet<>();
    private Rectangle newBelowButton;

    HistoryPainting(HistoryView view, HistoryViewport viewport, HistoryPages pages, RowPainter painter,
            Canvas canvas) {
        this.view = view;
        this.viewport = viewport;
        this.pages = pages;
        this.painter = painter;
        this.canvas = canvas;
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
    }

    /** Whether (x, y) is on the "new messages" button (as last painted). */
    boolean onNewBelowButton(int x, int y) {
        return newBelowButton != null && newBelowButton.contains(x, y);
    }

    /** The row has left the cache: its control goes. */
    void forget(Row r) {
        r.disposeControl();
        withControls.remove(r);
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(painter.background);
        gc.fillRectangle(area);
        long lastSeq = view.lastSeq();
        if (lastSeq < 0) {
            painter.paintCentered(gc, area.width, area.height, view.loadError() == null ? "Loading history…"
                    : "Could not load the history (" + view.loadError() + "). Click or press F5 to try again.");
            return;
        }
        if (lastSeq == 0) {
            painter.paintCentered(gc, area.width, area.height, "No messages yet. Say hello!");
            return;
        }
        boolean focused = canvas.isFocusControl();
        long focus = view.input().focus();
        Set<Long> errorShown = new HashSet<>();
        for (HistoryViewport.Placed p : viewport.placed()) {
            Row r = pages.row(p.seq());
            if (r == null) {
                HistoryPages.Page page = pages.existing(HistoryPages.pageOf(p.seq()));
                String error = page == null ? null : page.error;
                painter.paintPlaceholder(gc, p.seq(), p.y(), area.width,
                        error != null && errorShown.add(page.no) ? error : null);
                continue;
            }
            boolean selected = view.isSelected(p.seq());
            String state = r.isOwn() && r.message.kind() != Chat.Kind.SYSTEM && !r.message.deleted()
                    ? RowPainter.state(p.seq(), view.marks()) : null;
            state = RowPainter.withEditedMark(r.message, state);
            RowPainter.Frame f = view.frame(r);
            painter.paintFrame(gc, r.message, view.senderName(r.message.sender()), f, p.y(), area.width,
                    p.height(), selected, focused, state);
            Rectangle q = view.quoteBounds(p, r);
            if (q != null) {
                view.quotes().paint(gc, q, r.message.replyTo(), painter, selected);
                gc.setFont(canvas.getFont());
                gc.setBackground(selected ? (focused ? canvas.getDisplay().getSystemColor(SWT.COLOR_LIST_SELECTION)
                        : painter.unfocusedSelection) : painter.background);
                gc.setForeground(selected && focused ? canvas.getDisplay().getSystemColor(
                        SWT.COLOR_LIST_SELECTION_TEXT) : painter.foreground);
            }
            Rectangle b = view.body(p, r);
            gc.setClipping(b.x, Math.max(0, b.y), b.width, Math.max(0, p.y() + p.height() - b.y));
            gc.setFont(canvas.getFont());
            r.renderer.paint(r, gc, b);
            gc.setClipping((Rectangle) null);
            gc.setFont(canvas.getFont());
            view.chips().paint(gc, r.message.reactions(), b, view.chat().client().user());
            gc.setAlpha(255);
            gc.setLineWidth(1);
            gc.setLineStyle(SWT.LINE_SOLID);
            gc.setFont(canvas.getFont());
            if (focused && p.seq() == focus) {
                gc.setForeground(painter.foreground);
                int top = p.y() + (f.day() ? painter.dayHeight : 0) + (f.unread() ? painter.unreadHeight : 0);
                gc.drawFocus(1, top + 1, area.width - 2, p.y() + p.height() - top - 2);
            }
        }
        newBelowButton = view.newBelow() > 0 && !viewport.isFollowingTail()
                ? painter.paintNewBelow(gc, area.width, area.height, view.newBelow()) : null;
    }

    /** Embedded controls exist only for rows in view. */
    void placeControls() {
        Set<Row> now = new HashSet<>();
        for (HistoryViewport.Placed p : viewport.placed()) {
            Row r = pages.row(p.seq());
            if (r == null) {
                continue;
            }
            if (!r.controlAsked) {
                r.controlAsked = true;
                r.control = r.renderer.createControl(canvas, r);
            }
            if (r.control != null && !r.control.isDisposed()) {
                Rectangle b = view.body(p, r);
                Rectangle c = r.renderer.controlBounds(r, r.control, b.width, b.height);
                r.control.setBounds(b.x + c.x, b.y + c.y, c.width, c.height);
                now.add(r);
            }
        }
        for (Row r : withControls) {
            if (!now.contains(r)) {
                r.disposeControl();
            }
        }
        withControls = now;
    }
}
