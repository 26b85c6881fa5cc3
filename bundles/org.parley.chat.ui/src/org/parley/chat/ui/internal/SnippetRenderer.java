package org.parley.chat.ui.internal;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.chat.ui.Snippet;
import org.parley.chat.ui.SnippetOpener;
import org.parley.protocol.message.Chat;

/**
 * Parley's own rendering of a {@link Snippet}: a header with the title ("Foo.java, lines 12–30"), the path and an
 * Open (or Copy) link, then the code in the text font with line numbers, cut after {@link #MAX_LINES} lines with
 * "… N more lines". Opening (Enter, a double-click, the link) asks the {@link SnippetOpener} service when there is
 * one (the IDE integration opens an editor); without one the code is copied to the clipboard. Copy gives the code.
 * Contributed through the chat's own extension point, so that a plug-in can replace it with a higher priority.
 */
public final class SnippetRenderer implements MessageRenderer {

    /** Lines shown before the rest is summarised: enough for a function, short enough not to flood the chat. */
    static final int MAX_LINES = 15;
    private static final int PAD = 6;
    private static final Color BOX = new Color(246, 248, 250);
    private static final Color BORDER = new Color(208, 215, 222);
    private static final Color HEADER = new Color(234, 238, 242);
    private static final Color MUTED = new Color(110, 118, 129);
    private static final Color LINK = new Color(20, 90, 190);

    /** A chat that can name the opener in its Eclipse context (the chat part). */
    interface OpenerSource {
        SnippetOpener snippetOpener();
    }

    private final Map<Long, Snippet> snippets = new HashMap<>();
    private ChatContext chat;
    private Font bold;

    @Override
    public void init(ChatContext chat) {
        this.chat = chat;
    }

    @Override
    public boolean claims(Chat.ChatMessage message) {
        return snippet(message) != null;
    }

    /** The snippet a message is (parsed once per message), or null. */
    private Snippet snippet(Chat.ChatMessage m) {
        if (m.kind() != Chat.Kind.TEXT) {
            return null;
        }
        Snippet s = snippets.get(m.seq());
        if (s == null && !snippets.containsKey(m.seq())) {
            s = Snippet.parse(m.text()).orElse(null);
            if (m.seq() > 0) {
                snippets.put(m.seq(), s);
            }
        }
        return s;
    }

    private static String[] shownLines(Snippet s) {
        String[] lines = s.code().split("\n", -1);
        if (lines.length <= MAX_LINES) {
            return lines;
        }
        return java.util.Arrays.copyOf(lines, MAX_LINES);
    }

    private int headerHeight(GC gc) {
        return gc.getFontMetrics().getHeight() + PAD;
    }

    private static int codeLineHeight(GC gc) {
        Font before = gc.getFont();
        gc.setFont(JFaceResources.getTextFont());
        int h = gc.getFontMetrics().getHeight();
        gc.setFont(before);
        return h;
    }

    @Override
    public int measure(MessageRow row, int width, GC gc) {
        lastWidth = width;
        Snippet s = snippet(row.message());
        if (s == null) {
            return gc.getFontMetrics().getHeight();
        }
        int lines = shownLines(s).length + (s.lineCount() > MAX_LINES ? 1 : 0);
        return headerHeight(gc) + PAD + lines * codeLineHeight(gc) + PAD;
    }

    @Override
    public void paint(MessageRow row, GC gc, Rectangle bounds) {
        Snippet s = snippet(row.message());
        if (s == null) {
            return;
        }
        lastWidth = bounds.width;
        boolean selected = row.isSelected();
        Color fg = gc.getForeground();
        Font font = gc.getFont();
        int header = headerHeight(gc);
        Rectangle box = new Rectangle(bounds.x, bounds.y, Math.min(bounds.width, 900) - 1, bounds.height - 1);
        if (!selected) {
            gc.setBackground(BOX);
            gc.fillRectangle(box);
            gc.setBackground(HEADER);
            gc.fillRectangle(box.x, box.y, box.width, header);
        }
        gc.setForeground(selected ? fg : BORDER);
        gc.drawRectangle(box);
        gc.drawLine(box.x, box.y + header, box.x + box.width, box.y + header);
        Rectangle clip = gc.getClipping();
        gc.setClipping(box.intersection(clip));

        // Header: title in bold, then the path, muted; the action at the right.
        String action = action();
        Point actionSize = gc.textExtent(action);
        int textY = box.y + PAD / 2;
        gc.setFont(bold(gc));
        gc.setForeground(fg);
        gc.drawText(s.title(), box.x + PAD, textY, true);
        int x = box.x + PAD + gc.textExtent(s.title()).x + 2 * PAD;
        gc.setFont(font);
        gc.setForeground(selected ? fg : MUTED);
        gc.setClipping(new Rectangle(x, box.y, Math.max(0, box.x + box.width - actionSize.x - 2 * PAD - x), header)
                .intersection(clip));
        gc.drawText(s.path(), x, textY, true);
        gc.setClipping(box.intersection(clip));
        gc.setForeground(selected ? fg : LINK);
        gc.drawText(action, box.x + box.width - PAD - actionSize.x, textY, true);

        // The code, in the text font, with line numbers.
        gc.setFont(JFaceResources.getTextFont());
        int line = gc.getFontMetrics().getHeight();
        String[] lines = shownLines(s);
        int gutter = gc.textExtent(String.valueOf(s.firstLine() + lines.length - 1)).x + PAD;
        int y = box.y + header + PAD;
        for (int i = 0; i < lines.length; i++) {
            gc.setForeground(selected ? fg : MUTED);
            String number = String.valueOf(s.firstLine() + i);
            gc.drawText(number, box.x + PAD + gutter - PAD - gc.textExtent(number).x, y, true);
            gc.setForeground(fg);
            gc.drawText(lines[i], box.x + PAD + gutter, y, SWT.DRAW_TRANSPARENT | SWT.DRAW_TAB);
            y += line;
        }
        int more = s.lineCount() - lines.length;
        if (more > 0) {
            gc.setFont(font);
            gc.setForeground(selected ? fg : MUTED);
            gc.drawText("… " + more + (more == 1 ? " more line" : " more lines")
                    + (opener() != null ? " (Open shows them all)" : " (Copy takes them all)"),
                    box.x + PAD + gutter, y, true);
        }
        gc.setClipping(clip);
        gc.setFont(font);
        gc.setForeground(fg);
    }

    private Font bold(GC gc) {
        if (bold == null) {
            var data = gc.getFont().getFontData();
            for (var d : data) {
                d.setStyle(SWT.BOLD);
            }
            bold = new Font(gc.getDevice(), data);
        }
        return bold;
    }

    private String action() {
        return opener() != null ? "Open" : "Copy";
    }

    /** Whether (x, y) is on the header's Open/Copy link (measured with the history's font, as painted). */
    private boolean onAction(MessageRow row, int x, int y) {
        GC gc = new GC(chat.shell());
        try {
            Snippet s = snippet(row.message());
            if (s == null) {
                return false;
            }
            if (y < 0 || y > headerHeight(gc)) {
                return false;
            }
            int right = Math.min(lastWidth, 900) - 1;
            return x <= right && x >= right - 2 * PAD - gc.textExtent(action()).x;
        } finally {
            gc.dispose();
        }
    }

    /** The body's width when last measured or painted: clicks come without it. */
    private int lastWidth = Integer.MAX_VALUE;

    @Override
    public boolean isClickable(MessageRow row, int x, int y) {
        return onAction(row, x, y);
    }

    @Override
    public String toolTipText(MessageRow row, int x, int y) {
        Snippet s = snippet(row.message());
        if (s == null) {
            return null;
        }
        return onAction(row, x, y) ? (opener() != null ? "Open " + s.path() + " in an editor" : "Copy the code")
                : s.path() + " (" + s.language() + ", " + s.lineCount() + (s.lineCount() == 1 ? " line)" : " lines)");
    }

    @Override
    public boolean click(MessageRow row, int x, int y) {
        if (onAction(row, x, y)) {
            return activate(row);
        }
        return false;
    }

    /** Opens the snippet with the opener service, or copies its code when there is none (or it declines). */
    @Override
    public boolean activate(MessageRow row) {
        Snippet s = snippet(row.message());
        if (s == null) {
            return false;
        }
        SnippetOpener opener = opener();
        if (opener != null) {
            try {
                if (opener.open(s, chat.shell())) {
                    return true;
                }
            } catch (RuntimeException | LinkageError e) {
                org.eclipse.core.runtime.ILog.of(SnippetRenderer.class).error("opening snippet " + s.title()
                        + " failed", e);
            }
        }
        Clipboard clipboard = new Clipboard(chat.shell().getDisplay());
        try {
            clipboard.setContents(new Object[] {s.code()}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
        return true;
    }

    /** The chat's opener: from its Eclipse context, else the OSGi service (the IDE integration); or null. */
    private SnippetOpener opener() {
        if (chat instanceof OpenerSource source) {
            SnippetOpener o = source.snippetOpener();
            if (o != null) {
                return o;
            }
        }
        return service();
    }

    private static SnippetOpener service() {
        Bundle bundle = FrameworkUtil.getBundle(SnippetRenderer.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) { // this bundle was never started (it needs no activator): ask the framework's
            Bundle system = FrameworkUtil.getBundle(Bundle.class);
            context = system == null ? null : system.getBundleContext();
        }
        if (context == null) {
            return null;
        }
        try {
            // All references, not only those "assignable" to the asking bundle: the framework's own bundle has no
            // wiring to this package and would be shown none.
            ServiceReference<?>[] refs = context.getAllServiceReferences(SnippetOpener.class.getName(), null);
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    if (context.getService(ref) instanceof SnippetOpener opener) {
                        return opener;
                    }
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter is given
        }
        return null;
    }

    @Override
    public String text(MessageRow row) {
        Snippet s = snippet(row.message());
        return s == null ? row.message().text() : s.code();
    }

    @Override
    public void forget(Chat.ChatMessage message) {
        snippets.remove(message.seq());
    }

    @Override
    public void dispose() {
        snippets.clear();
        if (bold != null) {
            bold.dispose();
        }
    }
}
