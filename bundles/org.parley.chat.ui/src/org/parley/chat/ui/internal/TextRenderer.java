package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jface.resource.JFaceResources;
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
 * Parley's own rendering of a message body: the text with its Markdown ({@link Markdown}: bold, italic,
 * strikethrough, code, code blocks, links, quotes, lists, mentions), wrapped; links (Markdown links and bare web
 * addresses) underlined and clickable, opened in the system browser and never fetched; mentions highlighted with
 * the member's current display name; system messages in grey italics; attachments (when no plug-in renders them)
 * as a line each with name and size. Copy gives the raw text (the default {@link MessageRenderer#text}).
 */
final class TextRenderer implements MessageRenderer {

    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+[^\\s<>\".,;:!?)\\]']");
    private static final Color LINK = new Color(20, 90, 190);
    private static final Color CODE_FG = new Color(160, 30, 60);
    private static final Color CODE_BG = new Color(240, 242, 245);
    private static final Color MENTION_BG = new Color(255, 236, 179);
    private static final Color MENTION_ME_BG = new Color(255, 214, 110);
    private static final Color MENTION_FG = new Color(18, 70, 150);
    private static final Color QUOTE = new Color(90, 96, 104);

    /** What a row shows, kept while it is in the cache: Markdown is parsed once per message (and names). */
    private record Shown(String raw, String text, List<Markdown.Span> spans, String names) {
    }

    private ChatContext chat;
    private TextLayout layout;
    /** The width and font of the last layout (the history's): clicks are hit-tested with them. */
    private int lastWidth = -1;
    private Font lastBase;
    /** Fonts by style bits (1 bold, 2 italic, 4 monospace), made as needed. */
    private final Map<Integer, Font> fonts = new HashMap<>();
    private final Map<Long, Shown> shown = new HashMap<>();

    @Override
    public void init(ChatContext chat) {
        this.chat = chat;
    }

    /** Lays the message out for the width (reusing one TextLayout: rows are laid out one at a time). */
    private TextLayout layout(MessageRow row, int width, GC gc) {
        return layout(row, width, gc.getFont());
    }

    /** Lays the message out for the width with the history's font {@code base} (no GC needed: clicks have none). */
    private TextLayout layout(MessageRow row, int width, Font base) {
        lastWidth = width;
        lastBase = base;
        org.eclipse.swt.graphics.Device device = base.getDevice();
        if (layout == null) {
            layout = new TextLayout(device);
        }
        Chat.ChatMessage m = row.message();
        Shown s = shown(m);
        layout.setText(s.text());
        layout.setFont(base);
        layout.setWidth(Math.max(20, width));
        layout.setWrapIndent(0);
        boolean selected = row.isSelected();
        if (m.kind() == Chat.Kind.SYSTEM || m.deleted()) {
            TextStyle st = new TextStyle(font(base, 2), selected ? null
                    : device.getSystemColor(SWT.COLOR_DARK_GRAY), null);
            layout.setStyle(st, 0, layout.getText().length() - 1);
            return layout;
        }
        styles(s, base, selected);
        return layout;
    }

    /** Each stretch of text between span boundaries gets one style made of every span over it. */
    private void styles(Shown s, Font base, boolean selected) {
        Set<Integer> cuts = new TreeSet<>();
        for (Markdown.Span sp : s.spans()) {
            cuts.add(sp.start());
            cuts.add(sp.end());
        }
        Integer previous = null;
        String me = chat == null ? null : chat.client().user();
        for (int cut : cuts) {
            if (previous != null && cut > previous) {
                EnumSet<Markdown.Style> on = EnumSet.noneOf(Markdown.Style.class);
                boolean mentionsMe = false;
                for (Markdown.Span sp : s.spans()) {
                    if (sp.start() <= previous && sp.end() >= cut) {
                        on.add(sp.style());
                        mentionsMe |= sp.style() == Markdown.Style.MENTION && sp.target().equals(me);
                    }
                }
                layout.setStyle(style(on, mentionsMe, base, selected), previous, cut - 1);
            }
            previous = cut;
        }
    }

    private TextStyle style(Set<Markdown.Style> on, boolean mentionsMe, Font base, boolean selected) {
        boolean code = on.contains(Markdown.Style.CODE) || on.contains(Markdown.Style.CODE_BLOCK);
        int bits = (on.contains(Markdown.Style.BOLD) || on.contains(Markdown.Style.MENTION) ? 1 : 0)
                | (on.contains(Markdown.Style.ITALIC) ? 2 : 0) | (code ? 4 : 0);
        TextStyle st = new TextStyle(bits == 0 ? null : font(base, bits), null, null);
        if (on.contains(Markdown.Style.STRIKE)) {
            st.strikeout = true;
        }
        if (on.contains(Markdown.Style.LINK)) {
            st.underline = true;
        }
        if (selected) {
            return st; // the selection's colours
        }
        if (on.contains(Markdown.Style.MENTION)) {
            st.foreground = MENTION_FG;
            st.background = mentionsMe ? MENTION_ME_BG : MENTION_BG;
        } else if (on.contains(Markdown.Style.LINK)) {
            st.foreground = LINK;
        } else if (on.contains(Markdown.Style.CODE)) {
            st.foreground = CODE_FG;
            st.background = CODE_BG;
        } else if (on.contains(Markdown.Style.CODE_BLOCK)) {
            st.background = CODE_BG;
        } else if (on.contains(Markdown.Style.MARKER) || on.contains(Markdown.Style.QUOTE)) {
            st.foreground = on.contains(Markdown.Style.MARKER) ? LINK_MUTED : QUOTE;
        }
        return st;
    }

    private static final Color LINK_MUTED = new Color(150, 156, 164);

    /** The history's font with style bits: 1 bold, 2 italic, 4 the text (monospace) font's face. */
    private Font font(Font base, int bits) {
        return fonts.computeIfAbsent(bits, b -> {
            FontData[] data = (b & 4) != 0 ? JFaceResources.getTextFont().getFontData() : base.getFontData();
            int height = base.getFontData()[0].getHeight();
            for (FontData d : data) {
                d.setStyle(((b & 1) != 0 ? SWT.BOLD : 0) | ((b & 2) != 0 ? SWT.ITALIC : 0));
                d.setHeight(height);
            }
            return new Font(base.getDevice(), data);
        });
    }

    /** What the message shows (formatted once, again when a mentioned member's display name changes). */
    private Shown shown(Chat.ChatMessage m) {
        if (m.deleted()) {
            return new Shown(m.text(), Messages.History_deleted, List.of(), "");
        }
        if (m.kind() == Chat.Kind.SYSTEM) { // "ann added bob" shown with the display names known now
            String text = org.parley.client.core.SystemLines.shown(m.text(), this::displayName);
            return new Shown(m.text(), display(text, m), List.of(), "");
        }
        Shown s = shown.get(m.seq());
        String names = names(m.text());
        if (s == null || !s.names().equals(names) || !s.raw().equals(m.text())) {
            Markdown.Formatted f = Markdown.format(m.text(), this::displayName);
            List<Markdown.Span> spans = new ArrayList<>(f.spans());
            // bare web addresses outside code and links are links too
            Matcher u = URL.matcher(f.text());
            while (u.find()) {
                int from = u.start();
                int to = u.end();
                boolean inside = f.spans().stream().anyMatch(sp -> sp.start() < to && sp.end() > from
                        && sp.style() != Markdown.Style.BOLD && sp.style() != Markdown.Style.ITALIC
                        && sp.style() != Markdown.Style.STRIKE && sp.style() != Markdown.Style.QUOTE
                        && sp.style() != Markdown.Style.MARKER);
                if (!inside) {
                    spans.add(new Markdown.Span(from, to, Markdown.Style.LINK, u.group()));
                }
            }
            String text = display(f.text(), m);
            if (text.length() > f.text().length() && !m.attachments().isEmpty()) {
                spans.add(new Markdown.Span(f.text().isEmpty() ? 0 : f.text().length() + 1, text.length(),
                        Markdown.Style.MARKER, null));
            }
            s = new Shown(m.text(), text, spans, names);
            if (m.seq() > 0) {
                shown.put(m.seq(), s);
            }
        }
        return s;
    }

    /** The current display names of the users a text mentions (a change re-formats it). */
    private String names(String text) {
        if (!text.contains(Markdown.MENTION_PREFIX)) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (String u : Markdown.mentions(text)) {
            s.append(displayName(u)).append('\n');
        }
        return s.toString();
    }

    /** A member's current display name, or null when not known (the mention's own name is shown). */
    private String displayName(String user) {
        if (chat == null || !chat.client().names().knows(user)) {
            return null;
        }
        return chat.client().names().of(user);
    }

    /** The text shown: the message, then one line per attachment. */
    private static String display(String text, Chat.ChatMessage m) {
        StringBuilder s = new StringBuilder(text);
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

    /** The links of a row, in order. */
    private List<Markdown.Span> links(Chat.ChatMessage m) {
        if (m.kind() == Chat.Kind.SYSTEM || m.deleted()) {
            return List.of();
        }
        return shown(m).spans().stream().filter(s -> s.style() == Markdown.Style.LINK).sorted(
                (a, b) -> Integer.compare(a.start(), b.start())).toList();
    }

    /** Lines of a code block shown before it scrolls (as many as the snippet renderer shows). */
    static final int CODE_LINES = SnippetRenderer.MAX_LINES;

    /**
     * The code of a message that is one fenced code block and nothing else (no attachments), or null: such a
     * message is shown in a scrollable, monospace box (a read-only StyledText) rather than painted.
     */
    private String codeOnly(Chat.ChatMessage m) {
        if (m.kind() != Chat.Kind.TEXT || !m.attachments().isEmpty() || !m.text().stripLeading().startsWith("```")) {
            return null;
        }
        Shown s = shown(m);
        List<Markdown.Span> blocks = s.spans().stream().filter(sp -> sp.style() == Markdown.Style.CODE_BLOCK)
                .toList();
        return blocks.size() == 1 && blocks.get(0).start() == 0 && blocks.get(0).end() == s.text().length()
                ? s.text() : null;
    }

    /** What Copy takes: a deleted message says so; others as the API's default (text, then file names). */
    @Override
    public String text(MessageRow row) {
        if (row.message().kind() == Chat.Kind.SYSTEM && !row.message().deleted()) { // as shown, with display names
            return org.parley.client.core.SystemLines.shown(row.message().text(), this::displayName);
        }
        return row.message().deleted() ? Messages.History_deleted : MessageRenderer.super.text(row);
    }

    @Override
    public int measure(MessageRow row, int width, GC gc) {
        String code = codeOnly(row.message());
        if (code != null) {
            gc.setFont(JFaceResources.getTextFont());
            int line = gc.getFontMetrics().getHeight();
            long lines = code.lines().count();
            int longest = code.lines().mapToInt(l -> gc.textExtent(l).x).max().orElse(0);
            int scrollbar = longest + 12 > width ? 16 : 0;
            return (int) Math.min(lines, CODE_LINES) * line + 10 + scrollbar;
        }
        return layout(row, width, gc).getBounds().height;
    }

    @Override
    public org.eclipse.swt.widgets.Control createControl(org.eclipse.swt.widgets.Composite parent, MessageRow row) {
        String code = codeOnly(row.message());
        if (code == null) {
            return null;
        }
        org.eclipse.swt.custom.StyledText box = new org.eclipse.swt.custom.StyledText(parent,
                SWT.READ_ONLY | SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER);
        box.setFont(JFaceResources.getTextFont());
        box.setBackground(CODE_BG);
        box.setMargins(4, 2, 4, 2);
        box.setAlwaysShowScrollBars(false);
        box.setText(code);
        box.setData("org.parley.chat.codeBlock", Boolean.TRUE);
        return box;
    }

    @Override
    public void paint(MessageRow row, GC gc, Rectangle bounds) {
        if (codeOnly(row.message()) != null) {
            return; // the scrollable box shows it
        }
        TextLayout l = layout(row, bounds.width, gc);
        if (!row.isSelected() && mentionsMe(row.message())) { // a message that mentions me stands out
            Color before = gc.getBackground();
            gc.setBackground(MENTIONED_ROW);
            gc.fillRectangle(bounds.x - 4, bounds.y, bounds.width + 4, bounds.height);
            gc.setBackground(before);
        }
        l.draw(gc, bounds.x, bounds.y);
    }

    private static final Color MENTIONED_ROW = new Color(255, 248, 225);

    /** Whether the message mentions the signed-in user. */
    boolean mentionsMe(Chat.ChatMessage m) {
        return chat != null && m.kind() != Chat.Kind.SYSTEM && !m.deleted() && shown(m).spans().stream().anyMatch(
                s -> s.style() == Markdown.Style.MENTION && s.target().equals(chat.client().user()));
    }

    /** The web link at (x, y) of the body, or null. */
    private String linkAt(MessageRow row, int x, int y) {
        if (layout == null) {
            return null;
        }
        List<Markdown.Span> links = links(row.message());
        if (links.isEmpty() || lastBase == null || lastBase.isDisposed()) {
            return null;
        }
        TextLayout layout = layout(row, lastWidth, lastBase); // as painted: styled fonts change the positions
        Rectangle b = layout.getBounds();
        if (x < 0 || y < 0 || x > b.width || y > b.height) {
            return null;
        }
        int[] trailing = new int[1];
        int offset = layout.getOffset(x, y, trailing);
        for (Markdown.Span l : links) {
            if (offset >= l.start() && offset < l.end() && layout.getBounds(l.start(), l.end() - 1).contains(x, y)) {
                return l.target();
            }
        }
        return null;
    }

    /**
     * Only web and mail addresses are handed to the desktop, and links to messages ({@link MessageLinks}) are opened
     * by the chat; anything else a link names (file:, javascript:, …) is not.
     */
    static boolean openable(String target) {
        String t = target == null ? "" : target.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("https://") || t.startsWith("http://") || t.startsWith("mailto:")
                || MessageLinks.parse(target) != null;
    }

    /** A chat that opens links to messages itself (the chat part's). */
    interface MessageLinkOpener {
        void openMessageLink(String link);
    }

    /** Opens a link: a message link in Parley (never handed to the desktop), another one with the desktop's. */
    private void open(String link) {
        if (MessageLinks.isMessageLink(link)) {
            if (chat instanceof MessageLinkOpener opener) {
                opener.openMessageLink(link);
            }
            return;
        }
        org.parley.ui.Desktop.openLink(chat.shell(), link);
    }

    @Override
    public boolean isClickable(MessageRow row, int x, int y) {
        String link = linkAt(row, x, y);
        return link != null && openable(link);
    }

    @Override
    public String toolTipText(MessageRow row, int x, int y) {
        String link = linkAt(row, x, y);
        return link == null ? null : org.eclipse.osgi.util.NLS.bind(MessageLinks.parse(link) != null
                ? Messages.Links_open : openable(link) ? Messages.TextRenderer_open : Messages.TextRenderer_notOpened,
                link);
    }

    @Override
    public boolean click(MessageRow row, int x, int y) {
        String link = linkAt(row, x, y);
        if (link != null && openable(link)) {
            open(link);
            return true;
        }
        return false;
    }

    @Override
    public boolean activate(MessageRow row) {
        List<Markdown.Span> links = links(row.message()).stream().filter(l -> openable(l.target())).toList();
        if (links.size() == 1) { // Enter on a message with one link opens it
            open(links.get(0).target());
            return true;
        }
        return false;
    }

    @Override
    public void forget(Chat.ChatMessage message) {
        shown.remove(message.seq());
    }

    @Override
    public void dispose() {
        if (layout != null) {
            layout.dispose();
        }
        fonts.values().forEach(Font::dispose);
        fonts.clear();
        shown.clear();
    }

    ChatContext chat() {
        return chat;
    }

    /** Where a span of {@link #formatted} lies in a body of {@code width} (relative to the body), or null. */
    Rectangle spanBounds(MessageRow row, Markdown.Span span, int width, GC gc) {
        TextLayout l = layout(row, width, gc);
        return span.end() > l.getText().length() ? null : l.getBounds(span.start(), span.end() - 1);
    }

    /** What a message shows and its spans (for the chat's tests). */
    Markdown.Formatted formatted(Chat.ChatMessage m) {
        Shown s = shown(m);
        return new Markdown.Formatted(s.text(), s.spans());
    }
}
