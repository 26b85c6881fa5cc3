package org.parley.chat.ui.internal;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Conversations;
import org.parley.ui.ChatOpener;
import org.parley.ui.ParleyUi;
import org.parley.ui.Preferences;

/**
 * A model add-on of the chat plug-in: a desktop notification ({@link Toasts}: one column at the top right of the
 * work area, clear of the active window's entry field) and, if wanted, a sound for each message that arrives in a
 * conversation the user is not looking at (its chat is not the visible tab of the focused window). A toast names
 * the sender by display name and a group by its title ("Release team — Ann Lee"); clicking it opens the chat. Off
 * in the preferences.
 */
public class ChatNotifications {

    /** Absent when signing in was cancelled and Parley is closing; in an IDE, until the user signs in. */
    ParleyClient client;
    private boolean started;

    private ClientListener listener;
    private volatile MPart activePart;
    /** Where chats are opened and their tabs looked at; absent in tests without a workbench. */
    @Inject
    @Optional
    EPartService partService;
    @Inject
    @Optional
    EModelService modelService;
    @Inject
    @Optional
    MApplication application;
    private Toasts toasts;
    /** The conversations as last heard (titles and kinds for the toasts), by id; display thread only. */
    private final java.util.Map<Long, Conversations.ConversationInfo> conversations = new java.util.HashMap<>();

    @Inject
    void activePart(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part) {
        activePart = part;
    }

    /**
     * The signed-in client: in the Parley application it is there from the start; inside an Eclipse IDE it comes
     * and goes as the user signs in and out (the context injects it again).
     */
    @Inject
    void client(@Optional ParleyClient signedIn) {
        if (signedIn == client) {
            return;
        }
        if (client != null && listener != null) {
            client.removeListener(listener);
            listener = null;
        }
        client = signedIn;
        if (started) {
            start();
        }
    }

    @PostConstruct
    void start() {
        started = true;
        if (client == null || listener != null) {
            return;
        }
        Display display = Display.getDefault();
        if (toasts == null) {
            toasts = new Toasts(display);
        }
        ParleyClient c = client;
        c.listConversations().thenAccept(all -> display.asyncExec(() -> all.forEach(this::remember)));
        c.listContacts(); // the contacts' display names, for the toasts
        listener = ParleyUi.onDisplay(client, display, new ClientListener() {
            @Override
            public void conversationUpdated(Conversations.ConversationInfo conversation) {
                remember(conversation);
            }

            @Override
            public void message(Chat.ChatMessage m) {
                if (m.kind() == Chat.Kind.SYSTEM || !Preferences.notifications() || isInFront(display, m)) {
                    return;
                }
                // a muted chat notifies only of messages that mention the user
                if (ChatSettings.muted(c, m.conversationId()) && !mentionsMe(c, m)) {
                    return;
                }
                if (c.names().knows(m.sender()) && lookups.isDone()) {
                    notifyOf(display, m);
                } else { // someone who is not a contact: the toast names them once their display name is asked
                    // (in order: a message waits for the lookups of those before it)
                    lookups = lookups.thenCompose(x -> org.parley.ui.NameLookup.learn(c,
                            java.util.List.of(m.sender()))).thenRun(() -> {
                                if (!display.isDisposed()) {
                                    display.asyncExec(() -> notifyOf(display, m));
                                }
                            });
                }
            }
        });
    }

    /** The display names being asked for toasts (the last in the chain); touched on the display thread. */
    private java.util.concurrent.CompletableFuture<Void> lookups =
            java.util.concurrent.CompletableFuture.completedFuture(null);

    private void notifyOf(Display display, Chat.ChatMessage m) {
        if (display.isDisposed()) {
            return;
        }
        waiting.add(m);
        long since = System.currentTimeMillis() - lastPopup;
        if (!scheduled) { // the first at once; a burst (catching up after a reconnect) as one summary
            scheduled = true;
            display.timerExec((int) Math.max(0, Math.min(QUIET_MILLIS, QUIET_MILLIS - since)),
                    () -> show(display));
        }
    }

    /** At most one popup per {@value #QUIET_MILLIS} ms: thousands of messages caught up must not mean thousands. */
    private static final long QUIET_MILLIS = 2000;
    /** How long a toast shows (longer while the pointer rests on it). */
    private static final int TOAST_MILLIS = 10_000;
    private final java.util.List<Chat.ChatMessage> waiting = new java.util.ArrayList<>();
    private long lastPopup;
    private boolean scheduled;

    private void show(Display display) {
        scheduled = false;
        if (waiting.isEmpty() || display.isDisposed()) {
            return;
        }
        String title;
        StringBuilder text = new StringBuilder();
        Chat.ChatMessage newest = waiting.get(waiting.size() - 1);
        if (waiting.size() == 1) {
            title = mentionsMe(client, newest) ? NLS.bind(Messages.ChatNotifications_mentioned, from(newest))
                    : from(newest);
            text.append(describe(newest));
        } else {
            title = NLS.bind(Messages.ChatNotifications_many, waiting.size());
            waiting.stream().skip(Math.max(0, waiting.size() - 3)).forEach(m -> text.append(text.isEmpty() ? "" : "\n")
                    .append(from(m)).append(": ").append(describe(m)));
            if (waiting.size() > 3) {
                text.insert(0, "… and " + (waiting.size() - 3) + " more\n");
            }
        }
        waiting.clear();
        lastPopup = System.currentTimeMillis();
        long conversation = newest.conversationId();
        toasts.show(title, text.toString(), TOAST_MILLIS, () -> open(conversation));
        if (Preferences.sound()) {
            display.beep();
        }
    }

    /** Whether the message mentions the signed-in user (Markdown#mentions). */
    private static boolean mentionsMe(ParleyClient client, Chat.ChatMessage m) {
        return m.text().contains(Markdown.MENTION_PREFIX) && Markdown.mentions(m.text()).contains(client.user());
    }

    /**
     * The message as a notification says it: its text as shown (without Markdown's marks, mentions by display
     * name), or for a file what arrived (with its caption).
     */
    private String describe(Chat.ChatMessage m) {
        java.util.Optional<org.parley.chat.ui.Snippet> snippet = org.parley.chat.ui.Snippet.parse(m.text());
        if (snippet.isPresent()) {
            return "sent code: " + snippet.get().title();
        }
        String text = shorten(Markdown.format(m.text(), u -> client.names().knows(u) ? client.names().of(u) : null)
                .text());
        if (m.attachments().isEmpty()) {
            return text;
        }
        Chat.Attachment a = m.attachments().get(0);
        String what = a.mediaType().startsWith("image/") ? "a picture"
                : a.mediaType().startsWith("video/") ? "a video"
                : a.mediaType().startsWith("audio/") ? "a sound" : "a file";
        return "sent " + what + ": " + a.name() + (text.isBlank() ? "" : " \u2014 " + text);
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** Who a message is from, as a toast says it: "Ann Lee", or in a group "Release team — Ann Lee". */
    private String from(Chat.ChatMessage m) {
        String name = client.names().of(m.sender());
        Conversations.ConversationInfo c = conversations.get(m.conversationId());
        return c != null && c.kind() == Conversations.Kind.GROUP
                ? NLS.bind(Messages.ChatNotifications_groupTitle, c.title(), name)
                : NLS.bind(Messages.ChatNotifications_title, name);
    }

    private void remember(Conversations.ConversationInfo c) {
        conversations.put(c.id(), c);
    }

    /** A toast was clicked: its chat opens (brought forward if open) and its window comes to the front. */
    private void open(long conversationId) {
        if (partService == null || modelService == null || application == null) {
            return;
        }
        Conversations.ConversationInfo c = conversations.get(conversationId);
        if (c == null) {
            return;
        }
        MPart open = ChatOpener.find(partService, conversationId);
        if (open != null && open.getWidget() instanceof Control control && !control.isDisposed()) {
            Shell shell = control.getShell();
            shell.setMinimized(false);
            shell.forceActive();
        }
        ChatOpener.open(partService, modelService, application, c);
    }

    /**
     * Whether the user is looking at the message's chat: its tab is the visible one in the window that has the
     * keyboard (not minimized). Without a part service (tests), the active part in the active window.
     */
    private boolean isInFront(Display display, Chat.ChatMessage m) {
        Shell active = display.getActiveShell();
        if (active == null || active.getMinimized()) {
            return false;
        }
        if (partService != null) {
            MPart part;
            try {
                part = ChatOpener.find(partService, m.conversationId());
            } catch (IllegalStateException noWorkbenchWindowActive) {
                // The application's part service follows the active workbench window; another window of the
                // process has the keyboard (a dialog, another tool): the user is not looking at a chat.
                return false;
            }
            return part != null && part.getWidget() instanceof Control control && !control.isDisposed()
                    && control.getShell() == active && control.isVisible() && partService.isPartVisible(part);
        }
        MPart part = activePart;
        return part != null
                && String.valueOf(m.conversationId()).equals(part.getPersistedState().get(ParleyUi.CONVERSATION_ID));
    }

    /** The toasts shown now, top to bottom (for tests). */
    public java.util.List<Shell> toasts() {
        return toasts == null ? java.util.List.of() : toasts.shown();
    }

    @PreDestroy
    void stop() {
        if (client != null) {
            client.removeListener(listener);
        }
    }
}
