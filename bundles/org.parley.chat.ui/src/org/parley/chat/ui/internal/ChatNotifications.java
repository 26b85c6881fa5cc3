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

    @Inject
    @Optional // absent when signing in was cancelled and Parley is closing
    ParleyClient client;

    private ClientListener listener;
    private volatile MPart activePart;

    @Inject
    void activePart(@Optional @Named(IServiceConstants.ACTIVE_PART) MPart part) {
        activePart = part;
    }

    @PostConstruct
    void start() {
        if (client == null) {
            return;
        }
        Display display = Display.getCurrent();
        listener = ParleyUi.onDisplay(client, display, new ClientListener() {
            @Override
            public void message(Chat.ChatMessage m) {
                if (m.kind() == Chat.Kind.SYSTEM || !Preferences.notifications() || isInFront(display, m)) {
                    return;
                }
                String text = m.text().length() > 200 ? m.text().substring(0, 200) + "…" : m.text();
                if (!m.attachments().isEmpty()) { // a file arrived: say which, with its caption if any
                    Chat.Attachment a = m.attachments().get(0);
                    String what = a.mediaType().startsWith("image/") ? "a picture"
                            : a.mediaType().startsWith("video/") ? "a video" : "a file";
                    text = "sent " + what + ": " + a.name() + (text.isBlank() ? "" : " — " + text);
                }
                lastShown = m.sender() + ": " + text;
                NotificationPopup.forDisplay(display).title("Parley — " + m.sender(), false).text(text)
                        .delay(6000).open();
                if (Preferences.sound()) {
                    display.beep();
                }
            }
        });
    }

    private boolean isInFront(Display display, Chat.ChatMessage m) {
        MPart part = activePart;
        Shell active = display.getActiveShell();
        return active != null && part != null
                && String.valueOf(m.conversationId()).equals(part.getPersistedState().get(ParleyUi.CONVERSATION_ID));
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
