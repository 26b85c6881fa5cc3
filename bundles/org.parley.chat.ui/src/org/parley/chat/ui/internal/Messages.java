package org.parley.chat.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The chat plug-in's user-visible strings (messages.properties), for what was added with the chat's habits. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.chat.ui.internal.messages";

    public static String HistoryView_newMessages;
    public static String Reactions_you;
    public static String Reactions_and;
    public static String Reactions_whoReacted;
    public static String Reactions_more;
    public static String Reactions_pickerTitle;
    public static String Reactions_filter;
    public static String Reactions_failedTitle;
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

    public static String Reply_banner;
    public static String ChatTab_directTip;
    public static String Reply_cancel;
    public static String Reply_loading;
    public static String Reply_unavailable;
    public static String Reply_deleted;
    public static String Reply_photo;
    public static String Reply_video;
    public static String Reply_audio;
    public static String Reply_file;
    public static String Reply_showOriginal;
    public static String Links_notAMember;
    public static String Links_cannotOpen;
    public static String Links_open;
    public static String Links_copied;
    public static String History_edited;
    public static String History_deleted;
    public static String EditMessage_banner;
    public static String EditCaption_banner;
    public static String EditMessage_needsText;
    public static String EditMessage_failed;
    public static String DeleteMessage_title;
    public static String DeleteMessage_question;
    public static String DeleteMessage_othersQuestion;
    public static String DeleteMessage_button;
    public static String DeleteMessage_failed;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
