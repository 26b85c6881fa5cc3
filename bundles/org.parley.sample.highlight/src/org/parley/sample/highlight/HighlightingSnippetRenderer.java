package org.parley.sample.highlight;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
import org.eclipse.swt.graphics.TextLayout;
import org.eclipse.swt.graphics.TextStyle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.MessageRenderer;
import org.parley.chat.ui.MessageRow;
import org.parley.chat.ui.Snippet;
import org.parley.chat.ui.SnippetOpener;
import org.parley.protocol.message.Chat;
import org.parley.sample.highlight.internal.Highlighter;

/**
 * Code snippets with syntax colouring: the snippet's title above its code, in the editor's font, with keywords,
 * strings, comments and numbers coloured as Eclipse's editors colour them. Long snippets show their first
 * {@value #MAX_LINES} lines. Declared above Parley's own snippet rendering, which it replaces; everything else is
 * left to Parley.
 *
 * <p>Written only against Parley's API packages ({@code org.parley.chat.ui}, {@code org.parley.protocol.message}):
 * the way a plug-in from outside the project would be.
 */
public final class HighlightingSnippetRenderer implements MessageRenderer {

    static final int MAX_LINES = 20;
    private static final int PAD = 6;

    /** Parsed snippets by message sequence number (rows are measured and painted many times). */
    private final Map<Long, Snippet> snippets = new HashMap<>();
    private ChatContext chat;
    private TextLayout layout;
    private Font bold;

    @Override
    public void init(ChatContext chat) {
        this.chat = chat;
    }

    @Override
    public boolean claims(Chat.ChatMessage message) {
        return snippet(message).isPresent();
    }

    private Optional<Snippet> snippet(Chat.ChatMessage m) {
        Snippet s = snippets.get(m.seq());
        if (s == null) {
            Optional<Snippet> parsed = Snippet.parse(m.text());
            parsed.ifPresent(p -> snippets.put(m.seq(), p));
            return parsed;
        }
        return Optional.of(s);
    }

    /** The code shown: at most {@value #MAX_LINES} lines, then how many more there are. */
    static String shown(String code) {
        int at = -1;
        for (int line = 0; line < MAX_LINES; line++) {
            at = code.indexOf('\n', at + 1);
            if (at < 0) {
                return code;
            }
        }
        int more = (int) code.substring(at + 1).lines().count();
        return more == 0 ? code.substring(0, at) : code.substring(0, at) + "\n… " + more + " more line"
                + (more == 1 ? "" : "s");
    }

    private TextLayout code(MessageRow row, Snippet snippet, int width, GC gc) {
        if (layout == null) {
            layout = new TextLayout(gc.getDevice());
        }
        String shown = shown(snippet.code());
        layout.setText(shown.isEmpty() ? " " : shown);
        layout.setFont(JFaceResources.getTextFont());
        layout.setWidth(Math.max(20, width - 2 * PAD));
        layout.setStyle(null, 0, layout.getText().length() - 1); // setText keeps the styles when the text is the same
        if (!row.isSelected()) {
            int limit = Math.min(shown.length(), snippet.code().length());
            for (Highlighter.Token t : Highlighter.tokens(snippet.language(), snippet.code())) {
                if (t.start() >= limit) {
                    break;
                }
                layout.setStyle(style(t.kind()), t.start(), Math.min(t.end(), limit) - 1);
            }
        }
        return layout;
    }

    private TextStyle style(Highlighter.Kind kind) {
        // Eclipse's Java editor colours, so that code looks in the chat as it does in the IDE.
        return switch (kind) {
            case KEYWORD, TAG -> new TextStyle(bold(), new Color(127, 0, 85), null);
            case STRING -> new TextStyle(null, new Color(42, 0, 255), null);
            case COMMENT -> new TextStyle(null, new Color(63, 127, 95), null);
            case NUMBER -> new TextStyle(null, new Color(100, 100, 100), null);
            case ATTRIBUTE -> new TextStyle(null, new Color(127, 0, 127), null);
        };
    }

    private Font bold() {
        if (bold == null) {
            bold = JFaceResources.getFontRegistry().getBold(JFaceResources.TEXT_FONT);
        }
        return bold;
    }

    @Override
    public int measure(MessageRow row, int width, GC gc) {
        Snippet s = snippet(row.message()).orElseThrow();
        int title = gc.textExtent(s.title()).y;
        return title + 2 * PAD + code(row, s, width, gc).getBounds().height;
    }

    @Override
    public void paint(MessageRow row, GC gc, Rectangle bounds) {
        Snippet s = snippet(row.message()).orElseThrow();
        Point title = gc.textExtent(s.title());
        gc.drawText(s.title(), bounds.x, bounds.y, true);
        int top = bounds.y + title.y + PAD / 2;
        TextLayout code = code(row, s, bounds.width, gc);
        Rectangle box = new Rectangle(bounds.x, top, bounds.width - 1, code.getBounds().height + PAD * 3 / 2);
        if (!row.isSelected()) {
            Color background = gc.getBackground();
            gc.setBackground(new Color(246, 246, 242));
            gc.fillRectangle(box);
            gc.setBackground(background);
        }
        Color text = gc.getForeground();
        gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
        gc.drawRectangle(box);
        gc.setForeground(text);
        code.draw(gc, bounds.x + PAD, top + PAD * 3 / 4);
    }

    @Override
    public String toolTipText(MessageRow row, int x, int y) {
        return snippet(row.message()).map(s -> s.path() + " (" + s.language() + ")").orElse(null);
    }

    /**
     * Enter or a double-click opens the snippet with the {@link SnippetOpener} service when one is registered (in an
     * Eclipse IDE, an editor), and copies its code otherwise, as Parley's own snippet rendering does.
     */
    @Override
    public boolean activate(MessageRow row) {
        Optional<Snippet> snippet = snippet(row.message());
        if (snippet.isEmpty()) {
            return false;
        }
        Shell shell = chat == null ? null : chat.shell();
        BundleContext bundle = FrameworkUtil.getBundle(getClass()).getBundleContext();
        ServiceReference<SnippetOpener> ref = bundle == null ? null : bundle.getServiceReference(SnippetOpener.class);
        if (ref != null) {
            SnippetOpener opener = bundle.getService(ref);
            try {
                if (opener != null && opener.open(snippet.get(), shell)) {
                    return true;
                }
            } finally {
                bundle.ungetService(ref);
            }
        }
        Clipboard clipboard = new Clipboard(Display.getCurrent());
        try {
            clipboard.setContents(new Object[] {snippet.get().code()}, new Transfer[] {TextTransfer.getInstance()});
        } finally {
            clipboard.dispose();
        }
        return true;
    }

    /** Copy gives the code itself, as the sender selected it. */
    @Override
    public String text(MessageRow row) {
        return snippet(row.message()).map(Snippet::code).orElseGet(() -> row.message().text());
    }

    @Override
    public void forget(Chat.ChatMessage message) {
        snippets.remove(message.seq());
    }

    @Override
    public void dispose() {
        snippets.clear();
        if (layout != null) {
            layout.dispose();
        }
    }

    ChatContext chat() {
        return chat;
    }
}
