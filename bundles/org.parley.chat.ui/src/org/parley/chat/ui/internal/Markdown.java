package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

/**
 * The Markdown subset of chat messages (docs/decisions/markdown.md), parsed by commonmark-java: bold, italic,
 * strikethrough (GFM), inline code, fenced code blocks, links, block quotes, bullet and numbered lists, and
 * mentions ({@code @[display name](parley:user/ID)}, docs/protocol.md). Headings, HTML, indented code and thematic
 * breaks are not part of it: such lines stay text. The result is what the chat shows: the text without the marks,
 * and the spans to style; the raw text stays what is stored, sent and copied.
 */
public final class Markdown {

    /** The link destination of a mention, before the user id. */
    public static final String MENTION_PREFIX = "parley:user/";

    /** How a span looks. */
    public enum Style {
        BOLD, ITALIC, STRIKE, CODE, CODE_BLOCK, LINK, MENTION, QUOTE, MARKER
    }

    /** A styled range of {@link Formatted#text}: [start, end); {@code target} is a link's address or a user id. */
    public record Span(int start, int end, Style style, String target) {
    }

    /** A message as shown: its text without the marks, and its styled spans. */
    public record Formatted(String text, List<Span> spans) {

        /** The spans of one style, in order. */
        public List<Span> of(Style style) {
            return spans.stream().filter(s -> s.style() == style).toList();
        }

        /** The text of a span. */
        public String textOf(Span s) {
            return text.substring(s.start(), s.end());
        }
    }

    private static final Parser PARSER = Parser.builder()
            .enabledBlockTypes(Set.of(FencedCodeBlock.class, BlockQuote.class,
                    org.commonmark.node.ListBlock.class))
            .extensions(List.of(StrikethroughExtension.builder().requireTwoTildes(true).build()))
            .build();

    private Markdown() {
    }

    /**
     * The message as shown; {@code names} gives a mentioned user's current display name (or null to keep the name
     * the token carries).
     */
    public static Formatted format(String markdown, UnaryOperator<String> names) {
        Builder b = new Builder(names);
        PARSER.parse(markdown).accept(b);
        String text = b.out.toString();
        while (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        int length = text.length();
        List<Span> spans = b.spans.stream().filter(s -> s.start() < length && s.end() > s.start())
                .map(s -> s.end() > length ? new Span(s.start(), length, s.style(), s.target()) : s).toList();
        return new Formatted(text, spans);
    }

    /** The users a message mentions (their ids), in order, each once. */
    public static Set<String> mentions(String markdown) {
        Set<String> users = new LinkedHashSet<>();
        PARSER.parse(markdown).accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                String user = mentioned(link);
                if (user != null) {
                    users.add(user);
                }
                visitChildren(link);
            }
        });
        return users;
    }

    /**
     * The token that mentions a user in a message's text: {@code @[display name](parley:user/ID)}. The display name
     * is what clients show when they cannot look the user up; they show the current one otherwise.
     */
    public static String mention(String user, String displayName) {
        StringBuilder name = new StringBuilder();
        for (char c : displayName.toCharArray()) {
            if (c == '[' || c == ']' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '~') {
                name.append('\\');
            }
            name.append(c == '\n' || c == '\r' ? ' ' : c);
        }
        return "@[" + name + "](" + MENTION_PREFIX + user + ")";
    }

    private static String mentioned(Link link) {
        String d = link.getDestination();
        if (d == null || !d.startsWith(MENTION_PREFIX)) {
            return null;
        }
        String user = d.substring(MENTION_PREFIX.length());
        return user.matches("[a-z0-9._-]{1,64}") ? user : null;
    }

    /** Walks the tree, writing the shown text and recording the spans. */
    private static final class Builder extends AbstractVisitor {
        private final UnaryOperator<String> names;
        final StringBuilder out = new StringBuilder();
        final List<Span> spans = new ArrayList<>();
        /** The prefix of each new line inside block quotes and list items (indentation, quote bars). */
        private String linePrefix = "";

        Builder(UnaryOperator<String> names) {
            this.names = names;
        }

        private void newLine() {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
        }

        private void startLine() {
            if (out.length() == 0 || out.charAt(out.length() - 1) == '\n') {
                appendPrefix();
            }
        }

        private void appendPrefix() {
            int at = out.length();
            out.append(linePrefix);
            if (!linePrefix.isEmpty()) {
                spans.add(new Span(at, out.length(), Style.MARKER, null));
            }
        }

        private void text(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\n') {
                    out.append('\n');
                    appendPrefix();
                } else {
                    startLine();
                    out.append(c);
                }
            }
        }

        private void styled(Node node, Style style, String target) {
            startLine();
            int at = out.length();
            visitChildren(node);
            spans.add(new Span(at, out.length(), style, target));
        }

        @Override
        public void visit(Paragraph p) {
            newLine();
            visitChildren(p);
            newLine();
        }

        @Override
        public void visit(Text t) {
            // A link to a message pasted as it was copied (Copy Link) is a link without brackets.
            String s = t.getLiteral();
            java.util.regex.Matcher m = MessageLinks.IN_TEXT.matcher(s);
            int from = 0;
            while (m.find()) {
                text(s.substring(from, m.start()));
                startLine();
                int at = out.length();
                out.append(m.group());
                spans.add(new Span(at, out.length(), Style.LINK, m.group()));
                from = m.end();
            }
            text(s.substring(from));
        }

        @Override
        public void visit(SoftLineBreak b) {
            text("\n"); // in a chat a new line is a new line
        }

        @Override
        public void visit(HardLineBreak b) {
            text("\n");
        }

        @Override
        public void visit(HtmlInline h) {
            text(h.getLiteral()); // shown as typed, never interpreted
        }

        @Override
        public void visit(StrongEmphasis e) {
            styled(e, Style.BOLD, null);
        }

        @Override
        public void visit(Emphasis e) {
            styled(e, Style.ITALIC, null);
        }

        @Override
        public void visit(CustomNode node) {
            if (node instanceof Strikethrough) {
                styled(node, Style.STRIKE, null);
            } else {
                visitChildren(node);
            }
        }

        @Override
        public void visit(Code c) {
            startLine();
            int at = out.length();
            out.append(c.getLiteral());
            spans.add(new Span(at, out.length(), Style.CODE, null));
        }

        @Override
        public void visit(Link link) {
            String user = mentioned(link);
            if (user == null) {
                styled(link, Style.LINK, link.getDestination());
                return;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) == '@') {
                out.setLength(out.length() - 1); // the token's "@" is part of the mention
            }
            startLine();
            int at = out.length();
            String name = names == null ? null : names.apply(user);
            if (name == null) {
                int before = out.length();
                visitChildren(link);
                name = out.substring(before);
                out.setLength(before);
            }
            out.append('@').append(name);
            spans.add(new Span(at, out.length(), Style.MENTION, user));
        }

        @Override
        public void visit(Image image) {
            // never fetched: shown as a link to the picture, with its description
            startLine();
            int at = out.length();
            visitChildren(image);
            if (out.length() == at) {
                out.append(image.getDestination());
            }
            spans.add(new Span(at, out.length(), Style.LINK, image.getDestination()));
        }

        @Override
        public void visit(FencedCodeBlock code) {
            newLine();
            startLine();
            int at = out.length();
            String literal = code.getLiteral();
            if (literal.endsWith("\n")) {
                literal = literal.substring(0, literal.length() - 1);
            }
            text(literal.isEmpty() ? " " : literal);
            spans.add(new Span(at, out.length(), Style.CODE_BLOCK, code.getInfo()));
            out.append('\n');
        }

        @Override
        public void visit(BlockQuote quote) {
            newLine();
            String outer = linePrefix;
            linePrefix = outer + "\u2503 ";
            int at = out.length();
            visitChildren(quote);
            spans.add(new Span(at, out.length(), Style.QUOTE, null));
            linePrefix = outer;
            newLine();
        }

        @Override
        public void visit(BulletList list) {
            items(list, -1);
        }

        @Override
        public void visit(OrderedList list) {
            items(list, list.getMarkerStartNumber() == null ? 1 : list.getMarkerStartNumber());
        }

        private void items(Node list, int number) {
            newLine();
            String outer = linePrefix;
            int n = number;
            for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                String marker = number < 0 ? "\u2022 " : n++ + ". ";
                newLine();
                int at = out.length();
                out.append(outer).append(marker);
                spans.add(new Span(at, out.length(), Style.MARKER, null));
                linePrefix = outer + " ".repeat(marker.length() + 1);
                if (item instanceof ListItem li) {
                    visitItem(li);
                }
                linePrefix = outer;
            }
            newLine();
        }

        /** A list item's blocks; its first paragraph goes on the marker's line. */
        private void visitItem(ListItem item) {
            boolean first = true;
            for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
                if (first && child instanceof Paragraph p) {
                    visitChildren(p);
                    newLine();
                } else {
                    child.accept(this);
                }
                first = false;
            }
        }
    }
}
