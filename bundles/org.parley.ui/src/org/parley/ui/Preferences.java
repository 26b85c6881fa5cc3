package org.parley.ui;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

/** Parley's user preferences (instance scope, node {@code org.parley.ui}), with their defaults. */
public final class Preferences {

    public static final String NOTIFICATIONS = "notifications";
    public static final String SOUND = "sound";
    public static final String MAX_RECONNECT_SECONDS = "maxReconnectSeconds";
    public static final String IDLE_MINUTES = "idleMinutes";
    public static final String ORGANIZATION_CA_FILE = "organizationCaFile";

    private Preferences() {
    }

    public static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode("org.parley.ui");
    }

    /** Desktop notifications for messages in chats that are not in front. Default on. */
    public static boolean notifications() {
        return node().getBoolean(NOTIFICATIONS, true);
    }

    /** A sound with each notification. Default off. */
    public static boolean sound() {
        return node().getBoolean(SOUND, false);
    }

    /** The longest wait between two reconnection attempts. Default 30 s. */
    public static int maxReconnectSeconds() {
        return Math.max(1, Math.min(600, node().getInt(MAX_RECONNECT_SECONDS, 30)));
    }

    /**
     * After this many minutes without a key or mouse event in Parley the user counts as away: messages arriving in
     * the chat in front are delivered, not read, until the user acts again. Default 5, from 1 to 120.
     */
    public static int idleMinutes() {
        return Math.max(1, Math.min(120, node().getInt(IDLE_MINUTES, 5)));
    }

    /**
     * A PEM file of the organization's own certificate authority: servers whose certificate it issued for their
     * name are trusted without a question, like those of the system's CAs. Default none (""). Looked up in the
     * user's preferences, then in the product's ({@code plugin_customization.ini}), so that an organization can
     * deploy it.
     */
    public static String organizationCaFile() {
        return org.eclipse.core.runtime.Platform.getPreferencesService().getString("org.parley.ui",
                ORGANIZATION_CA_FILE, "", null).strip();
    }

    public static void save() {
        try {
            node().flush();
        } catch (BackingStoreException e) {
            // preferences are a convenience; the values stay in effect for this session
        }
    }
}
