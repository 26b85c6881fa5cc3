package org.parley.chat.ui.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.parley.protocol.message.Chat;
import org.parley.ui.Avatars;

/**
 * Geometry and painting of what Parley draws around every message body: the day separator, the sender at the
 * start of a group of messages, the time, and on one's own messages the delivery state (✓ stored, ✓✓ delivered
 * to everyone, "✓✓ read" read by everyone).
 */
final class RowPainter {

    static final long GROUP_MILLIS = 5 * 60_000L;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.FULL,
            FormatStyle.MEDIUM).withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL);
    private static final int[][] SENDER_COLOURS = {{0, 105, 160}, {165, 55, 20}, {30, 125, 55}, {115, 60, 160},
        {175, 35, 95}, {15, 115, 115}, {135, 95, 0}, {55, 75, 170}};

    static final int PAD = 3;
    /** The "New messages" line's colour (a red that reads on the list background). */
    private static final Color UNREAD = new Color(205, 45, 45);
    static final int MARGIN = 10;
    private static final int GROUP_GAP = 6;
    private static final int QUOTE_GAP = 4;
    private static final int QUOTE_WIDTH = 480;

    /**
     * Whether a row starts a day (separator above), is the first unread message (the "New messages" line above),
     * starts a group (sender above) and answers another message (its quote above the body).
     */
    record Frame(boolean day, boolean unread, boolean header, boolean quote) {
    }

    private final Display display;
    final Font bold;
    final int line;
    final int gutter;
    final int stateWidth;
    final int dayHeight;
    final int unreadHeight;
    final int headerHeight;
    /** The height of a reply's quote (two lines), with the gap below it. */
    final int quoteHeight;
    /** The diameter of the sender's avatar in a group's header. */
    final int avatar;
    final Color background;
    final Color foreground;
    final Color grey;
    final Color unfocusedSelection;

    RowPainter(Control control) {
        display = control.getDisplay();
        FontData[] data = control.getFont().getFontData();
        for (FontData d : data) {
            d.setStyle(SWT.BOLD);
        }
        bold = new Font(display, data);
        GC gc = new GC(control);
        try {
            line = gc.getFontMetrics().getHeight();
            gutter = gc.textExtent("00:00").x + 14;
            stateWidth = gc.textExtent("✓✓ read").x + 14;
        } finally {
            gc.dispose();
        }
        dayHeight = line + 14;
        unreadHeight = line + 8;
        avatar = line + 6;
        headerHeight = GROUP_GAP + avatar + 2;
        quoteHeight = 2 * line + 8 + QUOTE_GAP;
        background = display.getSystemColor(SWT.COLOR_LIST_BACKGROUND);
        foreground = display.getSystemColor(SWT.COLOR_LIST_FOREGROUND);
        grey = new Color(110, 110, 110);
        unfocusedSelection = new Color(222, 230, 242);
    }

    void dispose() {
        bold.dispose();
    }

    /**
     * The frame of {@code m} after {@code previous} (null when not known yet: the row then shows its sender);
     * {@code unread}: {@code m} is the first unread message (its sender is shown again below the line).
     */
    static Frame frame(Chat.ChatMessage m, Chat.ChatMessage previous, boolean unread) {
        boolean day = m.seq() == 1 || previous != null && !day(previous).equals(day(m));
        boolean header = m.kind() != Chat.Kind.SYSTEM && (previous == null || day || unread
                || previous.kind() == Chat.Kind.SYSTEM || !previous.sender().equals(m.sender())
                || m.timestamp() - previous.timestamp() > GROUP_MILLIS);
        return new Frame(day, unread, header, m.kind() != Chat.Kind.SYSTEM && m.replyTo() > 0);
    }

    private static LocalDate day(Chat.ChatMessage m) {
        return Instant.ofEpochMilli(m.timestamp()).atZone(ZoneId.systemDefault()).toLocalDate();
    }

    /** Pixels above the body. */
    int bodyTop(Frame f) {
        return PAD + (f.day() ? dayHeight : 0) + (f.unread() ? unreadHeight : 0) + (f.header() ? headerHeight : 0)
                + (f.quote() ? quoteHeight : 0);
    }

    /** Where a reply's quote is, for a row at {@code y} of a view {@code width} wide (null without a quote). */
    org.eclipse.swt.graphics.Rectangle quoteBounds(Frame f, int y, int width) {
        if (!f.quote()) {
            return null;
        }
        return new org.eclipse.swt.graphics.Rectangle(bodyLeft(), y + bodyTop(f) - quoteHeight,
                Math.min(bodyWidth(width), QUOTE_WIDTH), quoteHeight - QUOTE_GAP);
    }

    int height(Frame f, int body) {
        return bodyTop(f) + Math.max(line, body) + PAD;
    }

    int placeholderHeight() {
        return line + 2 * PAD;
    }

    int bodyLeft() {
        return MARGIN + gutter;
    }

    int bodyWidth(int width) {
        return Math.max(40, width - 2 * MARGIN - gutter - stateWidth);
    }

    /**
     * Paints the frame: the day line, the "New messages" line, the header (the sender's avatar and {@code name}),
     * the time and the state; returns whether the row is painted as selected (the body then uses selection colours). */
    void paintFrame(GC gc, Chat.ChatMessage m, String name, Frame f, int y, int width, int height, boolean selected,
            boolean focused, String state) {
        int top = y + PAD;
        if (f.day()) {
            String label = dayLabel(m);
            gc.setFont(bold);
            Point size = gc.textExtent(label);
            int cy = top + dayHeight / 2;
            gc.setForeground(new Color(205, 205, 205));
            gc.drawLine(MARGIN, cy, (width - size.x) / 2 - 10, cy);
            gc.drawLine((width + size.x) / 2 + 10, cy, width - MARGIN, cy);
            gc.setForeground(grey);
            gc.drawText(label, (width - size.x) / 2, cy - size.y / 2, true);
            top += dayHeight;
        }
        if (f.unread()) {
            String label = Messages.HistoryView_newMessages;
            gc.setFont(bold);
            Point size = gc.textExtent(label);
            int cy = top + unreadHeight / 2;
            gc.setForeground(UNREAD);
            gc.setLineWidth(1);
            gc.drawLine(MARGIN, cy, width - MARGIN - size.x - 10, cy);
            gc.drawText(label, width - MARGIN - size.x, cy - size.y / 2, true);
            gc.setFont(null);
            top += unreadHeight;
        }
        Color fg = foreground;
        if (selected) {
            gc.setBackground(focused ? display.getSystemColor(SWT.COLOR_LIST_SELECTION) : unfocusedSelection);
            gc.fillRectangle(0, top - PAD + (f.day() ? PAD : 0), width, y + height - top + PAD - (f.day() ? PAD : 0));
            fg = focused ? display.getSystemColor(SWT.COLOR_LIST_SELECTION_TEXT) : foreground;
        }
        if (f.header()) {
            gc.setFont(bold);
            Avatars.paint(gc, MARGIN, top + GROUP_GAP, avatar, m.sender(), name);
            gc.setForeground(selected && focused ? fg : senderColour(m.sender()));
            gc.drawText(name, bodyLeft(), top + GROUP_GAP + (avatar - line) / 2, true);
            top += headerHeight;
        }
        gc.setFont(null);
        gc.setForeground(selected && focused ? fg : grey);
        gc.drawText(TIME.format(Instant.ofEpochMilli(m.timestamp())), MARGIN, top, true);
        if (state != null) {
            int w = gc.textExtent(state).x;
            gc.drawText(state, width - MARGIN - w, top, true);
        }
        gc.setForeground(fg);
        gc.setBackground(selected ? (focused ? display.getSystemColor(SWT.COLOR_LIST_SELECTION)
                : unfocusedSelection) : background);
    }

    /**
     * The text at the right of a row: "(edited)" on a message whose text was edited (not on a deleted one), before
     * the delivery state of one's own; null when there is nothing.
     */
    static String withEditedMark(Chat.ChatMessage m, String state) {
        if (m.editedAt() <= 0 || m.deleted()) {
            return state;
        }
        return state == null ? Messages.History_edited : Messages.History_edited + "  " + state;
    }

    /** A row not loaded yet: a grey bar of a length that varies with the row, or the reason it failed. */
    void paintPlaceholder(GC gc, long seq, int y, int width, String error) {
        if (error != null) {
            gc.setForeground(new Color(170, 40, 30));
            gc.drawText("Could not load these messages (" + error + "). Click or press F5 to try again.",
                    bodyLeft(), y + PAD, true);
            return;
        }
        long h = seq * 0x9E3779B97F4A7C15L; // a fixed pseudo-random length per row, so placeholders do not flicker
        h ^= h >>> 29;
        int w = (int) (bodyWidth(width) * (0.2 + (Math.floorMod(h, 1000) / 1000.0) * 0.55));
        gc.setBackground(new Color(232, 232, 232));
        gc.fillRoundRectangle(MARGIN, y + PAD + 3, gutter - 14, line - 6, 6, 6);
        gc.fillRoundRectangle(bodyLeft(), y + PAD + 3, w, line - 6, 6, 6);
    }

    void paintCentered(GC gc, int width, int height, String text) {
        gc.setForeground(grey);
        Point size = gc.textExtent(text);
        gc.drawText(text, Math.max(MARGIN, (width - size.x) / 2), (height - size.y) / 2, true);
    }

    /** "N new messages ↓" at the bottom right; returns where it was drawn. */
    org.eclipse.swt.graphics.Rectangle paintNewBelow(GC gc, int width, int height, int count) {
        String text = (count == 1 ? "1 new message" : count + " new messages") + "  ↓";
        gc.setFont(bold);
        Point size = gc.textExtent(text);
        org.eclipse.swt.graphics.Rectangle r = new org.eclipse.swt.graphics.Rectangle(
                width - size.x - 24 - MARGIN, height - size.y - 14 - MARGIN, size.x + 24, size.y + 12);
        gc.setAntialias(SWT.ON);
        gc.setBackground(new Color(20, 90, 190));
        gc.fillRoundRectangle(r.x, r.y, r.width, r.height, r.height, r.height);
        gc.setForeground(display.getSystemColor(SWT.COLOR_WHITE));
        gc.drawText(text, r.x + 12, r.y + 6, true);
        gc.setFont(null);
        return r;
    }

    static Color senderColour(String sender) {
        int[] c = SENDER_COLOURS[Math.floorMod(sender.hashCode(), SENDER_COLOURS.length)];
        return new Color(c[0], c[1], c[2]);
    }

    private static String dayLabel(Chat.ChatMessage m) {
        LocalDate d = day(m);
        LocalDate today = LocalDate.now();
        return d.equals(today) ? "Today" : d.equals(today.minusDays(1)) ? "Yesterday" : DAY.format(d);
    }

    static String fullTime(Chat.ChatMessage m) {
        return FULL.format(Instant.ofEpochMilli(m.timestamp()));
    }

    /** " ✓" stored, "✓✓" delivered to every other member, "✓✓ read" read by all of them. */
    static String state(long seq, Map<String, long[]> marks) {
        if (marks.isEmpty()) {
            return "✓";
        }
        boolean read = marks.values().stream().allMatch(v -> v[1] >= seq);
        boolean delivered = marks.values().stream().allMatch(v -> v[0] >= seq);
        return read ? "✓✓ read" : delivered ? "✓✓" : "✓";
    }

    /** Who has read and received one's message, for the tooltip on its state. */
    static String stateDetails(long seq, Map<String, long[]> marks) {
        List<String> read = new ArrayList<>();
        List<String> delivered = new ArrayList<>();
        List<String> not = new ArrayList<>();
        marks.forEach((user, v) -> (v[1] >= seq ? read : v[0] >= seq ? delivered : not).add(user));
        StringBuilder s = new StringBuilder("Stored on the server");
        if (!read.isEmpty()) {
            s.append("\nRead by ").append(String.join(", ", read.stream().sorted().toList()));
        }
        if (!delivered.isEmpty()) {
            s.append("\nDelivered to ").append(String.join(", ", delivered.stream().sorted().toList()));
        }
        if (!not.isEmpty()) {
            s.append("\nNot yet delivered to ").append(String.join(", ", not.stream().sorted().toList()));
        }
        return s.toString();
    }
}
