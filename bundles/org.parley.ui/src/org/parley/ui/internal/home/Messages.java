package org.parley.ui.internal.home;

import org.eclipse.osgi.util.NLS;

/** The chat area's empty state's strings (messages.properties). */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.ui.internal.home.messages";

    public static String Home_label;
    public static String Home_title;
    public static String Home_text;
    public static String Home_addContact;
    public static String Home_newGroup;
    public static String Home_nothingToStart;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
