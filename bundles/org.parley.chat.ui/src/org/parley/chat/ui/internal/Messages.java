package org.parley.chat.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The chat plug-in's user-visible strings (messages.properties), for what was added with the chat's habits. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.chat.ui.internal.messages";

    public static String HistoryView_newMessages;
    public static String Toasts_clickToOpen;
    public static String ChatNotifications_title;
    public static String ChatNotifications_groupTitle;
    public static String ChatNotifications_many;
    public static String SearchDialog_allTitle;
    public static String SearchDialog_chatTitle;
    public static String SearchDialog_placeholder;
    public static String SearchDialog_hintAll;
    public static String SearchDialog_hintChat;
    public static String SearchDialog_more;
    public static String SearchDialog_open;
    public static String SearchDialog_searching;
    public static String SearchDialog_failed;
    public static String SearchDialog_none;
    public static String SearchDialog_count;
    public static String SearchDialog_countMore;
    public static String SearchDialog_incomplete;
    public static String SearchDialog_stillLoading;
    public static String SearchDialog_noChat;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
