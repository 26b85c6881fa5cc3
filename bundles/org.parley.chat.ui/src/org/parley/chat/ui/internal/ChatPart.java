package org.parley.chat.ui.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.parley.chat.ui.ChatContext;
import org.parley.chat.ui.ComposerContext;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ConnectionState;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.ui.Icons;
import org.parley.ui.ParleyUi;
import org.parley.ui.UserActivity;

/**
 * One conversation: its history ({@link HistoryView}: virtual, pages fetched as they come into view), new
 * messages as they arrive, the entry field (Enter sends, Shift+Enter starts a new line), the composer actions
 * other plug-ins contribute, and who is typing. Nothing here waits for the network: every request is a future
 * whose result is posted back to the display thread.
 */
public class ChatPart {

    @Inject
    ParleyClient client;
    @Inject
    MPart part;
    @Inject
    @Optional
    EPartService partService;
    /** Where a {@link org.parley.chat.ui.SnippetOpener} may be found (the IDE integration puts one there). */
    @Inject
    @Optional
    org.eclipse.e4.core.contexts.IEclipseContext eclipseContext;
    /** Whether the user is at the keyboard: the application's (its context), else the display's own. */
    @Inject
    @Optional
    UserActivity userActivity;

    private long conversationId;
    private Display display;
    /** The activity tracker this chat listens to, fixed when it is made. */
    private UserActivity activity;
    private HistoryView history;
    private Text input;
    private MentionProposals mentions;
    /** The part's composite: its shell is the window, also while the chat's own widgets are being made. */
    private Composite root;
    private List<ComposerActions.Contribution> composerActions = List.of();
    private Label status;
    private OutboxStrip outbox;
    private String typingText = "";
    private Typing.Shown typists;
    private Typing.Sender typingSender;
    private final Listener windowListener = e -> display.asyncExec(this::windowActivated);
    private final Runnable userActed = this::lookAgain;
    private final org.parley.client.core.DisplayNames.Listener namesListener = (user, name) -> nameChanged(user);
    /** Other members' delivered and read marks: what the ✓ / ✓✓ / "read" after one's own messages show. */
    private final Map<String, long[]> marks = new HashMap<>();
    private ClientListener listener;
    private long markedRead;
    /** The conversation as last heard (its members), or null before. */
    private Conversations.ConversationInfo info;
    /** The message being edited in the entry field (null: the field writes a new message). */
    private Chat.ChatMessage editing;
    private String draftBeforeEditing = "";
    private Label editBanner;
    /** A group's member list at the right (its admins' actions on members there); made for groups only. */
    private MemberPanel memberPanel;
    /** "Replying to …" above the entry field, shown while the next message answers {@link #replyTo}. */
    private Composite replyBanner;
    private Label replyLabel;
    /** The message the next one sent answers (its seq; 0: none). */
    private long replyTo;
    @Inject
    @Optional
    org.eclipse.e4.ui.workbench.modeling.EModelService models;
    @Inject
    @Optional
    org.eclipse.e4.ui.model.application.MApplication application;
    @Inject
    @Optional
    org.eclipse.e4.core.commands.EHandlerService handlers;
    @Inject
    @Optional
    org.eclipse.e4.core.commands.ECommandService commands;

    @PostConstruct
    void create(Composite partComposite) {
        display = partComposite.getDisplay();
        activity = userActivity != null ? userActivity : UserActivity.of(display);
        root = partComposite;
        conversationId = Long.parseLong(part.getPersistedState().get(ParleyUi.CONVERSATION_ID));
        // the chat on the left; a group's member list at the right (MemberPanel, made once the kind is known)
        GridLayoutFactory.fillDefaults().numColumns(2).spacing(0, 0).applyTo(partComposite);
        Composite parent = new Composite(partComposite, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(parent);
        GridLayoutFactory.fillDefaults().margins(6, 6).spacing(4, 4).applyTo(parent);
        ChatContext chat = new Context();
        history = new HistoryView(parent, chat, MessageRenderers.forChat(chat), marks);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(history.control());
        history.onTailShown(this::markRead);
        history.start(); // the newest page, while the read mark is asked for below
        muteMenuItem(history.canvas().getMenu());
        // Keys typed while the history has the focus (after a click into it) go to the entry field.
        history.canvas().addListener(SWT.KeyDown, this::forwardTyping);
        typists = new Typing.Shown(display, this::typing, user -> client.names().of(user));
        typingSender = new Typing.Sender(display, client, conversationId);
        status = new Label(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);
        outbox = new OutboxStrip(parent, this::editAgain);
        outbox.online(client.state() == ConnectionState.ONLINE);
        composer(parent);
        showStatus("");

        listener = ParleyUi.onDisplay(client, parent, new ClientListener() {
            @Override
            public void message(Chat.ChatMessage m) {
                if (m.conversationId() == conversationId) {
                    history.add(m);
                    typists.messageFrom(m.sender());
                }
            }

            @Override
            public void messageSent(Chat.ChatMessage m) {
                if (m.conversationId() == conversationId) {
                    outbox.stored(m.clientMessageId());
                    history.add(m);
                    history.scrollToEnd(); // one's own message: show it, wherever the reader was
                }
            }

            @Override
            public void messageEdited(Chat.ChatMessage edit) {
                if (edit.conversationId() == conversationId) {
                    history.change(edit);
                }
            }

            @Override
            public void messageDeleted(Chat.ChatMessage deletion) {
                if (deletion.conversationId() == conversationId) {
                    history.change(deletion);
                    if (editing != null && editing.seq() == deletion.targetSeq()) {
                        stopEditing(); // deleted meanwhile (here or elsewhere): nothing left to edit
                    }
                }
            }

            @Override
            public void messageFailed(String clientMessageId, ParleyClientException error) {
                outbox.refused(clientMessageId, error.getMessage());
            }

            @Override
            public void receiptChanged(Chat.ReceiptChanged r) {
                if (r.conversationId() == conversationId && !r.user().equals(client.user())) {
                    marks.put(r.user(), new long[] {r.deliveredUpTo(), r.readUpTo()});
                    history.marksChanged();
                }
            }

            @Override
            public void conversationUpdated(Conversations.ConversationInfo c) {
                if (c.id() == conversationId) {
                    takeMarks(c);
                    members(c);
                    history.marksChanged();
                }
            }

            @Override
            public void reactionsChanged(long conversation, long seq,
                    java.util.List<org.parley.protocol.message.Reactions.Reaction> reactions) {
                if (conversation == conversationId) {
                    history.reactionsChanged(seq, reactions);
                }
            }

            @Override
            public void conversationRemoved(long id) {
                if (id == conversationId) {
                    close(); // the user left the group, or was removed from it
                }
            }

            @Override
            public void typingChanged(Chat.TypingChanged t) {
                if (t.conversationId() == conversationId && !t.user().equals(client.user())) {
                    typists.changed(t.user(), t.typing());
                }
            }

            @Override
            public void stateChanged(ConnectionState state) {
                outbox.online(state == ConnectionState.ONLINE);
                if (state == ConnectionState.ONLINE) {
                    showStatus(typingText);
                    history.retry();
                } else {
                    showStatus("Offline: what you send now goes out when the connection is back.");
                }
            }
        });
        client.pending(conversationId).thenAccept(waiting -> display.asyncExec(() -> {
            if (!status.isDisposed()) {
                waiting.forEach(w -> outbox.waitingBefore(w.clientMessageId(), w.text()));
            }
        }));
        // Display names of contacts: the client learns them with the contact list (a repaint shows them).
        client.listContacts().thenAccept(contacts -> display.asyncExec(() -> {
            if (!status.isDisposed()) {
                if (info != null) {
                    members(info);
                }
                history.marksChanged();
            }
        }));
        // The history opens at the first unread message, after the user's read mark (at the newest one when the
        // mark cannot be had).
        client.listConversations().whenComplete((all, error) -> display.asyncExec(() -> {
            if (status.isDisposed()) {
                return;
            }
            long readUpTo = -1;
            if (all != null && all.stream().noneMatch(c -> c.id() == conversationId)) {
                close(); // a chat kept from an earlier start whose conversation the user has left since
                return;
            }
            if (all != null) {
                for (Conversations.ConversationInfo c : all) {
                    if (c.id() == conversationId) {
                        takeMarks(c);
                        members(c);
                        history.marksChanged();
                        readUpTo = c.members().stream().filter(m -> m.user().equals(client.user()))
                                .mapToLong(Conversations.Member::readUpTo).findFirst().orElse(-1);
                    }
                }
            }
            history.openAt(readUpTo);
        }));
        if (eclipseContext != null) {
            // for the composer actions' commands (Attach file's Ctrl+Shift+A): they act on the active chat
            eclipseContext.set(ComposerContext.class, composerContext());
        }
        // Coming back to the window: the chat in front takes the keyboard, and what it shows is read now.
        Shell shell = parent.getShell();
        shell.addListener(SWT.Activate, windowListener);
        shell.addListener(SWT.Deiconify, windowListener);
        activity.addListener(userActed);
        client.names().addListener(namesListener);
        parent.addListener(SWT.Dispose, e -> {
            if (!shell.isDisposed()) {
                shell.removeListener(SWT.Activate, windowListener);
                shell.removeListener(SWT.Deiconify, windowListener);
            }
            activity.removeListener(userActed);
            client.names().removeListener(namesListener);
            typingSender.stopped(); // and no check left on the timer
        });
    }

    /** Closes this chat: its conversation is no longer the user's. */
    private void close() {
        if (partService != null && part.getParent() != null) {
            partService.hidePart(part, true); // made from the descriptor: removed, as its tab's close button does
        }
    }

    /** Shows message {@code seq} selected, with its neighbours (a search hit opened). */
    void showMessage(long seq) {
        history.showMessage(seq);
    }

    long conversationId() {
        return conversationId;
    }

    private void typing(String text) {
        typingText = text;
        if (client.state() == ConnectionState.ONLINE) {
            showStatus(text);
        }
    }

    /** Whether this chat is muted (no toasts, no sound; mentions of the user still notify). */
    public boolean isMuted() {
        return ChatSettings.muted(client, conversationId);
    }

    /** Mutes or unmutes this chat (kept on this computer for the account); the status line says it. */
    public void mute(boolean muted) {
        ChatSettings.muted(client, conversationId, muted);
        if (client.state() == ConnectionState.ONLINE) {
            showStatus(typingText);
        }
    }

    private void showStatus(String text) {
        if (!status.isDisposed()) {
            status.setText(text.isEmpty() && client.state() == ConnectionState.ONLINE && isMuted()
                    ? Messages.MuteChat_muted : text);
        }
    }

    /** The entry row: contributed actions, the entry field, and Send. */
    private void composer(Composite parent) {
        List<ComposerActions.Contribution> actions = ComposerActions.load();
        composerActions = actions;
        for (ComposerActions.Contribution a : actions) {
            Control strip = safely(a, () -> a.action().createStatusControl(parent, composerContext()));
            if (strip != null) {
                GridDataFactory.fillDefaults().grab(true, false).applyTo(strip);
            }
        }
        replyBanner(parent);
        Composite row = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(actions.size() + 3).spacing(4, 0).applyTo(row);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(row);
        for (ComposerActions.Contribution a : actions) {
            Button b = new Button(row, SWT.PUSH);
            b.setText(a.label());
            b.setToolTipText(a.tooltip());
            b.setData("parley.composerAction", a.id());
            b.addListener(SWT.Selection, e -> a.action().run(composerContext()));
            GridDataFactory.fillDefaults().align(SWT.FILL, SWT.CENTER).applyTo(b);
        }
        editBanner = new Label(parent, SWT.NONE);
        editBanner.setText(Messages.EditMessage_banner);
        editBanner.setForeground(display.getSystemColor(SWT.COLOR_DARK_BLUE));
        editBanner.setData("org.parley.chat.editBanner", Boolean.TRUE);
        GridDataFactory.fillDefaults().grab(true, false).exclude(true).applyTo(editBanner);
        editBanner.setVisible(false);
        editBanner.moveAbove(row);
        input = new Text(row, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL);
        input.setMessage("Write a message — Enter sends, Shift+Enter for a new line");
        input.setData(Toasts.ENTRY, Boolean.TRUE); // desktop notifications keep clear of it
        GridDataFactory.fillDefaults().grab(true, false).hint(SWT.DEFAULT, 56).applyTo(input);
        input.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.ESC && replyTo != 0 && !mentions.isOpen()) {
                e.doit = false;
                cancelReply();
                return;
            }
            if ((e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) && (e.stateMask & SWT.SHIFT) == 0
                    && !mentions.isOpen()) { // with the member completion open, Enter chooses a member
                e.doit = false;
                if (editing != null) {
                    saveEdit();
                } else {
                    send();
                }
            } else if (e.keyCode == SWT.ESC && editing != null && !mentions.isOpen()) {
                e.doit = false;
                stopEditing();
            } else if (e.keyCode == SWT.ARROW_UP && e.stateMask == 0 && editing == null
                    && input.getText().isEmpty()) {
                // as in Slack: Up in an empty entry field edits one's last message
                Chat.ChatMessage last = history.lastOwnText(client.user());
                if (last != null) {
                    e.doit = false;
                    startEditing(last);
                }
            }
        });
        // "@" opens the completion of the members (after the listener above: it sees the popup still open)
        mentions = new MentionProposals(input, this::mentionable);
        // The unsent draft stays with the chat (tab switches, closing it, signing out, restarts): kept per account
        // and conversation in this computer's preferences.
        String draft = ChatSettings.draft(client, conversationId);
        if (!draft.isEmpty()) {
            input.setText(draft);
            input.setSelection(draft.length());
        }
        input.addListener(SWT.Modify, e -> {
            if (editing != null) {
                return; // the text being edited is neither typing to announce nor the draft
            }
            typingSender.textChanged(input.getText());
            ChatSettings.draft(client, conversationId, input.getText());
        });
        input.addListener(SWT.FocusOut, e -> {
            typingSender.stopped();
            ChatSettings.save();
        });
        input.addListener(SWT.Traverse, e -> {
            if (e.detail == SWT.TRAVERSE_TAB_NEXT || e.detail == SWT.TRAVERSE_TAB_PREVIOUS) {
                e.doit = true; // Tab leaves the entry field (keyboard users reach the history and the buttons)
            }
        });
        FileDrops.install(this::acceptFiles, history.control(), input);
        Button send = new Button(row, SWT.PUSH);
        send.setText("Send");
        send.setImage(Icons.image(Icons.SEND));
        send.setToolTipText("Send the message (Enter)");
        send.addListener(SWT.Selection, e -> send());
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.CENTER).applyTo(send);
    }

    /** The "Replying to Ann: first line… ✕" strip above the entry field, hidden until a reply starts. */
    private void replyBanner(Composite parent) {
        replyBanner = new Composite(parent, SWT.NONE);
        replyBanner.setData("org.parley.chat.replyBanner", Boolean.TRUE);
        GridLayoutFactory.fillDefaults().numColumns(2).margins(6, 2).spacing(6, 0).applyTo(replyBanner);
        GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
        data.exclude = true;
        replyBanner.setLayoutData(data);
        replyBanner.setVisible(false);
        replyBanner.setBackground(display.getSystemColor(SWT.COLOR_WIDGET_LIGHT_SHADOW));
        replyLabel = new Label(replyBanner, SWT.NONE);
        replyLabel.setBackground(replyBanner.getBackground());
        GridDataFactory.fillDefaults().grab(true, false).align(SWT.FILL, SWT.CENTER).applyTo(replyLabel);
        Button cancel = new Button(replyBanner, SWT.PUSH | SWT.FLAT);
        cancel.setText("✕");
        cancel.setToolTipText(Messages.Reply_cancel);
        cancel.setData("org.parley.chat.replyCancel", Boolean.TRUE);
        cancel.addListener(SWT.Selection, e -> {
            cancelReply();
            input.setFocus();
        });
    }

    /** The next message sent answers {@code message}: the banner says so, and the entry field takes the keys. */
    void replyTo(Chat.ChatMessage message, ReplyQuotes.Quote quote) {
        replyTo = message.seq();
        String line = quote.line();
        replyLabel.setText(org.eclipse.osgi.util.NLS.bind(Messages.Reply_banner, quote.sender(),
                (line.length() > 80 ? line.substring(0, 80) + "…" : line).replace("&", "&&")));
        showReplyBanner(true);
        input.setFocus();
    }

    /** No reply any more (Esc, ✕, or the reply was sent). */
    void cancelReply() {
        replyTo = 0;
        showReplyBanner(false);
    }

    private void showReplyBanner(boolean show) {
        ((GridData) replyBanner.getLayoutData()).exclude = !show;
        replyBanner.setVisible(show);
        replyBanner.getParent().layout(true, true);
    }

    /** What the "Replying to" banner says, or null when it is hidden (for tests). */
    public String replyBannerText() {
        return replyBanner.isVisible() ? replyLabel.getText() : null;
    }

    /** The message the next one sent answers; 0 when none (for tests). */
    public long replyingTo() {
        return replyTo;
    }

    /**
     * A message link clicked in this chat ({@link MessageLinks}): its chat opens at that message; a link to a
     * conversation the user is not a member of says so in the status line.
     */
    void openMessageLink(String link) {
        MessageLinks.Target target = MessageLinks.parse(link);
        if (target == null) {
            showStatus(Messages.Links_cannotOpen);
            return;
        }
        if (target.conversationId() == conversationId) {
            history.showMessage(target.seq());
            return;
        }
        client.listConversations().whenComplete((all, error) -> display.asyncExec(() -> {
            if (status.isDisposed()) {
                return;
            }
            Conversations.ConversationInfo c = all == null ? null : all.stream()
                    .filter(x -> x.id() == target.conversationId()).findFirst().orElse(null);
            if (c == null) {
                showStatus(error != null ? Messages.Links_cannotOpen : Messages.Links_notAMember);
                return;
            }
            if (partService == null || models == null || application == null
                    || !org.parley.ui.ChatOpener.open(partService, models, application, c)) {
                showStatus(Messages.Links_cannotOpen);
                return;
            }
            MPart other = org.parley.ui.ChatOpener.find(partService, c.id());
            if (other != null && other.getObject() instanceof ChatPart chat) {
                chat.showMessage(target.seq());
            }
        }));
    }

    /** What the status line under the history says (for tests). */
    public String statusText() {
        return status.getText();
    }

    /** Files dropped or pasted: the first composer action that takes them gets them. */
    private boolean acceptFiles(List<java.nio.file.Path> files) {
        for (ComposerActions.Contribution a : composerActions) {
            Boolean taken = safely(a, () -> a.action().acceptFiles(composerContext(), files));
            if (Boolean.TRUE.equals(taken)) {
                return true;
            }
        }
        showStatus(composerActions.isEmpty() ? "Files cannot be sent here: the file transfer plug-in is not installed"
                : "No plug-in took the files");
        return false;
    }

    /** A contribution's bug is logged and does not break the chat. */
    private static <T> T safely(ComposerActions.Contribution a, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException | LinkageError e) {
            org.eclipse.core.runtime.ILog.of(ChatPart.class).error("composer action " + a.id() + " failed", e);
            return null;
        }
    }

    private ComposerContext composerContext() {
        return new Context();
    }

    /**
     * Edits {@code message} in the entry field: what was typed there is put aside (and comes back after), the
     * message's text takes its place, and "Editing message — Esc to cancel" shows above it.
     */
    void startEditing(Chat.ChatMessage message) {
        if (editing == null) {
            draftBeforeEditing = input.getText();
        }
        editing = message;
        editBanner.setText(message.kind() == Chat.Kind.TEXT ? Messages.EditMessage_banner
                : Messages.EditCaption_banner);
        editBanner.setVisible(true);
        ((org.eclipse.swt.layout.GridData) editBanner.getLayoutData()).exclude = false;
        editBanner.getParent().layout(true, true);
        input.setText(message.text());
        input.setSelection(message.text().length());
        input.setFocus();
        showStatus("");
    }

    /** Leaves editing: the field gets back what was typed before. */
    private void stopEditing() {
        if (editing == null) {
            return;
        }
        editing = null;
        if (!editBanner.isDisposed()) {
            editBanner.setVisible(false);
            ((org.eclipse.swt.layout.GridData) editBanner.getLayoutData()).exclude = true;
            editBanner.getParent().layout(true, true);
            input.setText(draftBeforeEditing);
            input.setSelection(draftBeforeEditing.length());
        }
        draftBeforeEditing = "";
    }

    /**
     * Enter while editing: the new text to the server (the history changes when it is stored). A file's or
     * picture's caption may be emptied; a text message needs text.
     */
    private void saveEdit() {
        Chat.ChatMessage m = editing;
        String text = input.getText().strip();
        if (text.isEmpty() && m.kind() == Chat.Kind.TEXT) {
            showStatus(Messages.EditMessage_needsText);
            return;
        }
        stopEditing();
        if (text.equals(m.text().strip())) {
            return; // nothing changed
        }
        client.editMessage(conversationId, m.seq(), text).whenComplete((sent, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                        : error;
                display.asyncExec(() -> {
                    if (!status.isDisposed()) {
                        showStatus(org.eclipse.osgi.util.NLS.bind(Messages.EditMessage_failed, cause.getMessage()));
                    }
                });
            }
        });
    }

    /** The message being edited in the entry field, or null (for tests). */
    public Chat.ChatMessage editing() {
        return editing;
    }

    /** What contributions get: this chat, and the entry field. */
    private final class Context implements ComposerContext, SnippetRenderer.OpenerSource, HistoryInput.Replying,
            TextRenderer.MessageLinkOpener, ChatEditing {
        @Override
        public void replyTo(Chat.ChatMessage message, ReplyQuotes.Quote quote) {
            ChatPart.this.replyTo(message, quote);
        }

        @Override
        public void openMessageLink(String link) {
            ChatPart.this.openMessageLink(link);
        }

        @Override
        public void startEditing(Chat.ChatMessage message) {
            ChatPart.this.startEditing(message);
        }

        @Override
        public boolean isGroupAdmin() {
            return info != null && client.isAdmin(info);
        }

        @Override
        public org.parley.chat.ui.SnippetOpener snippetOpener() {
            return eclipseContext == null ? null : eclipseContext.get(org.parley.chat.ui.SnippetOpener.class);
        }

        @Override
        public long conversationId() {
            return conversationId;
        }

        @Override
        public ParleyClient client() {
            return client;
        }

        @Override
        public Shell shell() {
            return root.getShell();
        }

        @Override
        public void insertText(String text) {
            input.insert(text);
            input.setFocus();
        }

        @Override
        public long takeReply() {
            long answers = replyTo;
            cancelReply();
            return answers;
        }
    }

    /** "Mute Notifications" in the history's context menu, checked while the chat is muted. */
    private void muteMenuItem(org.eclipse.swt.widgets.Menu menu) {
        new org.eclipse.swt.widgets.MenuItem(menu, SWT.SEPARATOR);
        org.eclipse.swt.widgets.MenuItem mute = new org.eclipse.swt.widgets.MenuItem(menu, SWT.CHECK);
        mute.setText(Messages.MuteChat_menu);
        mute.addListener(SWT.Selection, e -> mute(mute.getSelection()));
        menu.addListener(SWT.Show, e -> mute.setSelection(isMuted()));
    }

    /** The members one can mention: everyone in the conversation but the user, by display name. */
    private List<MentionProposals.Member> mentionable() {
        if (info == null) {
            return List.of();
        }
        List<String> users = info.members().stream().map(Conversations.Member::user).toList();
        return users.stream().filter(u -> !u.equals(client.user()))
                .map(u -> new MentionProposals.Member(u, client.names().of(u)))
                .sorted(java.util.Comparator.comparing(MentionProposals.Member::displayName,
                        String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    /** Senders are named by their display names, with the user name where two members share one. */
    private void members(Conversations.ConversationInfo c) {
        info = c;
        boolean group = c.kind() == Conversations.Kind.GROUP;
        if (group) {
            if (memberPanel == null) {
                memberPanel = new MemberPanel(root, client, canAddMembers() ? this::addMembers : null);
                root.layout(true, true);
            }
            memberPanel.members(c);
        }
        List<String> users = c.members().stream().map(Conversations.Member::user).toList();
        history.names(user -> client.names().among(user, users));
        // the tab: a group renamed by a member meanwhile, a 1:1's other user by display name (its tooltip with the
        // user name)
        String tip = c.kind() != Conversations.Kind.DIRECT ? null : users.stream()
                .filter(u -> !u.equals(client.user())).findFirst().map(other -> org.eclipse.osgi.util.NLS.bind(
                        Messages.ChatTab_directTip, client.names().of(other), other)).orElse(null);
        org.parley.ui.ChatOpener.label(part, org.parley.ui.ChatOpener.label(client, c), tip);
        // people met only by user name (not contacts): their display names asked once; namesChanged shows them
        org.parley.ui.NameLookup.learn(client, users);
    }

    /** A display name learnt or changed (a search found it, a later contact list renamed it): shown at once. */
    private void nameChanged(String user) {
        display.asyncExec(() -> {
            if (!status.isDisposed() && info != null
                    && info.members().stream().anyMatch(m -> m.user().equals(user))) {
                members(info);
                history.marksChanged();
                typists.refresh();
            }
        });
    }

    /** The contacts plug-in's Add members command, when it is installed. */
    private static final String ADD_MEMBERS = "org.parley.contacts.ui.command.addMembers";

    private org.eclipse.e4.core.contexts.IEclipseContext commandContext() {
        org.eclipse.e4.core.contexts.IEclipseContext c = org.eclipse.e4.core.contexts.EclipseContextFactory.create(
                "chat command");
        c.set(org.eclipse.e4.ui.services.IServiceConstants.ACTIVE_SELECTION, info);
        c.set(org.eclipse.e4.ui.services.IServiceConstants.ACTIVE_SHELL, root.getShell());
        return c;
    }

    private boolean canAddMembers() {
        if (handlers == null || commands == null || commands.getCommand(ADD_MEMBERS) == null
                || !commands.getCommand(ADD_MEMBERS).isDefined()) {
            return false;
        }
        org.eclipse.e4.core.contexts.IEclipseContext c = commandContext();
        try {
            return handlers.canExecute(commands.createCommand(ADD_MEMBERS, null), c);
        } finally {
            c.dispose();
        }
    }

    private void addMembers() {
        org.eclipse.e4.core.contexts.IEclipseContext c = commandContext();
        try {
            handlers.executeHandler(commands.createCommand(ADD_MEMBERS, null), c);
        } finally {
            c.dispose();
        }
    }

    private void takeMarks(Conversations.ConversationInfo c) {
        for (var m : c.members()) {
            if (!m.user().equals(client.user())) {
                marks.put(m.user(), new long[] {m.deliveredUpTo(), m.readUpTo()});
            }
        }
    }

    /** The newest message is in view: it is read if the user is looking at this chat. */
    private void markRead() {
        long newest = history.lastSeq();
        if (newest > markedRead && looking()) {
            markedRead = newest;
            client.markRead(conversationId, newest);
        }
    }

    /**
     * Whether the user sees this chat now: its window is not minimized and has the keyboard (is in front), its tab
     * is the one showing, and the user has touched keyboard or mouse within the idle time of the preferences.
     */
    private boolean looking() {
        Shell shell = root.getShell();
        return shell.isVisible() && !shell.getMinimized() && display.getActiveShell() == shell
                && (partService == null || partService.isPartVisible(part)) && !activity.idle();
    }

    /** The user may have come back (they acted, or the window came forward): what they see now is read. */
    private void lookAgain() {
        if (!root.isDisposed() && history.isFollowingTail()) {
            markRead();
        }
    }

    /** The window came forward (activated or restored): the active chat takes the keyboard. */
    private void windowActivated() {
        if (root.isDisposed()) {
            return;
        }
        if (partService != null && partService.getActivePart() == part && !input.isFocusControl()
                && root.getShell() == display.getActiveShell()) {
            input.setFocus();
        }
        lookAgain();
    }

    /** A character typed into the history goes to the entry field, which takes the focus. */
    private void forwardTyping(Event e) {
        boolean command = (e.stateMask & (SWT.CTRL | SWT.ALT | SWT.COMMAND)) != 0;
        if (!command && e.character >= ' ' && e.character != SWT.DEL) {
            e.doit = false;
            input.setFocus();
            input.insert(String.valueOf(e.character));
        }
    }

    private void send() {
        String text = input.getText().strip();
        if (text.isEmpty()) {
            return;
        }
        input.setText("");
        ChatSettings.save(); // the draft is gone on disk too
        typingSender.stopped();
        history.clearDivider(); // the user has answered: what was new is seen
        // Stored: messageSent. Offline: kept and resent by the client, shown waiting meanwhile. Refused for good
        // (too large, no longer a member, ...): shown with the reason, and the text can be had back.
        String id = org.parley.protocol.ClientIds.next();
        outbox.sending(id, text);
        long answers = replyTo;
        cancelReply();
        client.send(conversationId, id, text, answers).whenComplete((sent, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                        : error;
                display.asyncExec(() -> {
                    if (!status.isDisposed()) {
                        outbox.refused(id, text, cause.getMessage());
                    }
                });
            }
        });
    }

    /** A refused message's "Edit": its text back into the entry field, after what is there. */
    private void editAgain(String text) {
        input.setText(input.getText().isBlank() ? text : input.getText().stripTrailing() + "\n" + text);
        input.setSelection(input.getText().length());
        input.setFocus();
    }

    /** The history, for tests (this package is visible to the UI tests only). */
    public HistoryView history() {
        return history;
    }

    @Focus
    void focus() {
        input.setFocus();
        if (history.isFollowingTail()) {
            markRead();
        }
    }

    @PreDestroy
    void dispose() {
        ChatSettings.save(); // the draft, kept as typed
        client.removeListener(listener);
        typingSender.stopped();
    }
}
