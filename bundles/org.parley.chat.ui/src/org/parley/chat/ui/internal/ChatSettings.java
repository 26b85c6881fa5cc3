package org.parley.chat.ui.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;
import org.parley.client.core.ParleyClient;

/**
 * What the user keeps per chat on this computer, per account (server and user name) and conversation: the unsent
 * draft and whether the chat is muted. In the instance-scope preferences of this plug-in (node
 * {@code org.parley.chat.ui/chats/<user@host:port>/<conversation id>}), never on the server; written to disk when
 * it changes (a draft: when the chat closes, loses the keyboard, or the application quits).
 */
public final class ChatSettings {

    private static final String DRAFT = "draft";
    private static final String MUTED = "muted";

    private ChatSettings() {
    }

    private static IEclipsePreferences root() {
        return InstanceScope.INSTANCE.getNode("org.parley.chat.ui");
    }

    private static Preferences chat(ParleyClient client, long conversationId) {
        String account = client.user() + "@" + client.config().host() + ":" + client.config().port();
        return root().node("chats").node(URLEncoder.encode(account, StandardCharsets.UTF_8))
                .node(String.valueOf(conversationId));
    }

    /** The unsent draft of a chat ("" when none). */
    public static String draft(ParleyClient client, long conversationId) {
        return chat(client, conversationId).get(DRAFT, "");
    }

    /** Keeps (or, blank, forgets) a chat's draft; {@link #save} writes it to disk. */
    static void draft(ParleyClient client, long conversationId, String text) {
        Preferences p = chat(client, conversationId);
        if (text == null || text.isBlank()) {
            p.remove(DRAFT);
        } else {
            p.put(DRAFT, text);
        }
    }

    /** Whether the chat is muted (no toast, no sound; mentions of the user still notify). */
    public static boolean muted(ParleyClient client, long conversationId) {
        return chat(client, conversationId).getBoolean(MUTED, false);
    }

    /** Mutes or unmutes a chat, at once on disk. */
    public static void muted(ParleyClient client, long conversationId, boolean muted) {
        Preferences p = chat(client, conversationId);
        if (muted) {
            p.putBoolean(MUTED, true);
        } else {
            p.remove(MUTED);
        }
        save();
    }

    /** Writes what changed to disk. */
    static void save() {
        try {
            root().flush();
        } catch (BackingStoreException e) {
            org.eclipse.core.runtime.ILog.of(ChatSettings.class).warn("chat settings not saved", e);
        }
    }
}
