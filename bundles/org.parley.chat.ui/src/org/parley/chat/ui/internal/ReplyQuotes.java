package org.parley.chat.ui.internal;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.parley.chat.ui.ChatContext;
import org.parley.protocol.message.Chat;

/**
 * The quote above a reply: the original's sender, its first line and, for a picture or a video, its thumbnail.
 * The original comes from the history's cache when it is loaded; otherwise it is fetched alone
 * ({@code FetchAround(seq, 0, 0)}), without loading the history in between, and kept in a small cache of its own.
 * What a quote says is decided in one place, {@link #quote(Chat.ChatMessage)}.
 */
final class ReplyQuotes {

    /** Originals fetched for quotes (not in the history's pages), at most this many. */
    private static final int MAX_FETCHED = 200;
    private static final Color BAR = new Color(160, 170, 190);
    private static final Color QUOTE_BACKGROUND = new Color(240, 242, 246);

    /** What a quote shows: who wrote the original, its first line, and its thumbnail (null when none). */
    record Quote(String sender, String line, byte[] thumbnail) {
    }

    private final HistoryView view;
    private final ChatContext chat;
    private final Canvas canvas;
    private final Map<Long, Chat.ChatMessage> fetched = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Chat.ChatMessage> eldest) {
            return size() > MAX_FETCHED;
        }
    };
    private final Set<Long> asked = new HashSet<>();
    private final Set<Long> failed = new HashSet<>();
    private final Map<Long, Image> thumbnails = new HashMap<>();

    ReplyQuotes(HistoryView view, ChatContext chat, Canvas canvas) {
        this.view = view;
        this.chat = chat;
        this.canvas = canvas;
    }

    /**
     * What the quote of original message {@code seq} shows, or null while it is being fetched. One that cannot be
     * had (the fetch failed) says so.
     */
    Quote quoteOf(long seq) {
        Chat.ChatMessage original = original(seq);
        if (original != null) {
            return quote(original);
        }
        return failed.contains(seq) ? new Quote("", Messages.Reply_unavailable, null) : null;
    }

    /**
     * The one place that decides what a quote of {@code original} says. A deleted original says so ("Original
     * message deleted"), without its text or thumbnail.
     */
    Quote quote(Chat.ChatMessage original) {
        String sender = view.senderName(original.sender());
        if (original.deleted()) {
            return new Quote(sender, Messages.Reply_deleted, null);
        }
        return new Quote(sender, firstLine(original), thumbnail(original));
    }

    /**
     * Message {@code seq} was edited or deleted: a copy fetched for quotes is stale, so it is fetched again when a
     * quote next needs it (a copy in the history's cache is changed there).
     */
    void forget(long seq) {
        if (fetched.remove(seq) != null) {
            asked.remove(seq);
            canvas.redraw();
        }
    }

    /** The quote as one line of text ("Ann Lee: first line"), for tests and accessibility; "…" while loading. */
    String text(long seq) {
        Quote q = quoteOf(seq);
        return q == null ? Messages.Reply_loading : q.sender().isEmpty() ? q.line() : q.sender() + ": " + q.line();
    }

    /** The first line of a message as a quote shows it: Markdown marks left out; a file by its kind or name. */
    String firstLine(Chat.ChatMessage m) {
        String text = m.kind() == Chat.Kind.TEXT ? Markdown.format(m.text(), view::senderName).text() : m.text();
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        if (!m.attachments().isEmpty()) {
            Chat.Attachment a = m.attachments().get(0);
            String type = a.mediaType();
            return type.startsWith("image/") ? Messages.Reply_photo : type.startsWith("video/") ? Messages.Reply_video
                    : type.startsWith("audio/") ? Messages.Reply_audio : NLS.bind(Messages.Reply_file, a.name());
        }
        return "";
    }

    private static byte[] thumbnail(Chat.ChatMessage m) {
        for (Chat.Attachment a : m.attachments()) {
            if (a.thumbnail().length > 0) {
                return a.thumbnail();
            }
        }
        return null;
    }

    /** The original from the history's cache or this one's; null when it is not here (then it is fetched). */
    Chat.ChatMessage original(long seq) {
        Chat.ChatMessage m = view.message(seq);
        if (m == null) {
            m = fetched.get(seq);
        }
        if (m == null && !failed.contains(seq) && asked.add(seq)) {
            fetch(seq);
        }
        return m;
    }

    private void fetch(long seq) {
        chat.client().fetchAround(chat.conversationId(), seq, 0, 0).whenComplete((page, e) -> {
            if (canvas.isDisposed()) {
                return;
            }
            canvas.getDisplay().asyncExec(() -> {
                if (canvas.isDisposed()) {
                    return;
                }
                asked.remove(seq);
                Chat.ChatMessage found = page == null ? null : page.messages().stream().filter(m -> m.seq() == seq)
                        .findFirst().orElse(null);
                if (found == null) {
                    failed.add(seq);
                } else {
                    fetched.put(seq, found);
                }
                view.quotesChanged();
            });
        });
    }

    /** Paints the quote of {@code replyTo} into {@code r}: a bar, the thumbnail, the sender and the first line. */
    void paint(GC gc, Rectangle r, long replyTo, RowPainter painter, boolean selected) {
        Quote q = quoteOf(replyTo);
        gc.setBackground(selected ? painter.unfocusedSelection : QUOTE_BACKGROUND);
        gc.fillRectangle(r);
        gc.setBackground(BAR);
        gc.fillRectangle(r.x, r.y, 3, r.height);
        int x = r.x + 9;
        int top = r.y + (r.height - 2 * painter.line) / 2;
        Image image = q == null || q.thumbnail() == null ? null : image(replyTo, q.thumbnail());
        if (image != null) {
            int side = r.height - 6;
            Rectangle b = image.getBounds();
            double scale = Math.min((double) side / b.width, (double) side / b.height);
            int w = Math.max(1, (int) (b.width * scale));
            int h = Math.max(1, (int) (b.height * scale));
            gc.drawImage(image, 0, 0, b.width, b.height, x, r.y + (r.height - h) / 2, w, h);
            x += side + 8;
        }
        int room = r.x + r.width - x - 6;
        if (q == null) {
            gc.setForeground(painter.grey);
            gc.drawText(Messages.Reply_loading, x, top, true);
            return;
        }
        gc.setFont(painter.bold);
        gc.setForeground(q.sender().isEmpty() ? painter.grey : RowPainter.senderColour(original(replyTo) == null
                ? "" : original(replyTo).sender()));
        gc.drawText(fit(gc, q.sender(), room), x, top, true);
        gc.setFont(null);
        gc.setForeground(painter.grey);
        gc.drawText(fit(gc, q.line(), room), x, top + painter.line, true);
    }

    /** {@code s} cut with "…" to fit {@code width} pixels. */
    static String fit(GC gc, String s, int width) {
        if (gc.textExtent(s).x <= width) {
            return s;
        }
        int n = s.length();
        while (n > 0 && gc.textExtent(s.substring(0, n) + "…").x > width) {
            n = n > 80 ? n / 2 : n - 1;
        }
        return s.substring(0, n) + "…";
    }

    private Image image(long seq, byte[] bytes) {
        Image image = thumbnails.get(seq);
        if (image == null && !thumbnails.containsKey(seq)) {
            try {
                image = new Image(canvas.getDisplay(), new ImageData(new ByteArrayInputStream(bytes)));
            } catch (SWTException | IllegalArgumentException e) {
                image = null; // not a picture SWT reads: the quote goes without it
            }
            thumbnails.put(seq, image);
        }
        return image;
    }

    /** Originals that could not be fetched are asked for again (after a reconnect, or on F5). */
    void retry() {
        failed.clear();
    }

    void dispose() {
        for (Image i : thumbnails.values()) {
            if (i != null) {
                i.dispose();
            }
        }
        thumbnails.clear();
    }
}
