package org.parley.chat.ui.internal;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.ACC;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleControlAdapter;
import org.eclipse.swt.accessibility.AccessibleControlEvent;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.parley.chat.ui.ChatContext;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.message.Chat;

/**
 * A conversation's history as a virtual, owner-drawn list: one row per sequence number (1 … the newest), of which
 * only the rows in view are measured, painted and fetched (a page of {@value HistoryPages#PAGE} at a time, at most
 * two requests under way, a bounded cache). Following the newest message (at the bottom) is a state of its own:
 * new messages then scroll into view; otherwise a "new messages" button appears.
 *
 * <p>This class holds what the history knows (the cached pages, the newest sequence number, the "New messages"
 * line) and fetches what comes into view; its parts do the rest: {@link HistoryViewport} (which rows are in view,
 * scrolling, the slider), {@link HistoryInput} (selection, mouse, keys, context menu), {@link HistoryPainting}
 * (painting, embedded controls) and {@link HistoryClipboard} (Copy).
 */
public final class HistoryView {

    private static final int MAX_PAGES = 40;
    private static final int MAX_FETCHES = 2;

    private final ChatContext chat;
    private final MessageRenderers renderers;
    private final List<MessageActions.Contribution> messageActions;
    private final Map<String, long[]> marks;
    private final Display display;
    private final Composite root;
    private final Canvas canvas;
    private final RowPainter painter;
    private final GC measureGc;
    private final HistoryPages pages = new HistoryPages(MAX_PAGES);
    private final HistoryClipboard clipboard;
    private final HistoryViewport viewport;
    private final HistoryInput input;
    private final HistoryPainting painting;
    private final ReplyQuotes quotes;
    private final ReactionChips chips;
    private Runnable onTailShown = () -> { };
    /** How a sender is named in a header (display name, with the user name where two members share it). */
    private UnaryOperator<String> names = UnaryOperator.identity();

    private long lastSeq = -1; // -1: not known yet
    /** Where to look for the first unread message (the user's read mark + 1) until it is found; 0: not looking. */
    private long unreadFrom;
    /** A message to show as soon as the first page is in (a search hit the chat was opened at); 0 when none. */
    private long jumpTo;
    /** The message a {@code FetchAround} is under way for ({@link #showMessage}); 0 when none. */
    private long around;
    /** The first unread message when the chat was opened: the "New messages" line is above it; 0: none. */
    private long divider;
    private String loadError;
    /** The newest page, come before the read mark was known ({@link #start}); shown by {@link #openAt}. */
    private Chat.MessagePage firstPage;
    /** Whether the read mark is known ({@link #openAt} was called). */
    private boolean markKnown;
    /** Whether the newest page is being fetched. */
    private boolean fetchingFirst;
    private int newBelow;
    private int fetching;
    private boolean updateScheduled;

    HistoryView(Composite parent, ChatContext chat, MessageRenderers renderers, Map<String, long[]> marks) {
        this.chat = chat;
        this.renderers = renderers;
        this.messageActions = MessageActions.load();
        this.marks = marks;
        display = parent.getDisplay();
        root = new Composite(parent, SWT.BORDER);
        GridLayout grid = new GridLayout(2, false);
        grid.marginWidth = grid.marginHeight = grid.horizontalSpacing = 0;
        root.setLayout(grid);
        canvas = new Canvas(root, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        canvas.setData("org.parley.chat.history", this);
        // What the history shows, as plain text, for tests that must not depend on this plug-in.
        canvas.setData("org.parley.chat.history.text", (java.util.function.Supplier<String>) this::visibleText);
        painter = new RowPainter(canvas);
        quotes = new ReplyQuotes(this, chat, canvas);
        chips = new ReactionChips(painter.line);
        viewport = new HistoryViewport(this, pages, painter, root, canvas);
        clipboard = new HistoryClipboard(chat, canvas, pages, m -> new Row(this, m, renderers.rendererFor(m)));
        measureGc = new GC(canvas);
        canvas.setBackground(painter.background);
        painting = new HistoryPainting(this, viewport, pages, painter, canvas);
        input = new HistoryInput(this, viewport, pages, painter, canvas);
        canvas.addListener(SWT.Resize, e -> update());
        canvas.addListener(SWT.Dispose, e -> dispose());
        accessibility();
    }

    // ------------------------------------------------------------------ what the chat part calls

    public Control control() {
        return root;
    }

    /** The history control itself (focus, keys). */
    public Canvas canvas() {
        return canvas;
    }

    /** This chat's instances of the contributed message actions, in menu order. */
    List<MessageActions.Contribution> messageActions() {
        return messageActions;
    }

    ChatContext chat() {
        return chat;
    }

    /** How senders are named in the headers from now on (repaints). */
    void names(UnaryOperator<String> names) {
        this.names = names;
        canvas.redraw();
    }

    /** A sender's name as the headers show it. */
    String senderName(String user) {
        return names.apply(user);
    }

    /** The name in the header of a message in view (its sender's display name), or null without a header. */
    public String headerName(long seq) {
        for (HistoryViewport.Placed p : viewport.placed()) {
            Row r = pages.row(p.seq());
            if (p.seq() == seq && r != null) {
                return frame(r).header() ? names.apply(r.message.sender()) : null;
            }
        }
        return null;
    }

    /** The quotes above replies. */
    ReplyQuotes quotes() {
        return quotes;
    }

    /** An original fetched for a quote has come (or failed): repaint. */
    void quotesChanged() {
        canvas.redraw();
    }

    /**
     * What the quote above a reply in view says ("Ann Lee: first line", "…" while the original is fetched), or
     * null when the message is not in view or answers none.
     */
    public String quoteText(long seq) {
        Chat.ChatMessage m = visibleSeqs().contains(seq) ? message(seq) : null;
        return m == null || m.replyTo() <= 0 || m.kind() == Chat.Kind.SYSTEM ? null : quotes.text(m.replyTo());
    }

    /** Whether the quote above a reply in view shows the original's thumbnail (a picture or a video). */
    public boolean quoteHasThumbnail(long seq) {
        Chat.ChatMessage m = visibleSeqs().contains(seq) ? message(seq) : null;
        ReplyQuotes.Quote q = m == null || m.replyTo() <= 0 ? null : quotes.quoteOf(m.replyTo());
        return q != null && q.thumbnail() != null;
    }

    /** Where the quote above a reply in view is, in the history control's coordinates; null when none. */
    public Rectangle quoteBounds(long seq) {
        for (HistoryViewport.Placed p : viewport.placed()) {
            Row r = pages.row(p.seq());
            if (p.seq() == seq && r != null) {
                return quoteBounds(p, r);
            }
        }
        return null;
    }

    Rectangle quoteBounds(HistoryViewport.Placed p, Row r) {
        return painter.quoteBounds(frame(r), p.y(), canvas.getClientArea().width);
    }

    /** Called whenever the newest message is in view (the chat part marks it read). */
    void onTailShown(Runnable r) {
        onTailShown = r;
    }

    /**
     * Opens the history at the first unread message after {@code readUpTo} (the user's read mark), with the "New
     * messages" line above it; the user's own messages and SYSTEM lines after the mark are not unread. Only the
     * newest page and the pages around that message are loaded. A negative mark opens at the newest message.
     */
    void openAt(long readUpTo) {
        unreadFrom = readUpTo < 0 ? 0 : readUpTo + 1;
        markKnown = true;
        if (firstPage != null) {
            showFirstPage();
        } else if (!fetchingFirst && lastSeq < 0) {
            start();
        }
    }

    /**
     * Shows message {@code seq} selected (a search hit), with its neighbours fetched around it in one request
     * ({@code FetchAround}): a chat can open in the middle of a long history without loading what lies between.
     */
    public void showMessage(long seq) {
        if (lastSeq < 0) {
            jumpTo = seq; // once the first page is in (start() has not answered yet)
            return;
        }
        jumpTo = 0;
        // the view goes there at once (placeholders until the answer), and fetches nothing meanwhile: the pages
        // where it was (the newest ones, when the chat has just opened) are not what the user will see
        around = seq;
        viewport.startAt(Math.max(1, seq - 2));
        scheduleUpdate();
        chat.client().fetchAround(chat.conversationId(), seq, HistoryPages.PAGE / 2, HistoryPages.PAGE / 2)
                .whenComplete((page, e) -> display.asyncExec(() -> {
                    if (canvas.isDisposed()) {
                        return;
                    }
                    if (around == seq) {
                        around = 0;
                    }
                    if (page != null) {
                        for (Chat.ChatMessage m : page.messages()) {
                            lastSeq = Math.max(lastSeq, m.seq());
                            store(m);
                        }
                    }
                    divider = 0;
                    unreadFrom = 0;
                    // a little above the hit (as at the first unread message), the hit selected
                    input.select(seq, seq);
                    viewport.startAt(Math.max(1, seq - 2));
                    update();
                    canvas.redraw();
                }));
    }

    /** The "New messages" line goes (the user sent a message). */
    void clearDivider() {
        if (divider != 0 || unreadFrom != 0) {
            divider = 0;
            unreadFrom = 0;
            scheduleUpdate();
        }
    }

    /** The first unread message when the chat was opened (the "New messages" line is above it); 0 when none. */
    public long unreadDivider() {
        return divider;
    }

    /**
     * Loads the newest page; later pages load as they come into view. The chat part starts this at once, while it
     * asks for the read mark, so that the two requests are under way together; the page shows once both have
     * answered ({@link #openAt}), so that a chat with unread messages does not flash its newest page first.
     */
    void start() {
        loadError = null;
        fetchingFirst = true;
        chat.client().fetchBefore(chat.conversationId(), 0, HistoryPages.PAGE).whenComplete((page, e) ->
                display.asyncExec(() -> {
                    if (canvas.isDisposed()) {
                        return;
                    }
                    fetchingFirst = false;
                    if (e != null) {
                        loadError = reason(e);
                        canvas.redraw();
                        return;
                    }
                    firstPage = page;
                    if (markKnown) {
                        showFirstPage();
                    }
                }));
    }

    /** The newest page is in and the read mark known: shows the page, at the first unread message if any. */
    private void showFirstPage() {
        Chat.MessagePage page = firstPage;
        firstPage = null;
        long newest = page.messages().isEmpty() ? 0 : page.messages().get(page.messages().size() - 1).seq();
        lastSeq = Math.max(lastSeq, newest);
        fill(page, page.messages().isEmpty() ? 1 : page.messages().get(0).seq(), newest);
        if (unreadFrom > lastSeq) {
            unreadFrom = 0; // nothing unread
        }
        resolveDivider();
        if (jumpTo != 0) {
            showMessage(jumpTo);
        } else if (divider != 0 || unreadFrom != 0) {
            // start a little above the first unread message (the pages around it load as they show)
            viewport.startAt(Math.max(1, (divider != 0 ? divider : unreadFrom) - 2));
            scheduleUpdate();
        }
    }

    /** A new message (pushed, sent by this user, or caught up after a reconnect). */
    void add(Chat.ChatMessage m) {
        if (m.seq() > lastSeq) {
            if (lastSeq >= 0 && !viewport.isFollowingTail() && !m.isChange()) {
                newBelow += (int) Math.min(Integer.MAX_VALUE, m.seq() - Math.max(lastSeq, 0));
            }
            lastSeq = m.seq();
        }
        store(m);
        scheduleUpdate();
    }

    /**
     * The reactions to message {@code seq} are now {@code reactions} (pushed, this user's own, or caught up after a
     * reconnect); a message not in the cache brings its reactions along when it is fetched.
     */
    void reactionsChanged(long seq, List<org.parley.protocol.message.Reactions.Reaction> reactions) {
        Row r = pages.row(seq);
        if (r == null) {
            return;
        }
        r.message = r.message.withReactions(reactions);
        scheduleUpdate();
        canvas.redraw();
    }

    ReactionChips chips() {
        return chips;
    }

    /** The height of a row's reaction chips at the view's width (0 without reactions). */
    int chipsHeight(Row r) {
        return chips.height(measureGc, r.message.reactions(), painter.bodyWidth(canvas.getClientArea().width));
    }

    /** The reaction summary of a cached message (for tests); empty when it has none or is not loaded. */
    public List<org.parley.protocol.message.Reactions.Reaction> reactions(long seq) {
        Row r = pages.row(seq);
        return r == null ? List.of() : r.message.reactions();
    }

    /** Where the chip of {@code emoji} under message {@code seq} is in the canvas (for tests), or null. */
    public Rectangle chipBounds(long seq, String emoji) {
        for (HistoryViewport.Placed p : viewport.placed()) {
            Row r = pages.row(p.seq());
            if (p.seq() == seq && r != null) {
                for (ReactionChips.Chip c : chips.layout(measureGc, r.message.reactions(), chips.area(body(p, r)))) {
                    if (c.reaction().emoji().equals(emoji)) {
                        // null until the row is laid out with its chips (the layout follows a change a moment later)
                        return c.bounds().y + c.bounds().height <= p.y() + p.height() ? c.bounds() : null;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Keeps a message met in a page or a push: a message as a row; an entry that edits or deletes another one
     * (docs/protocol.md, "Editing and deleting messages") as a slot never shown, applied to the row it names if
     * that is loaded (otherwise the row shows the change when it is fetched).
     */
    private void store(Chat.ChatMessage m) {
        if (!m.isChange()) {
            pages.put(new Row(this, m, renderers.rendererFor(m)));
            return;
        }
        pages.markMissing(m.seq());
        quotes.forget(m.targetSeq());
        Row target = pages.row(m.targetSeq());
        if (target == null || target.message.deleted()) {
            return; // not loaded (fetched as it is now), or deleted: an edit of it changes nothing
        }
        Chat.ChatMessage changed = m.kind() == Chat.Kind.DELETE ? target.message.tombstone()
                : target.message.edited(m.text(), Math.max(m.timestamp(), target.message.editedAt()));
        if (changed.equals(target.message)) {
            return;
        }
        Row old = pages.replace(new Row(this, changed, renderers.rendererFor(changed)));
        if (old != null) {
            old.renderer.forget(old.message);
            painting.forget(old);
        }
    }

    /** An edit or deletion heard from the client (pushed, caught up, or this user's own, once stored). */
    void change(Chat.ChatMessage entry) {
        add(entry);
    }

    /**
     * The user's newest message that can still be edited (a text message of theirs, not deleted) among the newest
     * loaded rows, or null: Up in an empty entry field edits it.
     */
    Chat.ChatMessage lastOwnText(String user) {
        for (long s = lastSeq; s >= 1 && s > lastSeq - HistoryPages.PAGE; s--) {
            Row r = pages.row(s);
            if (r != null && r.message.sender().equals(user) && r.message.kind() == Chat.Kind.TEXT
                    && !r.message.deleted()) {
                return r.message;
            }
        }
        return null;
    }

    /** The members' marks changed: repaint the states. */
    void marksChanged() {
        canvas.redraw();
    }

    /** Tries again what failed: the first page, or pages (after a reconnect, or on F5). */
    void retry() {
        quotes.retry();
        if (lastSeq < 0) {
            start();
            return;
        }
        for (HistoryPages.Page p : pages.failed()) {
            p.error = null;
        }
        scheduleUpdate();
    }

    public void scrollToTop() {
        viewport.scrollToTop();
    }

    public void scrollToEnd() {
        viewport.scrollToEnd();
    }

    // ------------------------------------------------------------------ for tests and accessibility

    public long lastSeq() {
        return lastSeq;
    }

    public boolean isFollowingTail() {
        return viewport.isFollowingTail();
    }

    public int newBelow() {
        return newBelow;
    }

    /** Messages held in memory. */
    public int cachedMessages() {
        return pages.rowCount();
    }

    public boolean isLoaded(long seq) {
        return pages.row(seq) != null;
    }

    /** The sequence numbers of the rows in view, top to bottom. */
    public List<Long> visibleSeqs() {
        return viewport.placed().stream().map(HistoryViewport.Placed::seq).toList();
    }

    /**
     * The id of the renderer that shows a message in view (its declaration's id; "org.parley.chat.ui.text" for
     * Parley's own rendering, also when a contributed renderer failed), or null when the row is not in view.
     */
    public String rendererOf(long seq) {
        Row r = pages.row(seq);
        return r == null || !visibleSeqs().contains(seq) ? null : r.renderer.shownBy();
    }

    /** A loaded message, or null. */
    public Chat.ChatMessage message(long seq) {
        Row r = pages.row(seq);
        return r == null ? null : r.message;
    }

    /**
     * Whether a message in view is shown by the renderer with the id {@code rendererId} and its text satisfies
     * {@code text} (what tests ask instead of watching the painting).
     */
    public boolean shows(String rendererId, java.util.function.Predicate<String> text) {
        return visibleSeqs().stream().anyMatch(s -> rendererId.equals(rendererOf(s)) && text.test(message(s)
                .text()));
    }

    /**
     * What Parley's own renderer shows for a message in view: its text without the Markdown marks and the styled
     * spans (bold, code, links, mentions, ...); null when the message is not in view or another renderer shows it.
     */
    public Markdown.Formatted formatted(long seq) {
        return "org.parley.chat.ui.text".equals(rendererOf(seq)) ? renderers.textRenderer().formatted(message(seq))
                : null;
    }

    /** Where a span of {@link #formatted} is in the history control's coordinates, or null when not in view. */
    public Rectangle spanBounds(long seq, Markdown.Span span) {
        Rectangle body = bodyBounds(seq);
        if (body == null || formatted(seq) == null) {
            return null;
        }
        measureGc.setFont(canvas.getFont());
        Rectangle r = renderers.textRenderer().spanBounds(pages.row(seq), span, body.width, measureGc);
        return r == null ? null : new Rectangle(body.x + r.x, body.y + r.y, r.width, r.height);
    }

    /** Whether a message in view is highlighted as mentioning the signed-in user. */
    public boolean highlightedAsMention(long seq) {
        return "org.parley.chat.ui.text".equals(rendererOf(seq)) && renderers.textRenderer().mentionsMe(message(seq));
    }

    /** The rows in view as text ("sender: text", own messages with their state), one line each. */
    public String visibleText() {
        StringBuilder s = new StringBuilder();
        for (HistoryViewport.Placed p : viewport.placed()) {
            Row r = pages.row(p.seq());
            if (p.seq() == divider) {
                s.append("── ").append(Messages.HistoryView_newMessages).append(" ──\n");
            }
            s.append(r == null ? "…" : rowText(r)).append('\n');
        }
        return s.toString();
    }

    /** A loaded message's text as its renderer gives it for Copy (what Ctrl+C copies), or null. */
    public String copyText(long seq) {
        Row r = pages.row(seq);
        return r == null ? null : r.renderer.text(r);
    }

    String rowText(Row r) {
        String text = r.message.kind() == Chat.Kind.SYSTEM ? r.renderer.text(r)
                : r.message.sender() + ": " + r.renderer.text(r);
        if (r.message.editedAt() > 0 && !r.message.deleted()) {
            text += " " + Messages.History_edited;
        }
        boolean stated = r.isOwn() && r.message.kind() != Chat.Kind.SYSTEM && !r.message.deleted();
        return stated ? text + " " + RowPainter.state(r.message.seq(), marks) : text;
    }

    /** Where the body of a message in view is, in the history control's coordinates; null when not in view. */
    public Rectangle bodyBounds(long seq) {
        for (HistoryViewport.Placed p : viewport.placed()) {
            Row r = pages.row(p.seq());
            if (p.seq() == seq && r != null) {
                return body(p, r);
            }
        }
        return null;
    }

    public long[] selection() {
        return input.selection();
    }

    boolean isSelected(long seq) {
        return input.isSelected(seq);
    }

    public void select(long from, long to) {
        input.select(from, to);
    }

    // ------------------------------------------------------------------ for the history's parts

    Map<String, long[]> marks() {
        return marks;
    }

    String loadError() {
        return loadError;
    }

    HistoryInput input() {
        return input;
    }

    boolean onNewBelowButton(int x, int y) {
        return painting.onNewBelowButton(x, y);
    }

    /** A row's body height for the view's width (measured by its renderer, cached per width). */
    int measure(Row r) {
        int width = painter.bodyWidth(canvas.getClientArea().width);
        if (r.measuredWidth != width || r.measuredBroken != r.renderer.broken) {
            measureGc.setFont(canvas.getFont());
            r.bodyHeight = r.renderer.measure(r, width, measureGc);
            r.measuredWidth = width;
            r.measuredBroken = r.renderer.broken;
        }
        return r.bodyHeight;
    }

    RowPainter.Frame frame(Row r) {
        long s = r.message.seq() - 1;
        while (s >= 1 && pages.isMissing(s)) {
            s--;
        }
        Row previous = s >= 1 ? pages.row(s) : null;
        return RowPainter.frame(r.message, previous == null ? null : previous.message,
                r.message.seq() == divider);
    }

    Rectangle body(HistoryViewport.Placed p, Row r) {
        int top = p.y() + painter.bodyTop(frame(r));
        return new Rectangle(painter.bodyLeft(), top, painter.bodyWidth(canvas.getClientArea().width),
                r.bodyHeight);
    }

    private void scheduleUpdate() {
        if (!updateScheduled) { // a burst of messages (catching up) costs one layout
            updateScheduled = true;
            display.asyncExec(() -> {
                updateScheduled = false;
                if (!canvas.isDisposed()) {
                    update();
                }
            });
        }
    }

    /** Lays the visible rows out, moves the slider and embedded controls, fetches what is missing, repaints. */
    void update() {
        if (canvas.isDisposed()) {
            return;
        }
        resolveDivider();
        viewport.layout();
        painting.placeControls();
        fetchVisible();
        canvas.redraw();
        if (viewport.tailShown()) {
            newBelow = 0;
            onTailShown.run();
        }
    }

    /**
     * Finds the first unread message from {@link #unreadFrom} among what is loaded: the first message that is
     * neither the user's own nor a SYSTEM line. Stops at a row not loaded yet (asked again after the next fetch).
     */
    private void resolveDivider() {
        if (unreadFrom <= 0 || lastSeq < 0) {
            return;
        }
        for (long s = unreadFrom; s <= lastSeq; s++) {
            Row r = pages.row(s);
            if (r == null) {
                if (pages.isMissing(s)) {
                    continue;
                }
                unreadFrom = s; // not loaded yet
                return;
            }
            if (!r.isOwn() && r.message.kind() != Chat.Kind.SYSTEM) {
                divider = s;
                break;
            }
        }
        unreadFrom = 0;
    }

    // ------------------------------------------------------------------ fetching

    private void fetchVisible() {
        List<HistoryViewport.Placed> placed = viewport.placed();
        if (lastSeq <= 0 || placed.isEmpty() || around != 0) {
            return;
        }
        Set<Long> wanted = new LinkedHashSet<>();
        for (HistoryViewport.Placed p : placed) {
            if (!pages.isKnown(p.seq())) {
                wanted.add(HistoryPages.pageOf(p.seq()));
            }
        }
        // one page ahead in each direction, so that scrolling rarely shows placeholders
        wanted.add(HistoryPages.pageOf(Math.max(1, placed.get(0).seq() - HistoryPages.PAGE / 2)));
        wanted.add(HistoryPages.pageOf(Math.min(lastSeq, placed.get(placed.size() - 1).seq()
                + HistoryPages.PAGE / 2)));
        for (long no : wanted) {
            if (fetching >= MAX_FETCHES) {
                return; // the next update asks again for whatever is then in view
            }
            if (pages.needsFetch(no, lastSeq)) {
                fetch(no);
            }
        }
    }

    private void fetch(long no) {
        HistoryPages.Page p = pages.page(no);
        p.loading = true;
        p.error = null;
        fetching++;
        long last = p.last();
        chat.client().fetchBefore(chat.conversationId(), last + 1, HistoryPages.PAGE).whenComplete((page, e) ->
                display.asyncExec(() -> {
                    fetching--;
                    p.loading = false;
                    if (canvas.isDisposed()) {
                        return;
                    }
                    if (e != null) {
                        p.error = reason(e);
                        display.timerExec(5000, () -> { // try again by itself while it is in view
                            if (!canvas.isDisposed() && p.error != null) {
                                p.error = null;
                                update();
                            }
                        });
                        scheduleUpdate();
                        return;
                    }
                    fill(page, p.first(), Math.min(last, lastSeq));
                }));
    }

    /** Stores a page; sequence numbers in [from, to] that the page shows do not exist are marked missing. */
    private void fill(Chat.MessagePage page, long from, long to) {
        for (Chat.ChatMessage m : page.messages()) {
            lastSeq = Math.max(lastSeq, m.seq());
            store(m);
        }
        long covered = !page.more() ? 1 : page.messages().isEmpty() ? to + 1 : page.messages().get(0).seq();
        for (long s = Math.max(from, covered); s <= to; s++) {
            if (!pages.isKnown(s)) {
                pages.markMissing(s);
            }
        }
        Set<Long> keep = new HashSet<>();
        for (HistoryViewport.Placed pl : viewport.placed()) {
            keep.add(HistoryPages.pageOf(pl.seq()));
        }
        keep.add(HistoryPages.pageOf(Math.max(1, lastSeq)));
        pages.trim(keep, r -> {
            r.renderer.forget(r.message);
            painting.forget(r);
        });
        scheduleUpdate();
    }

    private static String reason(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof ParleyClientException p ? p.getMessage() : String.valueOf(t.getMessage());
    }

    /** Measures and repaints one row again (a renderer's content changed). */
    void refreshLater(Row r) {
        if (display.isDisposed()) {
            return; // a renderer's late callback after the window closed
        }
        display.asyncExec(() -> {
            if (!canvas.isDisposed() && pages.row(r.message.seq()) == r) {
                r.invalidate();
                update();
            }
        });
    }

    // ------------------------------------------------------------------ copy

    /**
     * Copies the selection ({@link HistoryClipboard}): one message as its text, several as a transcript.
     */
    public void copy() {
        long[] range = selection();
        if (range.length == 0 || lastSeq <= 0) {
            return;
        }
        clipboard.copy(range[0], range[1]);
    }

    // ------------------------------------------------------------------ accessibility and disposal

    private void accessibility() {
        canvas.getAccessible().addAccessibleListener(new AccessibleAdapter() {
            @Override
            public void getName(AccessibleEvent e) {
                long focus = input.focus();
                Row r = focus == 0 ? null : pages.row(focus);
                e.result = r == null ? "Chat history" : RowPainter.fullTime(r.message) + ", " + rowText(r)
                        + (r.message.replyTo() > 0 && r.message.kind() != Chat.Kind.SYSTEM
                                ? ", replying to " + quotes.text(r.message.replyTo()) : "");
            }
        });
        canvas.getAccessible().addAccessibleControlListener(new AccessibleControlAdapter() {
            @Override
            public void getRole(AccessibleControlEvent e) {
                e.detail = ACC.ROLE_LIST;
            }
        });
    }

    private void dispose() {
        for (Row r : pages.rows()) {
            r.renderer.forget(r.message);
        }
        renderers.dispose();
        quotes.dispose();
        measureGc.dispose();
        painter.dispose();
    }
}
