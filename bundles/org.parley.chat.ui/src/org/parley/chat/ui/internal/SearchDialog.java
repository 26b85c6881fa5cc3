package org.parley.chat.ui.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Search;
import org.parley.ui.ChatOpener;

/**
 * Message search: in one chat (Find in chat, Ctrl+F) or in all of the user's chats (Search all chats,
 * Ctrl+Shift+F). Results newest first, the matching words highlighted, a page at a time (More); Enter, a double
 * click or Open shows the chat at the message, selected, with its neighbours loaded. The search runs on the
 * client's futures; nothing here waits on the display thread.
 */
public final class SearchDialog extends Dialog {

    static final int OPEN_ID = IDialogConstants.CLIENT_ID + 1;
    private static final int MORE_ID = IDialogConstants.CLIENT_ID + 2;
    private static final int PAGE = 30;
    private static final int MAX_SHOWN = 300;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
            .withZone(ZoneId.systemDefault());

    /** A line of the results: its text and the ranges of it to highlight. */
    public record Line(Search.SearchHit hit, String text, List<int[]> marks) {
    }

    private final ParleyClient client;
    private final long conversationId;
    private final String chatTitle;
    private final EPartService parts;
    private final EModelService models;
    private final MApplication application;
    private final Map<Long, Conversations.ConversationInfo> conversations = new HashMap<>();
    private final List<Line> lines = new ArrayList<>();
    private Text query;
    private Table results;
    private Label status;
    private String cursor = "";
    private String searched = "";
    private int generation;
    private Point lastClick;
    private long lastClickTime;
    private long openedByDoubleClick = System.nanoTime() - 2_000_000_000L;

    SearchDialog(Shell parent, ParleyClient client, long conversationId, String chatTitle, EPartService parts,
            EModelService models, MApplication application) {
        super(parent);
        this.client = client;
        this.conversationId = conversationId;
        this.chatTitle = chatTitle;
        this.parts = parts;
        this.models = models;
        this.application = application;
        setShellStyle(SWT.DIALOG_TRIM | SWT.RESIZE | SWT.MODELESS);
        setBlockOnOpen(false);
    }

    /** Opens in front with the keyboard in the query field: the user came here to type. */
    @Override
    public int open() {
        int result = super.open();
        getShell().forceActive();
        query.setFocus();
        return result;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(conversationId == 0 ? Messages.SearchDialog_allTitle
                : NLS.bind(Messages.SearchDialog_chatTitle, chatTitle));
    }

    @Override
    protected Point getInitialSize() {
        return new Point(640, 480);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        GridLayoutFactory.swtDefaults().numColumns(1).applyTo(area);
        query = new Text(area, SWT.BORDER | SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        query.setMessage(Messages.SearchDialog_placeholder);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(query);
        query.addListener(SWT.DefaultSelection, e -> {
            if (e.detail != SWT.ICON_CANCEL) {
                search(query.getText(), "");
            }
        });
        query.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) {
                e.doit = false; // searched here, not again as the field's default selection
                search(query.getText(), "");
            } else if (e.keyCode == SWT.ARROW_DOWN && results.getItemCount() > 0) {
                results.setFocus();
                results.setSelection(0);
            }
        });
        query.addListener(SWT.Traverse, this::escapeCloses);
        query.addListener(SWT.KeyDown, e -> { // the search field's own Escape (GTK's search entry) takes the key
            if (e.keyCode == SWT.ESC) {
                e.doit = false;
                close();
            }
        });
        results = new Table(area, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL);
        results.addListener(SWT.Traverse, this::escapeCloses);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(results);
        results.getAccessible().addAccessibleListener(new org.eclipse.swt.accessibility.AccessibleAdapter() {
            @Override
            public void getName(org.eclipse.swt.accessibility.AccessibleEvent e) {
                if (e.childID >= 0 && e.childID < lines.size()) {
                    e.result = lines.get(e.childID).text();
                }
            }
        });
        results.addListener(SWT.MeasureItem, e -> e.height = Math.max(e.height, e.gc.getFontMetrics().getHeight()
                + 6));
        results.addListener(SWT.EraseItem, e -> e.detail &= ~SWT.FOREGROUND);
        results.addListener(SWT.PaintItem, this::paintLine);
        results.addListener(SWT.DefaultSelection, e -> {
            if (System.nanoTime() - openedByDoubleClick > 1_000_000_000L) {
                openSelected(); // Enter, or a double-click the toolkit reported as a row activation
            }
        });
        // A double-click on a hit opens it: two presses of the first button on the same row within the desktop's
        // double-click time (GTK did not always report synthesized double-clicks as a row activation).
        results.addListener(SWT.MouseDown, e -> {
            if (e.button != 1) {
                return;
            }
            long now = e.time & 0xFFFFFFFFL;
            if (lastClick != null && Math.abs(e.x - lastClick.x) <= 4 && Math.abs(e.y - lastClick.y) <= 4
                    && now - lastClickTime <= e.display.getDoubleClickTime()) {
                lastClick = null;
                openedByDoubleClick = System.nanoTime();
                e.display.asyncExec(() -> { // once the press has selected its row
                    if (!results.isDisposed()) {
                        openSelected();
                    }
                });
            } else {
                lastClick = new Point(e.x, e.y);
                lastClickTime = now;
            }
        });
        results.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) {
                e.doit = false; // opened here, not again as the list's default selection
                openSelected();
            }
        });
        results.addListener(SWT.Selection, e -> getButton(OPEN_ID).setEnabled(results.getSelectionIndex() >= 0));
        status = new Label(area, SWT.WRAP);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);
        status.setText(conversationId == 0 ? Messages.SearchDialog_hintAll : Messages.SearchDialog_hintChat);
        client.listConversations().thenAccept(all -> getShell().getDisplay().asyncExec(() -> {
            for (Conversations.ConversationInfo c : all) {
                conversations.put(c.id(), c);
            }
            relabel();
        }));
        return area;
    }

    /** The lines made again (the conversations or a display name learnt since). */
    private void relabel() {
        if (!results.isDisposed()) {
            for (int i = 0; i < lines.size(); i++) {
                lines.set(i, line(lines.get(i).hit()));
            }
            results.redraw();
        }
    }

    /** Escape closes the dialog, also from the search field (which would otherwise only clear itself). */
    private void escapeCloses(Event e) {
        if (e.detail == SWT.TRAVERSE_ESCAPE) {
            e.doit = false;
            close();
        }
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, MORE_ID, Messages.SearchDialog_more, false).setEnabled(false);
        createButton(parent, OPEN_ID, Messages.SearchDialog_open, false).setEnabled(false);
        createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, false);
    }

    @Override
    protected void buttonPressed(int buttonId) {
        if (buttonId == MORE_ID) {
            search(searched, cursor);
        } else if (buttonId == OPEN_ID) {
            openSelected();
        } else {
            close();
        }
    }

    /** Searches for {@code text}: a new search when {@code after} is "", the next page otherwise. */
    void search(String text, String after) {
        if (text.isBlank()) {
            return;
        }
        int mine = ++generation;
        if (after.isEmpty()) {
            lines.clear();
            results.removeAll();
            getButton(OPEN_ID).setEnabled(false);
        }
        searched = text;
        getButton(MORE_ID).setEnabled(false);
        status.setText(Messages.SearchDialog_searching);
        client.searchMessages(text, conversationId, after, PAGE).whenComplete((page, e) -> getShell().getDisplay()
                .asyncExec(() -> {
                    if (results.isDisposed() || mine != generation) {
                        return; // closed, or another search started meanwhile
                    }
                    if (e != null) {
                        status.setText(NLS.bind(Messages.SearchDialog_failed, reason(e)));
                        return;
                    }
                    for (Search.SearchHit h : page.hits()) {
                        if (lines.size() >= MAX_SHOWN) {
                            break;
                        }
                        lines.add(line(h));
                        new TableItem(results, SWT.NONE).setText(lines.get(lines.size() - 1).text());
                    }
                    // senders who are not contacts: their display names asked, the lines named again with them
                    org.eclipse.swt.widgets.Display display = results.getDisplay();
                    org.parley.ui.NameLookup.learn(client, page.hits().stream().map(h -> h.message().sender())
                            .distinct().toList()).thenRun(() -> {
                                if (!display.isDisposed()) {
                                    display.asyncExec(this::relabel);
                                }
                            });
                    cursor = page.nextCursor();
                    getButton(MORE_ID).setEnabled(!cursor.isEmpty() && lines.size() < MAX_SHOWN);
                    String found = lines.isEmpty() ? Messages.SearchDialog_none
                            : NLS.bind(cursor.isEmpty() ? Messages.SearchDialog_count : Messages.SearchDialog_countMore,
                                    lines.size());
                    status.setText(page.complete() ? found : found + " " + Messages.SearchDialog_incomplete);
                    if (after.isEmpty() && !lines.isEmpty()) {
                        results.setSelection(0);
                        getButton(OPEN_ID).setEnabled(true);
                    }
                }));
    }

    /** The line a hit shows: where and when, who, then the text (file names after it), words marked. */
    Line line(Search.SearchHit hit) {
        Chat.ChatMessage m = hit.message();
        StringBuilder b = new StringBuilder();
        boolean fromTheChat = false; // a 1:1's line names the other person once: as the chat, not again as sender
        if (conversationId == 0) {
            Conversations.ConversationInfo c = conversations.get(m.conversationId());
            if (c == null) {
                b.append("…");
            } else if (c.kind() == Conversations.Kind.GROUP) {
                b.append("# ").append(c.title());
            } else {
                String other = c.members().stream().map(Conversations.Member::user)
                        .filter(u -> !u.equals(client.user())).findFirst().orElse(c.title());
                b.append(client.names().of(other));
                fromTheChat = other.equals(m.sender());
            }
            b.append(" · ");
        }
        b.append(WHEN.format(Instant.ofEpochMilli(m.timestamp()))).append(" · ");
        if (!fromTheChat) {
            b.append(client.names().of(m.sender())).append(": ");
        }
        List<int[]> marks = new ArrayList<>();
        int textAt = b.length();
        b.append(m.text().replace('\n', ' ').replace('\r', ' ').replace('\t', ' '));
        int[] nameAt = new int[m.attachments().size()];
        for (int i = 0; i < m.attachments().size(); i++) {
            b.append(i == 0 && m.text().isEmpty() ? "" : "  ").append("\uD83D\uDCCE ");
            nameAt[i] = b.length();
            b.append(m.attachments().get(i).name());
        }
        for (Search.Highlight h : hit.highlights()) {
            int base = h.attachment() < 0 ? textAt : h.attachment() < nameAt.length ? nameAt[h.attachment()] : -1;
            if (base >= 0 && h.start() >= 0 && h.end() > h.start() && base + h.end() <= b.length()) {
                marks.add(new int[] {base + h.start(), prefixEnd(b, base + h.start(), base + h.end(), searched)});
            }
        }
        return new Line(hit, b.toString(), marks);
    }

    /**
     * Where the mark of a word the server highlighted ends: the whole word when it is one of the query's words,
     * only the part the query's last word matched when the word was found by that prefix ("budg" in "budget"),
     * with accents and case folded as the server folds them.
     */
    static int prefixEnd(CharSequence text, int start, int end, String query) {
        String[] terms = fold(query).split("[^\\p{L}\\p{N}]+");
        if (terms.length == 0) {
            return end;
        }
        String word = fold(text.subSequence(start, end).toString());
        for (String t : terms) {
            if (t.equals(word)) {
                return end;
            }
        }
        String last = terms[terms.length - 1];
        if (last.isEmpty() || !word.startsWith(last)) {
            return end;
        }
        for (int k = start + 1; k < end; k++) {
            if (Character.isHighSurrogate(text.charAt(k - 1))) {
                continue;
            }
            if (fold(text.subSequence(start, k).toString()).length() >= last.length()) {
                return k;
            }
        }
        return end;
    }

    private static String fold(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .toLowerCase(java.util.Locale.ROOT);
    }

    private void paintLine(Event e) {
        int i = results.indexOf((TableItem) e.item);
        if (i < 0 || i >= lines.size()) {
            return;
        }
        Line line = lines.get(i);
        GC gc = e.gc;
        boolean selected = (e.detail & SWT.SELECTED) != 0;
        Color mark = e.display.getSystemColor(SWT.COLOR_YELLOW);
        Color ink = selected ? e.display.getSystemColor(SWT.COLOR_LIST_SELECTION_TEXT)
                : e.display.getSystemColor(SWT.COLOR_LIST_FOREGROUND);
        int x = e.x + 4;
        int y = e.y + 3;
        int at = 0;
        String text = line.text();
        for (int[] r : line.marks()) {
            if (r[0] < at) {
                continue;
            }
            x = draw(gc, text.substring(at, r[0]), x, y, ink, null);
            x = draw(gc, text.substring(r[0], r[1]), x, y, e.display.getSystemColor(SWT.COLOR_BLACK), mark);
            at = r[1];
        }
        draw(gc, text.substring(at), x, y, ink, null);
    }

    private static int draw(GC gc, String s, int x, int y, Color ink, Color background) {
        if (s.isEmpty()) {
            return x;
        }
        gc.setForeground(ink);
        if (background != null) {
            gc.setBackground(background);
        }
        gc.drawString(s, x, y, background == null);
        return x + gc.stringExtent(s).x;
    }

    /** Opens the selected hit's chat at its message. */
    private void openSelected() {
        int i = results.getSelectionIndex();
        if (i < 0 || i >= lines.size()) {
            return;
        }
        Chat.ChatMessage m = lines.get(i).hit().message();
        Conversations.ConversationInfo c = conversations.get(m.conversationId());
        if (c == null) {
            status.setText(Messages.SearchDialog_stillLoading);
            return;
        }
        if (!ChatOpener.open(parts, models, application, c)) {
            status.setText(Messages.SearchDialog_noChat);
            return;
        }
        MPart part = ChatOpener.find(parts, c.id());
        if (part != null && part.getObject() instanceof ChatPart chat) {
            chat.showMessage(m.seq());
        }
    }

    private static String reason(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof ParleyClientException p ? p.getMessage() : String.valueOf(t.getMessage());
    }

    /** For the tests: the results as shown. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public Table results() {
        return results;
    }

    /** For the tests: what the status line says. */
    public String status() {
        return status.getText();
    }

    public Text query() {
        return query;
    }
}
