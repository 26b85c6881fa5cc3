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
    public static String ChatNotifications_mentioned;
    public static String MuteChat_muted;
    public static String MuteChat_menu;
    public static String TextRenderer_open;
    public static String TextRenderer_notOpened;

    public static String MemberPanel_title;
    public static String MemberPanel_add;
    public static String MemberPanel_addTip;
    public static String MemberPanel_you;
    public static String MemberPanel_tip;
    public static String MemberPanel_tipNoPresence;
    public static String MemberPanel_online;
    public static String MemberPanel_away;
    public static String MemberPanel_offline;
    public static String MemberPanel_admin;
    public static String MemberPanel_tipAdmin;
    public static String MemberPanel_makeAdmin;
    public static String MemberPanel_removeAdmin;
    public static String MemberPanel_remove;
    public static String MemberPanel_confirmTitle;
    public static String MemberPanel_confirm;
    public static String MemberPanel_confirmButton;
    public static String MemberPanel_errorTitle;

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
    public static String NotificationsPage_description;
    public static String NotificationsPage_notifications;
    public static String NotificationsPage_sound;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
