package org.parley.chat.ui.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.ACC;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleControlAdapter;
import org.eclipse.swt.accessibility.AccessibleControlEvent;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Slider;
import org.parley.chat.ui.ChatContext;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.message.Chat;
import org.parley.ui.Icons;

/**
 * A conversation's history as a virtual, owner-drawn list: one row per sequence number (1 … the newest), of which
 * only the rows in view are measured, painted and fetched (a page of {@value HistoryPages#PAGE} at a time, at most
 * two requests under way, a bounded cache). The scroll position is a row and a pixel offset into it, so rows of
 * any height scroll smoothly and rows loading above the view do not move it; the slider spans the whole history,
 * so a 100,000-message chat can be dragged to any point. Following the newest message (at the bottom) is a state
 * of its own: new messages then scroll into view; otherwise a "new messages" button appears.
 *
 * <p>Keyboard: Up/Down (with Shift to extend the selection), Page Up/Down, Home/End, Ctrl+A, Ctrl+C (Copy),
 * Enter (the renderer's action, such as opening a link), F5 (retry what failed), the context menu key.
 */
public final class HistoryView {

    private static final int MAX_PAGES = 40;
    private static final int MAX_FETCHES = 2;

    private record Placed(long seq, int y, int height) {
    }

    private final ChatContext chat;
    private final MessageRenderers renderers;
    private final Map<String, long[]> marks;
    private final Display display;
    private final Composite root;
    private final Canvas canvas;
    private final Slider slider;
    private final RowPainter painter;
    private final GC measureGc;
    private final HistoryPages pages = new HistoryPages(MAX_PAGES);
    private final HistoryClipboard clipboard;
    private final List<Placed> placed = new ArrayList<>();
    private Set<Row> withControls = new HashSet<>();
    private Runnable onTailShown = () -> { };
    /** How a sender is named in a header (display name, with the user name where two members share it). */
    private java.util.function.UnaryOperator<String> names = java.util.function.UnaryOperator.identity();

    private long lastSeq = -1; // -1: not known yet
    /** Where to look for the first unread message (the user's read mark + 1) until it is found; 0: not looking. */
    private long unreadFrom;
    /** A message to show as soon as the first page is in (a search hit the chat was opened at); 0 when none. */
    private long jumpTo;
    /** The first unread message when the chat was opened: the "New messages" line is above it; 0: none. */
    private long divider;
    private String loadError;
    private long topSeq = 1;
    private int topOffset;
    private boolean followTail = true;
    private long anchor;
    private long focus;
    private int newBelow;
    private Rectangle newBelowButton;
    private int fetching;
    private boolean updateScheduled;
    private String toolTip;

    HistoryView(Composite parent, ChatContext chat, MessageRenderers renderers, Map<String, long[]> marks) {
        this.chat = chat;
        this.renderers = renderers;
        this.marks = marks;
        display = parent.getDisplay();
        root = new Composite(parent, SWT.BORDER);
        GridLayout grid = new GridLayout(2, false);
        grid.marginWidth = grid.marginHeight = grid.horizontalSpacing = 0;
        root.setLayout(grid);
        canvas = new Canvas(root, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        canvas.setLayoutData(new org.eclipse.swt.layout.GridData(SWT.FILL, SWT.FILL, true, true));
        canvas.setData("org.parley.chat.history", this);
        // What the history shows, as plain text, for tests that must not depend on this plug-in.
        canvas.setData("org.parley.chat.history.text", (java.util.function.Supplier<String>) this::visibleText);
        slider = new Slider(root, SWT.VERTICAL);
        org.eclipse.swt.layout.GridData sliderData = new org.eclipse.swt.layout.GridData(SWT.FILL, SWT.FILL, false,
                true);
        sliderData.exclude = true;
        slider.setLayoutData(sliderData);
        slider.setVisible(false);
        painter = new RowPainter(canvas);
        clipboard = new HistoryClipboard(chat, canvas, pages, m -> new Row(this, m, renderers.rendererFor(m)));
        measureGc = new GC(canvas);
        canvas.setBackground(painter.background);

        canvas.addListener(SWT.Paint, e -> paint(e.gc));
        canvas.addListener(SWT.Resize, e -> update());
        canvas.addListener(SWT.MouseVerticalWheel, e -> {
            e.doit = false;
            scrollBy(-e.count * painter.line);
        });
        canvas.addListener(SWT.MouseDown, this::mouseDown);
        canvas.addListener(SWT.MouseDoubleClick, this::doubleClick);
        canvas.addListener(SWT.MouseMove, this::mouseMove);
        canvas.addListener(SWT.KeyDown, this::keyDown);
        canvas.addListener(SWT.Traverse, e -> {
            switch (e.detail) {
                case SWT.TRAVERSE_TAB_NEXT, SWT.TRAVERSE_TAB_PREVIOUS, SWT.TRAVERSE_PAGE_NEXT,
                        SWT.TRAVERSE_PAGE_PREVIOUS, SWT.TRAVERSE_ESCAPE, SWT.TRAVERSE_MNEMONIC -> e.doit = true;
                default -> e.doit = false; // arrows and Enter are the list's own keys
            }
        });
        canvas.addListener(SWT.FocusIn, e -> canvas.redraw());
        canvas.addListener(SWT.FocusOut, e -> canvas.redraw());
        slider.addListener(SWT.Selection, e -> sliderMoved(e.detail));
        canvas.addListener(SWT.Dispose, e -> dispose());
        canvas.setMenu(contextMenu());
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

    ChatContext chat() {
        return chat;
    }

    /** How senders are named in the headers from now on (repaints). */
    void names(java.util.function.UnaryOperator<String> names) {
        this.names = names;
        canvas.redraw();
    }

    /** The name in the header of a message in view (its sender's display name), or null without a header. */
    public String headerName(long seq) {
        for (Placed p : placed) {
            Row r = pages.row(p.seq);
            if (p.seq == seq && r != null) {
                return frame(r).header() ? names.apply(r.message.sender()) : null;
            }
        }
        return null;
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
        start();
    }

    /**
     * Shows message {@code seq} selected (a search hit), with its neighbours fetched around it in one request
     * ({@code FetchAround}): a chat can open in the middle of a long history without loading what lies between.
     */
    void showMessage(long seq) {
        if (lastSeq < 0) {
            jumpTo = seq; // once the first page is in (start() has not answered yet)
            return;
        }
        jumpTo = 0;
        chat.client().fetchAround(chat.conversationId(), seq, HistoryPages.PAGE / 2, HistoryPages.PAGE / 2)
                .whenComplete((page, e) -> display.asyncExec(() -> {
                    if (canvas.isDisposed()) {
                        return;
                    }
                    if (page != null) {
                        for (Chat.ChatMessage m : page.messages()) {
                            lastSeq = Math.max(lastSeq, m.seq());
                            pages.put(new Row(this, m, renderers.rendererFor(m)));
                        }
                    }
                    divider = 0;
                    unreadFrom = 0;
                    followTail = seq >= lastSeq;
                    anchor = seq;
                    focus = seq;
                    topSeq = Math.max(1, seq - 2);
                    topOffset = 0;
                    selectionChanged();
                    update();
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

    /** Loads the newest page; later pages load as they come into view. */
    void start() {
        loadError = null;
        chat.client().fetchBefore(chat.conversationId(), 0, HistoryPages.PAGE).whenComplete((page, e) ->
                display.asyncExec(() -> {
                    if (canvas.isDisposed()) {
                        return;
                    }
                    if (e != null) {
                        loadError = reason(e);
                        canvas.redraw();
                        return;
                    }
                    long newest = page.messages().isEmpty() ? 0 : page.messages().get(page.messages().size() - 1)
                            .seq();
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
                        followTail = false;
                        topSeq = Math.max(1, (divider != 0 ? divider : unreadFrom) - 2);
                        topOffset = 0;
                        scheduleUpdate();
                    }
                }));
    }

    /** A new message (pushed, sent by this user, or caught up after a reconnect). */
    void add(Chat.ChatMessage m) {
        if (m.seq() > lastSeq) {
            if (lastSeq >= 0 && !followTail) {
                newBelow += (int) Math.min(Integer.MAX_VALUE, m.seq() - Math.max(lastSeq, 0));
            }
            lastSeq = m.seq();
        }
        pages.put(new Row(this, m, renderers.rendererFor(m)));
        scheduleUpdate();
    }

    /** The members' marks changed: repaint the states. */
    void marksChanged() {
        canvas.redraw();
    }

    /** Tries again what failed: the first page, or pages (after a reconnect, or on F5). */
    void retry() {
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
        followTail = false;
        topSeq = 1;
        topOffset = 0;
        update();
    }

    public void scrollToEnd() {
        followTail = true;
        update();
    }

    // ------------------------------------------------------------------ for tests and accessibility

    public long lastSeq() {
        return lastSeq;
    }

    public boolean isFollowingTail() {
        return followTail;
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
        return placed.stream().map(Placed::seq).toList();
    }

    /** The rows in view as text ("sender: text", own messages with their state), one line each. */
    public String visibleText() {
        StringBuilder s = new StringBuilder();
        for (Placed p : placed) {
            Row r = pages.row(p.seq);
            if (p.seq == divider) {
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
        return r.isOwn() && r.message.kind() != Chat.Kind.SYSTEM ? text + " " + RowPainter.state(r.message.seq(),
                marks) : text;
    }

    /** Where the body of a message in view is, in the history control's coordinates; null when not in view. */
    public Rectangle bodyBounds(long seq) {
        for (Placed p : placed) {
            Row r = pages.row(p.seq);
            if (p.seq == seq && r != null) {
                return body(p, r);
            }
        }
        return null;
    }

    public long[] selection() {
        return anchor == 0 ? new long[0] : new long[] {Math.min(anchor, focus), Math.max(anchor, focus)};
    }

    boolean isSelected(long seq) {
        return anchor != 0 && seq >= Math.min(anchor, focus) && seq <= Math.max(anchor, focus);
    }

    public void select(long from, long to) {
        anchor = from;
        focus = to;
        reveal(to);
    }

    // ------------------------------------------------------------------ layout and scrolling

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
    private void update() {
        if (canvas.isDisposed()) {
            return;
        }
        layoutRows();
        updateSlider();
        placeControls();
        fetchVisible();
        canvas.redraw();
        if (!placed.isEmpty() && placed.get(placed.size() - 1).seq == lastSeq
                && placed.get(placed.size() - 1).y + placed.get(placed.size() - 1).height
                        <= canvas.getClientArea().height) {
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

    private void layoutRows() {
        resolveDivider();
        placed.clear();
        if (lastSeq <= 0) {
            return;
        }
        int viewport = canvas.getClientArea().height;
        if (!followTail) {
            topSeq = Math.max(1, Math.min(topSeq, lastSeq));
            int y = -topOffset;
            long s = topSeq;
            while (s <= lastSeq && y < viewport) {
                int h = height(s);
                if (h > 0) {
                    placed.add(new Placed(s, y, h));
                }
                y += h;
                s++;
            }
            if (y >= viewport) {
                return;
            }
            followTail = true; // the end is in view: stay with it
            placed.clear();
        }
        int y = viewport;
        for (long s = lastSeq; s >= 1 && y > 0; s--) {
            int h = height(s);
            y -= h;
            if (h > 0) {
                placed.add(0, new Placed(s, y, h));
            }
        }
        if (!placed.isEmpty()) {
            topSeq = placed.get(0).seq;
            topOffset = Math.max(0, -placed.get(0).y);
        }
    }

    /** A row's height: measured when loaded (cached per width), a placeholder's otherwise, 0 when missing. */
    private int height(long seq) {
        Row r = pages.row(seq);
        if (r == null) {
            return pages.isMissing(seq) ? 0 : painter.placeholderHeight();
        }
        int width = painter.bodyWidth(canvas.getClientArea().width);
        if (r.measuredWidth != width || r.measuredBroken != r.renderer.broken) {
            measureGc.setFont(canvas.getFont());
            r.bodyHeight = r.renderer.measure(r, width, measureGc);
            r.measuredWidth = width;
            r.measuredBroken = r.renderer.broken;
        }
        return painter.height(frame(r), r.bodyHeight);
    }

    private RowPainter.Frame frame(Row r) {
        long s = r.message.seq() - 1;
        while (s >= 1 && pages.isMissing(s)) {
            s--;
        }
        Row previous = s >= 1 ? pages.row(s) : null;
        return RowPainter.frame(r.message, previous == null ? null : previous.message,
                r.message.seq() == divider);
    }

    private void scrollBy(int dy) {
        if (placed.isEmpty() || dy == 0) {
            return;
        }
        if (followTail) {
            if (dy > 0 || placed.get(0).y >= 0 && placed.get(0).seq == firstPresent()) {
                return; // already at the end, or everything fits
            }
            topSeq = placed.get(0).seq;
            topOffset = -placed.get(0).y;
        }
        followTail = false;
        topOffset += dy;
        while (topOffset < 0) {
            if (topSeq <= 1) {
                topOffset = 0;
                break;
            }
            topSeq--;
            topOffset += height(topSeq);
        }
        while (topSeq < lastSeq && topOffset >= height(topSeq)) {
            topOffset -= height(topSeq);
            topSeq++;
        }
        update();
    }

    private long firstPresent() {
        long s = 1;
        while (s < lastSeq && pages.isMissing(s)) {
            s++;
        }
        return s;
    }

    private void sliderMoved(int detail) {
        int viewport = canvas.getClientArea().height;
        switch (detail) {
            case SWT.ARROW_UP -> scrollBy(-painter.line * 3);
            case SWT.ARROW_DOWN -> scrollBy(painter.line * 3);
            case SWT.PAGE_UP -> scrollBy(-(viewport - painter.line));
            case SWT.PAGE_DOWN -> scrollBy(viewport - painter.line);
            default -> {
                int sel = slider.getSelection();
                if (sel + slider.getThumb() >= slider.getMaximum()) {
                    scrollToEnd();
                } else {
                    followTail = false;
                    topSeq = sel + 1L;
                    topOffset = 0;
                    update();
                }
            }
        }
    }

    private void updateSlider() {
        if (lastSeq <= 0 || placed.isEmpty()) {
            showSlider(false);
            return;
        }
        int max = (int) Math.min(Integer.MAX_VALUE - 1, lastSeq);
        int visible = Math.max(1, Math.min(max, placed.size()));
        boolean all = placed.get(0).y >= 0 && placed.get(0).seq == firstPresent() && followTail;
        int selection = followTail ? max - visible : (int) Math.min(max - visible, topSeq - 1);
        slider.setValues(Math.max(0, selection), 0, max, visible, 1, Math.max(1, visible - 1));
        showSlider(!all);
    }

    /** The slider shows only when there is something to scroll to. */
    private void showSlider(boolean show) {
        if (slider.getVisible() != show) {
            slider.setVisible(show);
            ((org.eclipse.swt.layout.GridData) slider.getLayoutData()).exclude = !show;
            root.layout(true);
        }
    }

    /** Scrolls the least needed to show the row whole. */
    private void reveal(long seq) {
        int viewport = canvas.getClientArea().height;
        for (Placed p : placed) {
            if (p.seq == seq && p.y >= 0 && p.y + p.height <= viewport) {
                update();
                return;
            }
        }
        if (seq >= lastSeq) {
            scrollToEnd();
            return;
        }
        followTail = false;
        if (placed.isEmpty() || seq <= placed.get(0).seq) {
            topSeq = seq;
            topOffset = 0;
        } else { // below: align its bottom with the bottom of the view
            int y = viewport;
            long s = seq;
            topSeq = 1;
            topOffset = 0;
            while (s >= 1) {
                int h = height(s);
                if (y - h <= 0) {
                    topSeq = s;
                    topOffset = h - y;
                    break;
                }
                y -= h;
                s--;
            }
        }
        update();
    }

    // ------------------------------------------------------------------ fetching

    private void fetchVisible() {
        if (lastSeq <= 0 || placed.isEmpty()) {
            return;
        }
        Set<Long> wanted = new LinkedHashSet<>();
        for (Placed p : placed) {
            if (!pages.isKnown(p.seq)) {
                wanted.add(HistoryPages.pageOf(p.seq));
            }
        }
        // one page ahead in each direction, so that scrolling rarely shows placeholders
        wanted.add(HistoryPages.pageOf(Math.max(1, placed.get(0).seq - HistoryPages.PAGE / 2)));
        wanted.add(HistoryPages.pageOf(Math.min(lastSeq, placed.get(placed.size() - 1).seq + HistoryPages.PAGE / 2)));
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
            pages.put(new Row(this, m, renderers.rendererFor(m)));
        }
        long covered = !page.more() ? 1 : page.messages().isEmpty() ? to + 1 : page.messages().get(0).seq();
        for (long s = Math.max(from, covered); s <= to; s++) {
            if (!pages.isKnown(s)) {
                pages.markMissing(s);
            }
        }
        Set<Long> keep = new HashSet<>();
        for (Placed pl : placed) {
            keep.add(HistoryPages.pageOf(pl.seq));
        }
        keep.add(HistoryPages.pageOf(Math.max(1, lastSeq)));
        pages.trim(keep, r -> {
            r.renderer.forget(r.message);
            r.disposeControl();
            withControls.remove(r);
        });
        scheduleUpdate();
    }

    private static String reason(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof ParleyClientException p ? p.getMessage() : String.valueOf(t.getMessage());
    }

    // ------------------------------------------------------------------ painting and controls

    private Rectangle body(Placed p, Row r) {
        int top = p.y + painter.bodyTop(frame(r));
        return new Rectangle(painter.bodyLeft(), top, painter.bodyWidth(canvas.getClientArea().width), r.bodyHeight);
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(painter.background);
        gc.fillRectangle(area);
        if (lastSeq < 0) {
            painter.paintCentered(gc, area.width, area.height, loadError == null ? "Loading history…"
                    : "Could not load the history (" + loadError + "). Click or press F5 to try again.");
            return;
        }
        if (lastSeq == 0) {
            painter.paintCentered(gc, area.width, area.height, "No messages yet. Say hello!");
            return;
        }
        boolean focused = canvas.isFocusControl();
        Set<Long> errorShown = new HashSet<>();
        for (Placed p : placed) {
            Row r = pages.row(p.seq);
            if (r == null) {
                HistoryPages.Page page = pages.existing(HistoryPages.pageOf(p.seq));
                String error = page == null ? null : page.error;
                painter.paintPlaceholder(gc, p.seq, p.y, area.width,
                        error != null && errorShown.add(page.no) ? error : null);
                continue;
            }
            boolean selected = isSelected(p.seq);
            String state = r.isOwn() && r.message.kind() != Chat.Kind.SYSTEM
                    ? RowPainter.state(p.seq, marks) : null;
            RowPainter.Frame f = frame(r);
            painter.paintFrame(gc, r.message, names.apply(r.message.sender()), f, p.y, area.width, p.height, selected, focused, state);
            Rectangle b = body(p, r);
            gc.setClipping(b.x, Math.max(0, b.y), b.width, Math.max(0, p.y + p.height - b.y));
            gc.setFont(canvas.getFont());
            r.renderer.paint(r, gc, b);
            gc.setClipping((Rectangle) null);
            gc.setAlpha(255);
            gc.setLineWidth(1);
            gc.setLineStyle(SWT.LINE_SOLID);
            gc.setFont(canvas.getFont());
            if (focused && p.seq == focus) {
                gc.setForeground(painter.foreground);
                int top = p.y + (f.day() ? painter.dayHeight : 0) + (f.unread() ? painter.unreadHeight : 0);
                gc.drawFocus(1, top + 1, area.width - 2, p.y + p.height - top - 2);
            }
        }
        newBelowButton = newBelow > 0 && !followTail
                ? painter.paintNewBelow(gc, area.width, area.height, newBelow) : null;
    }

    /** Embedded controls exist only for rows in view. */
    private void placeControls() {
        Set<Row> now = new HashSet<>();
        for (Placed p : placed) {
            Row r = pages.row(p.seq);
            if (r == null) {
                continue;
            }
            if (!r.controlAsked) {
                r.controlAsked = true;
                r.control = r.renderer.createControl(canvas, r);
            }
            if (r.control != null && !r.control.isDisposed()) {
                Rectangle b = body(p, r);
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

    // ------------------------------------------------------------------ mouse and keyboard

    private Placed at(int y) {
        for (Placed p : placed) {
            if (y >= p.y && y < p.y + p.height) {
                return p;
            }
        }
        return null;
    }

    private void mouseDown(Event e) {
        canvas.setFocus();
        if (lastSeq < 0 && loadError != null) {
            start();
            return;
        }
        if (newBelowButton != null && newBelowButton.contains(e.x, e.y)) {
            scrollToEnd();
            return;
        }
        Placed p = at(e.y);
        if (p == null) {
            return;
        }
        Row r = pages.row(p.seq);
        if (r == null) {
            retry();
            return;
        }
        Rectangle b = body(p, r);
        if (e.button == 1 && b.contains(e.x, e.y) && r.renderer.click(r, e.x - b.x, e.y - b.y)) {
            return;
        }
        if (e.button == 1 && (e.stateMask & SWT.SHIFT) != 0 && anchor != 0) {
            focus = p.seq;
        } else if (e.button == 1 || !isSelected(p.seq)) {
            anchor = focus = p.seq;
        }
        selectionChanged();
    }

    private void doubleClick(Event e) {
        Placed p = at(e.y);
        Row r = p == null ? null : pages.row(p.seq);
        if (r != null) {
            r.renderer.activate(r);
        }
    }

    private void mouseMove(Event e) {
        Placed p = at(e.y);
        Row r = p == null ? null : pages.row(p.seq);
        boolean hand = newBelowButton != null && newBelowButton.contains(e.x, e.y);
        String tip = null;
        if (r != null) {
            Rectangle b = body(p, r);
            if (b.contains(e.x, e.y)) {
                hand = r.renderer.isClickable(r, e.x - b.x, e.y - b.y);
                tip = r.renderer.toolTipText(r, e.x - b.x, e.y - b.y);
            } else if (e.x < b.x) {
                tip = RowPainter.fullTime(r.message);
            } else if (e.x > b.x + b.width && r.isOwn() && r.message.kind() != Chat.Kind.SYSTEM) {
                tip = RowPainter.stateDetails(r.message.seq(), marks);
            }
        }
        canvas.setCursor(hand ? display.getSystemCursor(SWT.CURSOR_HAND) : null);
        if (!java.util.Objects.equals(tip, toolTip)) {
            toolTip = tip;
            canvas.setToolTipText(tip);
        }
    }

    private void keyDown(Event e) {
        boolean ctrl = (e.stateMask & SWT.MOD1) != 0;
        boolean shift = (e.stateMask & SWT.SHIFT) != 0;
        if (lastSeq <= 0) {
            if (e.keyCode == SWT.F5) {
                retry();
            }
            return;
        }
        int viewport = canvas.getClientArea().height;
        // Arrows move from the focused message when it is in view, else they start from the view itself (after
        // scrolling away with the wheel or the slider, a reader means what they see).
        boolean inView = placed.stream().anyMatch(p -> p.seq == focus);
        long first = placed.isEmpty() ? lastSeq : placed.get(0).seq;
        long last = placed.isEmpty() ? lastSeq : placed.get(placed.size() - 1).seq;
        long current = inView ? focus : last;
        long target;
        switch (e.keyCode) {
            case SWT.ARROW_UP -> target = inView ? step(focus, -1) : last;
            case SWT.ARROW_DOWN -> target = inView ? step(focus, 1) : first;
            case SWT.PAGE_UP -> {
                scrollBy(-(viewport - painter.line));
                target = placed.isEmpty() ? current : placed.get(0).seq;
            }
            case SWT.PAGE_DOWN -> {
                scrollBy(viewport - painter.line);
                target = placed.isEmpty() ? current : placed.get(placed.size() - 1).seq;
            }
            case SWT.HOME -> target = firstPresent();
            case SWT.END -> target = lastSeq;
            case SWT.F5 -> {
                retry();
                return;
            }
            case SWT.CR, SWT.KEYPAD_CR -> {
                Row r = focus == 0 ? null : pages.row(focus);
                if (r != null) {
                    r.renderer.activate(r);
                }
                return;
            }
            default -> {
                if (ctrl && (e.keyCode == 'c' || e.keyCode == SWT.INSERT)) {
                    copy();
                } else if (ctrl && e.keyCode == 'a') {
                    anchor = firstPresent();
                    focus = lastSeq;
                    selectionChanged();
                }
                return;
            }
        }
        e.doit = false;
        if (shift && anchor != 0) {
            focus = target;
        } else {
            anchor = focus = target;
        }
        if (e.keyCode == SWT.HOME) {
            scrollToTop();
        } else if (e.keyCode == SWT.END) {
            scrollToEnd();
        } else {
            reveal(target);
        }
        selectionChanged();
    }

    /** The next present row from {@code seq} in a direction (skipping missing ones), within the history. */
    private long step(long seq, int direction) {
        long s = seq + direction;
        while (s >= 1 && s <= lastSeq && pages.isMissing(s)) {
            s += direction;
        }
        return Math.max(1, Math.min(lastSeq, s));
    }

    private void selectionChanged() {
        canvas.redraw();
        if (focus != 0) {
            canvas.getAccessible().setFocus(ACC.CHILDID_SELF);
        }
    }

    private Menu contextMenu() {
        Menu menu = new Menu(canvas);
        MenuItem copy = new MenuItem(menu, SWT.PUSH);
        copy.setText("&Copy\tCtrl+C");
        copy.setImage(Icons.image(Icons.COPY));
        copy.addListener(SWT.Selection, e -> copy());
        MenuItem all = new MenuItem(menu, SWT.PUSH);
        all.setText("Select &All\tCtrl+A");
        all.addListener(SWT.Selection, e -> {
            anchor = firstPresent();
            focus = Math.max(lastSeq, 0);
            selectionChanged();
        });
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem end = new MenuItem(menu, SWT.PUSH);
        end.setText("Go to the &Newest Message\tEnd");
        end.addListener(SWT.Selection, e -> scrollToEnd());
        menu.addListener(SWT.Show, e -> copy.setEnabled(anchor != 0 && lastSeq > 0));
        return menu;
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
                Row r = focus == 0 ? null : pages.row(focus);
                e.result = r == null ? "Chat history" : RowPainter.fullTime(r.message) + ", " + rowText(r);
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
        measureGc.dispose();
        painter.dispose();
    }
}
