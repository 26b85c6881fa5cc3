package org.parley.chat.ui.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.ACC;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.parley.chat.ui.ComposerContext;
import org.parley.chat.ui.MessageActionContext;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.ui.Icons;

/**
 * What the user does to the history with mouse and keyboard: the selection (an anchor and a focused row), clicks
 * (handed to a row's renderer when they land on its body), the hand cursor and tooltips, the keys (Up/Down with
 * Shift to extend the selection, Page Up/Down, Home/End, Ctrl+A, Ctrl+C, Enter for the renderer's action, F5 to
 * retry what failed) and the context menu, with the message actions contributed for the message it opens on.
 */
final class HistoryInput {

    private final HistoryView view;
    private final HistoryViewport viewport;
    private final HistoryPages pages;
    private final RowPainter painter;
    private final Canvas canvas;
    private long anchor;
    private long focus;
    private String toolTip;
    /** The message the context menu was opened on (0: none). */
    private long menuSeq;
    private static final String MESSAGE_ACTION = "org.parley.chat.messageAction";

    HistoryInput(HistoryView view, HistoryViewport viewport, HistoryPages pages, RowPainter painter,
            Canvas canvas) {
        this.view = view;
        this.viewport = viewport;
        this.pages = pages;
        this.painter = painter;
        this.canvas = canvas;
        canvas.addListener(SWT.MouseVerticalWheel, e -> {
            e.doit = false;
            viewport.scrollBy(-e.count * painter.line);
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
        canvas.setMenu(contextMenu());
    }

    // ------------------------------------------------------------------ the selection

    long[] selection() {
        return anchor == 0 ? new long[0] : new long[] {Math.min(anchor, focus), Math.max(anchor, focus)};
    }

    boolean isSelected(long seq) {
        return anchor != 0 && seq >= Math.min(anchor, focus) && seq <= Math.max(anchor, focus);
    }

    /** The row with the keyboard focus (0: none). */
    long focus() {
        return focus;
    }

    void select(long from, long to) {
        anchor = from;
        focus = to;
        viewport.reveal(to);
    }

    private void selectAll() {
        anchor = viewport.firstPresent();
        focus = Math.max(view.lastSeq(), 0);
        selectionChanged();
    }

    private void selectionChanged() {
        canvas.redraw();
        if (focus != 0) {
            canvas.getAccessible().setFocus(ACC.CHILDID_SELF);
        }
    }

    // ------------------------------------------------------------------ mouse

    private void mouseDown(Event e) {
        canvas.setFocus();
        if (view.lastSeq() < 0 && view.loadError() != null) {
            view.start();
            return;
        }
        if (view.onNewBelowButton(e.x, e.y)) {
            viewport.scrollToEnd();
            return;
        }
        HistoryViewport.Placed p = viewport.at(e.y);
        if (p == null) {
            return;
        }
        Row r = pages.row(p.seq());
        if (r == null) {
            view.retry();
            return;
        }
        Rectangle q = view.quoteBounds(p, r);
        if (e.button == 1 && q != null && q.contains(e.x, e.y)) {
            view.showMessage(r.message.replyTo()); // the original, wherever it is in the history
            return;
        }
        Rectangle b = view.body(p, r);
        if (e.button == 1 && b.contains(e.x, e.y) && r.renderer.click(r, e.x - b.x, e.y - b.y)) {
            return;
        }
        ReactionChips.Chip chip = e.button == 1 ? chipAt(r, b, e.x, e.y) : null;
        if (chip != null) {
            ReactAction.toggle(view.chat(), r.message, chip.reaction().emoji());
            return;
        }
        if (e.button == 1 && (e.stateMask & SWT.SHIFT) != 0 && anchor != 0) {
            focus = p.seq();
        } else if (e.button == 1 || !isSelected(p.seq())) {
            anchor = focus = p.seq();
        }
        selectionChanged();
    }

    private ReactionChips.Chip chipAt(Row r, Rectangle body, int x, int y) {
        if (r.message.reactions().isEmpty()) {
            return null;
        }
        GC gc = new GC(canvas);
        try {
            gc.setFont(canvas.getFont());
            return view.chips().at(gc, r.message.reactions(), body, x, y);
        } finally {
            gc.dispose();
        }
    }

    private void doubleClick(Event e) {
        HistoryViewport.Placed p = viewport.at(e.y);
        Row r = p == null ? null : pages.row(p.seq());
        if (r != null) {
            r.renderer.activate(r);
        }
    }

    private void mouseMove(Event e) {
        HistoryViewport.Placed p = viewport.at(e.y);
        Row r = p == null ? null : pages.row(p.seq());
        boolean hand = view.onNewBelowButton(e.x, e.y);
        String tip = null;
        Rectangle q = r == null ? null : view.quoteBounds(p, r);
        if (q != null && q.contains(e.x, e.y)) {
            hand = true;
            tip = Messages.Reply_showOriginal;
        } else if (r != null) {
            Rectangle b = view.body(p, r);
            ReactionChips.Chip chip = chipAt(r, b, e.x, e.y);
            if (chip != null) {
                hand = true;
                String me = view.chat().client().user();
                tip = ReactionChips.whoReacted(chip.reaction(), me, view::senderName);
            } else if (b.contains(e.x, e.y)) {
                hand = r.renderer.isClickable(r, e.x - b.x, e.y - b.y);
                tip = r.renderer.toolTipText(r, e.x - b.x, e.y - b.y);
            } else if (e.x < b.x) {
                tip = RowPainter.fullTime(r.message);
            } else if (e.x > b.x + b.width && r.isOwn() && r.message.kind() != Chat.Kind.SYSTEM) {
                tip = RowPainter.stateDetails(r.message.seq(), view.marks());
            }
        }
        canvas.setCursor(hand ? canvas.getDisplay().getSystemCursor(SWT.CURSOR_HAND) : null);
        if (!java.util.Objects.equals(tip, toolTip)) {
            toolTip = tip;
            canvas.setToolTipText(tip);
        }
    }

    // ------------------------------------------------------------------ keyboard

    private void keyDown(Event e) {
        boolean ctrl = (e.stateMask & SWT.MOD1) != 0;
        boolean shift = (e.stateMask & SWT.SHIFT) != 0;
        long lastSeq = view.lastSeq();
        if (lastSeq <= 0) {
            if (e.keyCode == SWT.F5) {
                view.retry();
            }
            return;
        }
        int height = canvas.getClientArea().height;
        java.util.List<HistoryViewport.Placed> placed = viewport.placed();
        // Arrows move from the focused message when it is in view, else they start from the view itself (after
        // scrolling away with the wheel or the slider, a reader means what they see).
        boolean inView = placed.stream().anyMatch(p -> p.seq() == focus);
        long first = placed.isEmpty() ? lastSeq : placed.get(0).seq();
        long last = placed.isEmpty() ? lastSeq : placed.get(placed.size() - 1).seq();
        long current = inView ? focus : last;
        long target;
        switch (e.keyCode) {
            case SWT.ARROW_UP -> target = inView ? viewport.step(focus, -1) : last;
            case SWT.ARROW_DOWN -> target = inView ? viewport.step(focus, 1) : first;
            case SWT.PAGE_UP -> {
                viewport.scrollBy(-(height - painter.line));
                target = placed.isEmpty() ? current : placed.get(0).seq();
            }
            case SWT.PAGE_DOWN -> {
                viewport.scrollBy(height - painter.line);
                target = placed.isEmpty() ? current : placed.get(placed.size() - 1).seq();
            }
            case SWT.HOME -> target = viewport.firstPresent();
            case SWT.END -> target = lastSeq;
            case SWT.F5 -> {
                view.retry();
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
                    view.copy();
                } else if (ctrl && e.keyCode == 'a') {
                    selectAll();
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
            viewport.scrollToTop();
        } else if (e.keyCode == SWT.END) {
            viewport.scrollToEnd();
        } else {
            viewport.reveal(target);
        }
        selectionChanged();
    }

    private Menu contextMenu() {
        Menu menu = new Menu(canvas);
        canvas.addListener(SWT.MenuDetect, e -> {
            if (e.detail == SWT.MENU_MOUSE) {
                HistoryViewport.Placed p = viewport.at(canvas.toControl(e.x, e.y).y);
                menuSeq = p == null ? 0 : p.seq();
            } else {
                menuSeq = focus;
            }
        });
        menu.addListener(SWT.Show, e -> messageActions(menu));
        MenuItem copy = new MenuItem(menu, SWT.PUSH);
        copy.setText("&Copy\tCtrl+C");
        copy.setImage(Icons.image(Icons.COPY));
        copy.addListener(SWT.Selection, e -> view.copy());
        MenuItem all = new MenuItem(menu, SWT.PUSH);
        all.setText("Select &All\tCtrl+A");
        all.addListener(SWT.Selection, e -> selectAll());
        new MenuItem(menu, SWT.SEPARATOR);
        MenuItem end = new MenuItem(menu, SWT.PUSH);
        end.setText("Go to the &Newest Message\tEnd");
        end.addListener(SWT.Selection, e -> viewport.scrollToEnd());
        menu.addListener(SWT.Show, e -> copy.setEnabled(anchor != 0 && view.lastSeq() > 0));
        return menu;
    }

    /**
     * The contributed message actions available for the message the menu was opened on, at the top of the menu,
     * followed by a separator; rebuilt each time the menu opens.
     */
    private void messageActions(Menu menu) {
        for (MenuItem item : menu.getItems()) {
            if (item.getData(MESSAGE_ACTION) != null) {
                item.dispose();
            }
        }
        Row row = menuSeq == 0 ? null : pages.row(menuSeq);
        if (row == null || !(view.chat() instanceof ComposerContext chat)) {
            return;
        }
        MessageActionContext context = new ActionContext(chat, row, view);
        int index = 0;
        for (MessageActions.Contribution a : view.messageActions()) {
            if (!a.isAvailable(context)) {
                continue;
            }
            MenuItem item = new MenuItem(menu, SWT.PUSH, index++);
            item.setText(a.label());
            item.setData(MESSAGE_ACTION, a.id());
            item.addListener(SWT.Selection, e -> a.run(context));
        }
        if (index > 0) {
            new MenuItem(menu, SWT.SEPARATOR, index).setData(MESSAGE_ACTION, "separator");
        }
    }

    /** What a message action gets: the chat (with its entry field) and the message. */
    private record ActionContext(ComposerContext chat, Row row, HistoryView view) implements MessageActionContext {
        @Override
        public long conversationId() {
            return chat.conversationId();
        }

        @Override
        public ParleyClient client() {
            return chat.client();
        }

        @Override
        public Shell shell() {
            return chat.shell();
        }

        @Override
        public void insertText(String text) {
            chat.insertText(text);
        }

        @Override
        public long takeReply() {
            return chat.takeReply();
        }

        @Override
        public Chat.ChatMessage message() {
            return row.message();
        }

        @Override
        public boolean isOwn() {
            return row.isOwn();
        }

        @Override
        public boolean isGroupAdmin() {
            return chat instanceof ChatEditing e && e.isGroupAdmin();
        }

        @Override
        public void editMessage() {
            if (chat instanceof ChatEditing e) {
                e.startEditing(row.message());
            }
        }

        @Override
        public void reply() {
            if (chat instanceof Replying replying) {
                replying.replyTo(row.message(), view.quotes().quote(row.message()));
            }
        }
    }

    /** A chat whose entry field can answer a message ("Replying to …" above it): the chat part's. */
    interface Replying {
        /** The next message sent answers {@code message}; {@code quote} says what the banner shows of it. */
        void replyTo(Chat.ChatMessage message, ReplyQuotes.Quote quote);
    }
}
