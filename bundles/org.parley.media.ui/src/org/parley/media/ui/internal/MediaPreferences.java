package org.parley.media.ui.internal;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

/** The media plug-in's preferences (instance scope, node {@code org.parley.media.ui}). */
public final class MediaPreferences {

    public static final String AUTOPLAY = "autoplay";

    private MediaPreferences() {
    }

    static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode("org.parley.media.ui");
    }

    /** Whether a video or a sound starts playing as soon as it is opened. Default on. */
    public static boolean autoplay() {
        return node().getBoolean(AUTOPLAY, true);
    }

    static void autoplay(boolean on) {
        node().putBoolean(AUTOPLAY, on);
        try {
            node().flush();
        } catch (BackingStoreException e) {
            // in effect for this session
        }
    }
}
