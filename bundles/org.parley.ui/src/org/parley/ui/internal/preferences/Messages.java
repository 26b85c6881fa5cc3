package org.parley.ui.internal.preferences;

import org.eclipse.osgi.util.NLS;

/** The strings of Parley &gt; Preferences… and of the application's own pages (General, Connection). */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.ui.internal.preferences.messages";

    public static String Dialog_title;
    public static String Dialog_brokenPage;
    public static String General_description;
    public static String General_idle;
    public static String General_idleTooltip;
    public static String Connection_description;
    public static String Connection_reconnect;
    public static String Connection_caFile;
    public static String Connection_caFileTooltip;
    public static String Connection_browse;
    public static String Connection_caFileMissing;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
