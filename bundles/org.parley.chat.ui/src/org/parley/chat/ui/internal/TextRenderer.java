package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.graphics.TextLayout;
import org.eclipse.swt.graphics.TextStyle;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.protocol.message.Chat;

/**
 * Parley's own rendering of a message body: the text, wrapped, with web links underlined and clickable; system
 * messages in grey italics; attachments (when no plug-in renders them) as a line each with name and size.
 */
final class TextRenderer implements MessageRenderer {

    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+[^\\s<>\".,;:!?)\\]']");

    private ChatContext chat;
    private TextLayout layout;
    private Font italic;

    @Override
    public void init(ChatContext chat) {
        this.chat = chat;
    }

    /** Lays the message out for the width (reusing one TextLayout: rows are laid out one at a time). */
    private TextLayout layout(MessageRow row, int width, GC gc) {
        if (layout == null) {
            layout = new TextLayout(gc.getDevice());
        }
        Chat.ChatMessage m = row.message();
        layout.setText(display(m));
        layout.setFont(gc.getFont());
        layout.setWidth(Math.max(20, width));
        layout.setWrapIndent(0);
        if (m.kind() == Chat.Kind.SYSTEM) {
            TextStyle s = new TextStyle(italic(gc), row.isSelected() ? null
                    : gc.getDevice().getSystemColor(SWT.COLOR_DARK_GRAY), null);
            layout.setStyle(s, 0, layout.getText().length() - 1);
        } else {
            for (int[] link : links(layout.getText())) {
                TextStyle s = new TextStyle(null, row.isSelected() ? null : linkColor(), null);
                s.underline = true;
                layout.setStyle(s, link[0], link[1] - 1);
            }
            int attachmentsAt = m.text().length();
            if (!m.attachments().isEmpty() && !row.isSelected()) {
                layout.setStyle(new TextStyle(null, gc.getDevice().getSystemColor(SWT.COLOR_DARK_GRAY), null),
                        attachmentsAt, layout.getText().length() - 1);
            }
        }
        return layout;
    }

    private static Color linkColor() {
        return new Color(20, 90, 190);
    }

    private Font italic(GC gc) {
        if (italic == null) {
            FontData[] data = gc.getFont().getFontData();
            for (FontData d : data) {
                d.setStyle(SWT.ITALIC);
            }
            italic = new Font(gc.getDevice(), data);
        }
        return italic;
    }

    /** The text shown: the message, then one line per attachment. */
    private static String display(Chat.ChatMessage m) {
        StringBuilder s = new StringBuilder(m.text());
        for (Chat.Attachment a : m.attachments()) {
            s.append(s.isEmpty() ? "" : "\n").append("Attachment: ").append(a.name()).append(" · ")
                    .append(size(a.size()));
        }
        return s.isEmpty() ? " " : s.toString();
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    static List<int[]> links(String text) {
        List<int[]> out = new ArrayList<>();
        Matcher m = URL.matcher(text);
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    @Override
    public int measure(MessageRow row, int width, GC gc) {
        return layout(row, width, gc).getBounds().height;
    }

    @Override
    public void paint(MessageRow row, GC gc, Rectangle bounds) {
        layout(row, bounds.width, gc).draw(gc, bounds.x, bounds.y);
    }

    /** The web link at (x, y) of the body, or null. */
    private String linkAt(MessageRow row, int x, int y) {
        if (layout == null || row.message().kind() == Chat.Kind.SYSTEM) {
            return null;
        }
        String text = display(row.message());
        List<int[]> links = links(text);
        if (links.isEmpty()) {
            return null;
        }
        layout.setText(text);
        Rectangle b = layout.getBounds();
        if (x < 0 || y < 0 || x > b.width || y > b.height) {
            return null;
        }
        int[] trailing = new int[1];
        int offset = layout.getOffset(x, y, trailing);
        for (int[] l : links) {
            if (offset >= l[0] && offset < l[1] && layout.getBounds(l[0], l[1] - 1).contains(x, y)) {
                return text.substring(l[0], l[1]);
            }
        }
        return null;
    }

    @Override
    public boolean isClickable(MessageRow row, int x, int y) {
        return linkAt(row, x, y) != null;
    }

    @Override
    public String toolTipText(MessageRow row, int x, int y) {
        String link = linkAt(row, x, y);
        return link == null ? null : "Open " + link;
    }

    @Override
    public boolean click(MessageRow row, int x, int y) {
        String link = linkAt(row, x, y);
        if (link != null) {
            org.parley.ui.Desktop.openLink(chat.shell(), link);
            return true;
        }
        return false;
    }

    @Override
    public boolean activate(MessageRow row) {
        List<int[]> links = links(row.message().text());
        if (links.size() == 1) { // Enter on a message with one link opens it
            org.parley.ui.Desktop.openLink(chat.shell(),
                    row.message().text().substring(links.get(0)[0], links.get(0)[1]));
            return true;
        }
        return false;
    }

    @Override
    public void dispose() {
        if (layout != null) {
            layout.dispose();
        }
        if (italic != null) {
            italic.dispose();
        }
    }

    ChatContext chat() {
        return chat;
    }
}
