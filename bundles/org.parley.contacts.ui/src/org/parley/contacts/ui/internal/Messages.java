package org.parley.contacts.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The contacts plug-in's user-visible strings (messages.properties). */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.contacts.ui.internal.messages";

    public static String Sidebar_filter;
    public static String Sidebar_addContact;
    public static String Sidebar_newGroup;
    public static String Sidebar_conversations;
    public static String Sidebar_requests;
    public static String Sidebar_contacts;
    public static String Sidebar_emptyTitle;
    public static String Sidebar_emptyNoContacts;
    public static String Sidebar_emptyWithContacts;
    public static String Sidebar_nothingMatches;
    public static String Preview_sender;
    public static String Preview_you;
    public static String Preview_photo;
    public static String Preview_video;
    public static String Preview_file;
    public static String Preview_none;
    public static String Time_yesterday;
    public static String Row_unread;
    public static String Row_read;
    public static String Request_incoming;
    public static String Request_outgoing;
    public static String Request_incomingLine;
    public static String Request_outgoingLine;
    public static String Request_accept;
    public static String Request_decline;
    public static String Request_cancel;
    public static String Contact_tooltip;
    public static String Presence_online;
    public static String Presence_away;
    public static String Presence_offline;
    public static String Menu_open;
    public static String Menu_markRead;
    public static String Menu_copyUser;
    public static String Menu_removeContact;
    public static String Menu_leaveGroup;
    public static String Menu_renameGroup;
    public static String Rename_title;
    public static String Rename_message;
    public static String Rename_empty;
    public static String Rename_tooLong;
    public static String Menu_addMembers;
    public static String Confirm_removeTitle;
    public static String Confirm_remove;
    public static String Confirm_removeButton;
    public static String Confirm_leaveTitle;
    public static String Confirm_leave;
    public static String Confirm_leaveButton;
    public static String Confirm_answerTitle;
    public static String Confirm_answer;
    public static String Error_title;
    public static String NoChatPlugin;
    public static String Picker_newGroupShell;
    public static String Picker_newGroupTitle;
    public static String Picker_newGroupMessage;
    public static String Picker_addShell;
    public static String Picker_addTitle;
    public static String Picker_addMessage;
    public static String Picker_name;
    public static String Picker_search;
    public static String Picker_nameNeeded;
    public static String Picker_pickSomeone;
    public static String Picker_nobody;
    public static String Picker_create;
    public static String Picker_add;
    public static String Picker_chip;
    public static String Picker_chipTip;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
