package org.parley.ui.internal;

import org.eclipse.osgi.util.NLS;

/** The application's user-visible strings (messages.properties) for the account dialogs and certificate trust. */
public final class Messages extends NLS {

    private static final String BUNDLE_NAME = "org.parley.ui.internal.messages";

    public static String Login_shellTitle;
    public static String Login_title;
    public static String Login_message;
    public static String Login_createTitle;
    public static String Login_createMessage;
    public static String Login_resetTitle;
    public static String Login_resetMessage;
    public static String Login_server;
    public static String Login_port;
    public static String Login_user;
    public static String Login_password;
    public static String Login_newPassword;
    public static String Login_confirmPassword;
    public static String Login_displayName;
    public static String Login_invitation;
    public static String Login_invitationHint;
    public static String Login_resetCode;
    public static String Login_createCheck;
    public static String Login_stay;
    public static String Login_stayTooltip;
    public static String Login_forgotLink;
    public static String Login_backLink;
    public static String Login_signInButton;
    public static String Login_createButton;
    public static String Login_resetButton;
    public static String Login_portNotANumber;
    public static String Login_badServer;
    public static String Login_userMissing;
    public static String Login_passwordMissing;
    public static String Login_passwordsDiffer;
    public static String Login_resetCodeMissing;
    public static String Login_signingIn;
    public static String Login_signingInAs;
    public static String Login_creating;
    public static String Login_resetting;
    public static String Login_cancelled;
    public static String Login_sessionEnded;
    public static String Login_passwordRefused;
    public static String Login_nameTaken;
    public static String Login_invitationNeeded;
    public static String Login_registrationRefused;
    public static String Login_resetCodeWrong;
    public static String Login_caFileUnusable;
    public static String Trust_firstTitle;
    public static String Trust_first;
    public static String Trust_changedTitle;
    public static String Trust_changed;
    public static String DisplayName_shellTitle;
    public static String DisplayName_title;
    public static String DisplayName_message;
    public static String DisplayName_label;
    public static String DisplayName_button;
    public static String DisplayName_failed;
    public static String ChangePassword_shellTitle;
    public static String ChangePassword_title;
    public static String ChangePassword_message;
    public static String ChangePassword_current;
    public static String ChangePassword_new;
    public static String ChangePassword_confirm;
    public static String ChangePassword_button;
    public static String ChangePassword_changing;
    public static String ChangePassword_currentMissing;
    public static String ChangePassword_wrongCurrent;
    public static String ChangePassword_sameAsOld;
    public static String ChangePassword_failed;
    public static String ChangePassword_doneTitle;
    public static String ChangePassword_done;
    public static String Invite_shellTitle;
    public static String Invite_title;
    public static String Invite_message;
    public static String Invite_creating;
    public static String Invite_code;
    public static String Invite_expires;
    public static String Invite_copy;
    public static String Invite_copied;
    public static String Invite_forbidden;
    public static String Invite_failed;
    public static String About_title;
    public static String About_text;
    public static String About_noBuild;
    public static String About_unknown;

    static {
        NLS.initializeMessages(BUNDLE_NAME, Messages.class);
    }

    private Messages() {
    }
}
