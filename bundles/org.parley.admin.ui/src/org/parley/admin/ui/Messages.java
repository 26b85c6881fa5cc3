package org.parley.admin.ui;

import org.eclipse.osgi.util.NLS;

/** The Administration plug-in's user-visible strings (messages.properties). */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.admin.ui.messages";

    public static String Admin_title;
    public static String Admin_notAdmin;
    public static String Admin_working;
    public static String Admin_failed;
    public static String Tab_users;
    public static String Tab_invitations;
    public static String Tab_groups;
    public static String Tab_status;
    public static String Tab_audit;
    public static String Users_search;
    public static String Users_refresh;
    public static String Users_more;
    public static String Users_create;
    public static String Users_disable;
    public static String Users_enable;
    public static String Users_reset;
    public static String Users_makeAdmin;
    public static String Users_unmakeAdmin;
    public static String Users_columns;
    public static String Users_yes;
    public static String Users_never;
    public static String Users_disabled;
    public static String Users_enabled;
    public static String Users_createTitle;
    public static String Users_createName;
    public static String Users_createPassword;
    public static String Users_createDisplayName;
    public static String Users_resetTitle;
    public static String Users_resetMessage;
    public static String Users_confirmDisable;
    public static String Invitations_create;
    public static String Invitations_revoke;
    public static String Invitations_columns;
    public static String Invitations_created;
    public static String Invitations_unused;
    public static String Invitations_revoked;
    public static String Groups_delete;
    public static String Groups_columns;
    public static String Groups_confirmDelete;
    public static String Status_text;
    public static String Status_unknown;
    public static String Audit_columns;
    public static String Audit_older;
    public static String Done;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
