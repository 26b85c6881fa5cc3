package org.parley.chat.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Text;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.message.Chat;
import org.parley.ui.ParleyUi;

/**
 * One conversation: its history (older pages on demand), new messages as they arrive, the entry field (Enter
 * sends, Shift+Enter starts a new line) and who is typing. Messages are kept by sequence number, so a message
 * that arrives twice or out of order is shown once, in place.
 */
public class ChatPart {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final int PAGE = 50;

    @Inject
    ParleyClient client;
    @Inject
    MPart part;

    private long conversationId;
    private Display display;
    private StyledText history;
    private Text input;
    private Label typing;
    private Link older;
    private final TreeMap<Long, Chat.ChatMessage> messages = new TreeMap<>();
    /** Other members' delivered and read marks: what the ✓ / ✓✓ / "read" after one's own messages show. */
    private final java.util.Map<String, long[]> marks = new java.util.HashMap<>();
    private ClientListener listener;

    @PostConstruct
    void create(Composite parent) {
        display = parent.getDisplay();
        conversationId = Long.parseLong(part.getPersistedState().get(ParleyUi.CONVERSATION_ID));
        GridLayoutFactory.fillDefaults().margins(6, 6).applyTo(parent);
        older = new Link(parent, SWT.NONE);
        older.setText("<a>Load older messages</a>");
        older.addListener(SWT.Selection, e -> loadOlder());
        history = new StyledText(parent, SWT.BORDER | SWT.V_SCROLL | SWT.WRAP | SWT.READ_ONLY);
        history.setMargins(6, 6, 6, 6);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(history);
        typing = new Label(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(typing);
        List<ComposerActions.Contribution> actions = ComposerActions.load();
        if (!actions.isEmpty()) {
            Composite bar = new Composite(parent, SWT.NONE);
            org.eclipse.swt.layout.RowLayout row = new org.eclipse.swt.layout.RowLayout();
            row.marginLeft = 0;
            bar.setLayout(row);
            for (ComposerActions.Contribution a : actions) {
                org.eclipse.swt.widgets.Button b = new org.eclipse.swt.widgets.Button(bar, SWT.PUSH);
                b.setText(a.label());
                b.setToolTipText(a.tooltip());
                b.setData("parley.composerAction", a.id());
                b.addListener(SWT.Selection, e -> a.action().run(composerContext()));
            }
        }
        input = new Text(parent, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL);
        input.setMessage("Write a message — Enter sends, Shift+Enter for a new line");
        GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, 60).applyTo(input);
        input.addListener(SWT.KeyDown, e -> {
            if ((e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) && (e.stateMask & SWT.SHIFT) == 0) {
                e.doit = false;
                send();
            }
        });
        input.addListener(SWT.Modify, e -> {
            if (!input.getText().isEmpty()) {
                client.typing(conversationId, true);
            }
        });

        listener = ParleyUi.onDisplay(client, display, new ClientListener() {
            @Override
            public void message(Chat.ChatMessage m) {
                if (m.conversationId() == conversationId) {
                    add(List.of(m));
                    typing.setText("");
                }
            }

            @Override
            public void messageSent(Chat.ChatMessage m) {
                if (m.conversationId() == conversationId) {
                    add(List.of(m));
                }
            }

            @Override
            public void messageFailed(String clientMessageId, ParleyClientException error) {
                typing.setText("Not sent: " + error.getMessage());
            }

            @Override
            public void receiptChanged(Chat.ReceiptChanged r) {
                if (r.conversationId() == conversationId && !r.user().equals(client.user())) {
                    marks.put(r.user(), new long[] {r.deliveredUpTo(), r.readUpTo()});
                    render();
                }
            }

            @Override
            public void conversationUpdated(org.parley.protocol.message.Conversations.ConversationInfo c) {
                if (c.id() == conversationId) {
                    takeMarks(c);
                    render();
                }
            }

            @Override
            public void typingChanged(Chat.TypingChanged t) {
                if (t.conversationId() == conversationId) {
                    typing.setText(t.typing() ? t.user() + " is typing…" : "");
                }
            }
        });
        history.getVerticalBar().addListener(SWT.Selection, e -> {
            if (history.getTopIndex() == 0 && older.getVisible()) {
                loadOlder(); // scrolled to the top: fetch the page before
            }
        });
        client.listConversations().thenAccept(all -> display.asyncExec(() -> {
            all.stream().filter(c -> c.id() == conversationId).findFirst().ifPresent(c -> {
                takeMarks(c);
                if (!history.isDisposed()) {
                    render();
                }
            });
        }));
        client.fetchBefore(conversationId, 0, PAGE).thenAccept(page -> display.asyncExec(() -> {
            if (!history.isDisposed()) {
                older.setVisible(page.more());
                add(page.messages());
            }
        }));
    }

    private ComposerContext composerContext() {
        return new ComposerContext() {
            @Override
            public long conversationId() {
                return conversationId;
            }

            @Override
            public ParleyClient client() {
                return client;
            }

            @Override
            public org.eclipse.swt.widgets.Shell shell() {
                return input.getShell();
            }

            @Override
            public void insertText(String text) {
                input.insert(text);
                input.setFocus();
            }
        };
    }

    private boolean loading;

    private void loadOlder() {
        if (loading) {
            return;
        }
        loading = true;
        long oldest = messages.isEmpty() ? 0 : messages.firstKey();
        client.fetchBefore(conversationId, oldest, PAGE).whenComplete((page, e) -> display.asyncExec(() -> {
            loading = false;
            if (e != null || history.isDisposed()) {
                return;
            }
            older.setVisible(page.more());
            int linesBefore = history.getLineCount();
            add(page.messages());
            history.setTopIndex(Math.max(0, history.getLineCount() - linesBefore)); // stay where the reader was
        }));
    }

    private void takeMarks(org.parley.protocol.message.Conversations.ConversationInfo c) {
        for (var m : c.members()) {
            if (!m.user().equals(client.user())) {
                marks.put(m.user(), new long[] {m.deliveredUpTo(), m.readUpTo()});
            }
        }
    }

    /** "read" when every other member has read it, ✓✓ when delivered to all, ✓ once stored. */
    private String state(Chat.ChatMessage m) {
        if (marks.isEmpty()) {
            return " ✓";
        }
        boolean read = marks.values().stream().allMatch(v -> v[1] >= m.seq());
        boolean delivered = marks.values().stream().allMatch(v -> v[0] >= m.seq());
        return read ? " ✓✓ read" : delivered ? " ✓✓" : " ✓";
    }

    private void add(List<Chat.ChatMessage> batch) {
        boolean atEnd = messages.isEmpty() || batch.stream().anyMatch(m -> m.seq() > messages.lastKey());
        batch.forEach(m -> messages.put(m.seq(), m));
        render();
        if (atEnd) {
            history.setTopIndex(history.getLineCount() - 1);
            if (part.isVisible() && !messages.isEmpty()) {
                client.markRead(conversationId, messages.lastKey());
            }
        }
    }

    /** Redraws the history from the messages kept by sequence number. */
    private void render() {
        StringBuilder text = new StringBuilder();
        List<StyleRange> styles = new java.util.ArrayList<>();
        for (Chat.ChatMessage m : messages.values()) {
            String time = TIME.format(Instant.ofEpochMilli(m.timestamp()));
            if (m.kind() == Chat.Kind.SYSTEM) {
                int start = text.length();
                text.append(time).append("  ").append(m.text()).append('\n');
                StyleRange s = new StyleRange(start, text.length() - start,
                        display.getSystemColor(SWT.COLOR_DARK_GRAY), null);
                s.fontStyle = SWT.ITALIC;
                styles.add(s);
                continue;
            }
            text.append(time).append("  ");
            int start = text.length();
            text.append(m.sender());
            StyleRange bold = new StyleRange(start, m.sender().length(), null, null);
            bold.fontStyle = SWT.BOLD;
            styles.add(bold);
            text.append(": ").append(m.text());
            if (m.sender().equals(client.user())) {
                int at = text.length();
                String st = state(m);
                text.append(st);
                styles.add(new StyleRange(at, st.length(), display.getSystemColor(SWT.COLOR_DARK_GRAY), null));
            }
            text.append('\n');
        }
        history.setText(text.toString());
        history.setStyleRanges(styles.toArray(StyleRange[]::new));
    }

    private void send() {
        String text = input.getText().strip();
        if (text.isEmpty()) {
            return;
        }
        input.setText("");
        client.typing(conversationId, false);
        client.send(conversationId, text); // acknowledged through messageSent; kept and resent if offline
    }

    @Focus
    void focus() {
        input.setFocus();
        if (!messages.isEmpty()) {
            client.markRead(conversationId, messages.lastKey());
        }
    }

    @PreDestroy
    void dispose() {
        client.removeListener(listener);
    }
}
