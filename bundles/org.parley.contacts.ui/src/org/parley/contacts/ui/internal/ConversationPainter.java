package org.parley.contacts.ui.internal;

import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.function.Supplier;

import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.OwnerDrawLabelProvider;
import org.eclipse.jface.viewers.ViewerCell;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Event;
import org.parley.protocol.message.Contacts;
import org.parley.ui.Avatars;

/**
 * Draws a sidebar row as Slack and Element do: the avatar (a group's from its title) with a presence dot for a
 * 1:1, the name (bold while unread) and the time on the first line, the last message's preview and the unread
 * badge on the second. Each row's text (for screen readers, and what a test reads) says the same in words.
 */
final class ConversationPainter extends OwnerDrawLabelProvider {

    static final int AVATAR = 32;
    private static final int PAD = 6;
    private static final Color GREY = new Color(0x6b, 0x6f, 0x76);
    private static final Color BADGE = new Color(0xcd, 0x2b, 0x31);
    private static final Color ONLINE = new Color(46, 160, 67);
    private static final Color AWAY = new Color(230, 160, 20);
    private static final Color OFFLINE = new Color(150, 150, 150);

    private final Supplier<ZonedDateTime> now;

    ConversationPainter(Supplier<ZonedDateTime> now) {
        this.now = now;
    }

    String time(ConversationRow r) {
        return RelativeTime.format(r.activity(), now.get(), Locale.getDefault());
    }

    /** The row in words: "Ann Lee (1 unread) — hello — 14:05". */
    String text(ConversationRow r) {
        return NLS.bind(r.unread() > 0 ? Messages.Row_unread : Messages.Row_read, new Object[] {r.name(),
            r.unread(), r.preview(), time(r)});
    }

    @Override
    public void update(ViewerCell cell) {
        cell.setText(text((ConversationRow) cell.getElement()));
        super.update(cell);
    }

    @Override
    protected void measure(Event event, Object element) {
        GC gc = event.gc;
        int line = gc.getFontMetrics().getHeight();
        event.height = Math.max(AVATAR, 2 * line + 2) + 2 * PAD;
    }

    @Override
    protected void erase(Event event, Object element) {
        event.detail &= ~SWT.FOREGROUND; // the selection's background stays native, the text is ours
    }

    @Override
    protected void paint(Event event, Object element) {
        ConversationRow r = (ConversationRow) element;
        GC gc = event.gc;
        Rectangle area = ((org.eclipse.swt.widgets.TableItem) event.item).getParent().getClientArea();
        int top = event.y;
        int height = event.height;
        int width = area.x + area.width;
        boolean selected = (event.detail & SWT.SELECTED) != 0;
        Color text = gc.getForeground();
        Font normal = gc.getFont();
        int antialias = gc.getAntialias();
        gc.setAntialias(SWT.ON);
        gc.setTextAntialias(SWT.ON);

        int ax = PAD;
        int ay = top + (height - AVATAR) / 2;
        String avatarKey = r.isGroup() ? "#" + r.conversation().id() + r.name() : r.otherUser();
        gc.setFont(JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT));
        Avatars.paint(gc, ax, ay, AVATAR, avatarKey, r.name());
        if (r.presence() != null) {
            int d = 12;
            int dx = ax + AVATAR - d + 2;
            int dy = ay + AVATAR - d + 2;
            gc.setBackground(gc.getDevice().getSystemColor(SWT.COLOR_LIST_BACKGROUND));
            gc.fillOval(dx - 2, dy - 2, d + 4, d + 4);
            gc.setBackground(r.presence() == Contacts.Presence.ONLINE ? ONLINE
                    : r.presence() == Contacts.Presence.AWAY ? AWAY : OFFLINE);
            if (r.presence() == Contacts.Presence.OFFLINE) {
                gc.setForeground(OFFLINE);
                gc.setLineWidth(2);
                gc.drawOval(dx + 1, dy + 1, d - 2, d - 2);
                gc.setLineWidth(1);
            } else {
                gc.fillOval(dx, dy, d, d);
            }
        }

        int x = ax + AVATAR + 10;
        int right = width - PAD - 2;
        boolean unread = r.unread() > 0;
        Font bold = JFaceResources.getFontRegistry().getBold(JFaceResources.DEFAULT_FONT);
        int lineH = gc.getFontMetrics().getHeight();
        int y1 = top + height / 2 - lineH - 1;
        int y2 = top + height / 2 + 1;

        // first line: time at the right, the name before it
        gc.setFont(unread ? bold : normal);
        String time = time(r);
        Point tx = gc.textExtent(time);
        gc.setForeground(selected ? text : unread ? text : GREY);
        gc.drawText(time, right - tx.x, y1, true);
        gc.setFont(unread ? bold : normal);
        gc.setForeground(text);
        gc.drawText(fit(gc, r.name(), right - tx.x - 8 - x), x, y1, true);

        // second line: the badge at the right, the preview before it
        gc.setFont(normal);
        int previewRight = right;
        if (unread) {
            String count = r.unread() > 99 ? "99+" : String.valueOf(r.unread());
            gc.setFont(bold);
            Point cx = gc.textExtent(count);
            int bw = Math.max(cx.x + 10, lineH);
            int bx = right - bw;
            gc.setBackground(BADGE);
            gc.fillRoundRectangle(bx, y2, bw, lineH, lineH, lineH);
            gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_WHITE));
            gc.drawText(count, bx + (bw - cx.x) / 2, y2, true);
            previewRight = bx - 8;
            gc.setFont(normal);
        }
        gc.setForeground(selected ? text : unread ? text : GREY);
        gc.drawText(fit(gc, r.preview(), previewRight - x), x, y2, true);

        gc.setFont(normal);
        gc.setForeground(text);
        gc.setAntialias(antialias);
    }

    /** {@code s} cut to {@code width} pixels with an ellipsis. */
    static String fit(GC gc, String s, int width) {
        if (width <= 0) {
            return "";
        }
        if (gc.textExtent(s).x <= width) {
            return s;
        }
        int lo = 0;
        int hi = s.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            if (gc.textExtent(s.substring(0, mid) + "…").x <= width) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return s.substring(0, lo).stripTrailing() + "…";
    }
}
