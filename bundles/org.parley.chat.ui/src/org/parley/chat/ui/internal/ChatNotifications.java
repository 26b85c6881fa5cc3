package org.parley.chat.ui.internal;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.jface.notifications.NotificationPopup;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Chat;
import org.parley.ui.ParleyUi;
import org.parley.ui.Preferences;

/**
 * A model add-on of the chat plug-in: a desktop notification (and, if wanted, a sound) for each message that
 * arrives in a conversation the user is not looking at. Off in the preferences, or when the chat is in front of
 * an active window.
 */
public class ChatNotifications {

    /** The most recent popup's text, for tests and accessibility tools. */
    static volatile String lastShown;
    /** Popups shown so far (for tests). */
    static volatile int shown;

    /** Absent when signing in was cancelled and Parley is closing; in an IDE, until the user signs in. */
    ParleyClient client;
    private boolean started;

    private ClientListener listener;
    private volatile MPart activePart;

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
        listener = ParleyUi.onDisplay(client, display, new ClientListener() {
            @Override
            public void message(Chat.ChatMessage m) {
                if (m.kind() == Chat.Kind.SYSTEM || !Preferences.notifications() || isInFront(display, m)) {
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
        });
    }

    /** At most one popup per {@value #QUIET_MILLIS} ms: thousands of messages caught up must not mean thousands. */
    private static final long QUIET_MILLIS = 2000;
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
        if (waiting.size() == 1) {
            Chat.ChatMessage m = waiting.get(0);
            title = "Parley — " + m.sender();
            text.append(describe(m));
            lastShown = m.sender() + ": " + describe(m);
        } else {
            title = "Parley — " + waiting.size() + " new messages";
            waiting.stream().skip(Math.max(0, waiting.size() - 3)).forEach(m -> text.append(text.isEmpty() ? "" : "\n")
                    .append(m.sender()).append(": ").append(describe(m)));
            if (waiting.size() > 3) {
                text.insert(0, "… and " + (waiting.size() - 3) + " more\n");
            }
            lastShown = title.substring("Parley — ".length()) + "\n" + text;
        }
        waiting.clear();
        lastPopup = System.currentTimeMillis();
        shown++;
        NotificationPopup.forDisplay(display).title(title, false).text(text.toString()).delay(6000).open();
        if (Preferences.sound()) {
            display.beep();
        }
    }

    /** The message as a notification says it: its text, or for a file what arrived (with its caption). */
    private static String describe(Chat.ChatMessage m) {
        java.util.Optional<org.parley.chat.ui.Snippet> snippet = org.parley.chat.ui.Snippet.parse(m.text());
        if (snippet.isPresent()) {
            return "sent code: " + snippet.get().title();
        }
        String text = shorten(m.text());
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

    private boolean isInFront(Display display, Chat.ChatMessage m) {
        MPart part = activePart;
        Shell active = display.getActiveShell();
        return active != null && part != null
                && String.valueOf(m.conversationId()).equals(part.getPersistedState().get(ParleyUi.CONVERSATION_ID));
    }

    /** How many popups were shown so far. */
    public static int shownCount() {
        return shown;
    }

    /** What the last notification said (null if none yet). */
    public static String lastShown() {
        return lastShown;
    }

    @PreDestroy
    void stop() {
        if (client != null) {
            client.removeListener(listener);
        }
    }
}
