package org.parley.protocol;

import java.util.HashMap;
import java.util.Map;

import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Reactions;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;

/**
 * The numeric type code of every message. Codes are grouped by area in the high byte; a code is never reused.
 * 0x06xx is reserved for media; 0x07xx is administration; 0x08xx is search.
 */
public final class MessageTypes {

    private static final Map<Integer, Class<? extends Message>> BY_CODE = new HashMap<>();
    private static final Map<Class<? extends Message>, Integer> BY_CLASS = new HashMap<>();

    static {
        // 0x00xx: session
        add(0x0001, Session.Hello.class);
        add(0x0002, Session.Welcome.class);
        add(0x0003, Session.ErrorReply.class);
        add(0x0004, Session.Ok.class);
        add(0x0005, Session.Ping.class);
        add(0x0006, Session.Pong.class);
        // 0x01xx: accounts
        add(0x0101, Accounts.Register.class);
        add(0x0102, Accounts.Login.class);
        add(0x0103, Accounts.Resume.class);
        add(0x0104, Accounts.LoggedIn.class);
        add(0x0105, Accounts.Logout.class);
        add(0x0106, Accounts.DisableAccount.class);
        add(0x0107, Accounts.ChangePassword.class);
        add(0x0108, Accounts.ResetPassword.class);
        // 0x02xx: contacts and presence
        add(0x0201, Contacts.SearchUsers.class);
        add(0x0202, Contacts.UserList.class);
        add(0x0203, Contacts.ListContacts.class);
        add(0x0204, Contacts.ContactList.class);
        add(0x0205, Contacts.RequestContact.class);
        add(0x0206, Contacts.AnswerContact.class);
        add(0x0207, Contacts.RemoveContact.class);
        add(0x0208, Contacts.SetPresence.class);
        add(0x0209, Contacts.ContactRequested.class);
        add(0x020A, Contacts.ContactAdded.class);
        add(0x020B, Contacts.ContactDeclined.class);
        add(0x020C, Contacts.ContactRemoved.class);
        add(0x020D, Contacts.PresenceChanged.class);
        // 0x0234-0x0235: display names (version 2)
        add(0x0234, Contacts.SetDisplayName.class);
        add(0x0235, Contacts.DisplayNameChanged.class);
        // 0x03xx: conversations
        add(0x0301, Conversations.ConversationInfo.class);
        add(0x0302, Conversations.OpenDirect.class);
        add(0x0303, Conversations.CreateGroup.class);
        add(0x0304, Conversations.Rename.class);
        add(0x0305, Conversations.AddMembers.class);
        add(0x0306, Conversations.RemoveMember.class);
        add(0x0307, Conversations.Leave.class);
        add(0x0308, Conversations.ListConversations.class);
        add(0x0309, Conversations.ConversationList.class);
        add(0x030A, Conversations.ConversationUpdated.class);
        add(0x030B, Conversations.ConversationRemoved.class);
        add(0x030C, Conversations.SetRole.class);
        // 0x04xx: messages
        add(0x0401, Chat.Send.class);
        add(0x0402, Chat.Sent.class);
        add(0x0403, Chat.NewMessage.class);
        add(0x0404, Chat.FetchAfter.class);
        add(0x0405, Chat.FetchBefore.class);
        add(0x0406, Chat.MessagePage.class);
        add(0x0407, Chat.MarkDelivered.class);
        add(0x0408, Chat.MarkRead.class);
        add(0x0409, Chat.ReceiptChanged.class);
        add(0x040A, Chat.Typing.class);
        add(0x040B, Chat.TypingChanged.class);
        add(0x040C, Chat.Edit.class);
        add(0x040D, Chat.Delete.class);
        // 0x0410-0x0414: reactions (version 2)
        add(0x0410, Reactions.AddReaction.class);
        add(0x0411, Reactions.RemoveReaction.class);
        add(0x0412, Reactions.ReactionChanged.class);
        add(0x0413, Reactions.FetchReactions.class);
        add(0x0414, Reactions.ReactionUpdates.class);
        // 0x05xx: file transfer
        add(0x0501, Transfers.UploadStart.class);
        add(0x0502, Transfers.UploadReady.class);
        add(0x0503, Transfers.UploadChunk.class);
        add(0x0504, Transfers.UploadFinish.class);
        add(0x0505, Transfers.UploadDone.class);
        add(0x0506, Transfers.UploadCancel.class);
        add(0x0507, Transfers.FetchChunk.class);
        add(0x0508, Transfers.FileChunk.class);
        add(0x0509, Transfers.StatFile.class);
        add(0x050A, Transfers.FileInfo.class);
        // 0x07xx: administration
        add(0x0701, Admin.CreateInvitation.class);
        add(0x0702, Admin.InvitationCreated.class);
        add(0x0703, Admin.ListInvitations.class);
        add(0x0704, Admin.InvitationList.class);
        add(0x0705, Admin.RevokeInvitation.class);
        add(0x0706, Admin.CreateAccount.class);
        add(0x0707, Admin.CreatePasswordReset.class);
        add(0x0708, Admin.PasswordResetCode.class);
        add(0x0709, Admin.SetAdmin.class);
        add(0x070A, Admin.EnableAccount.class);
        add(0x070B, Admin.ReadAuditLog.class);
        add(0x070C, Admin.AuditPage.class);
        add(0x070D, Admin.ListUsers.class);
        add(0x070E, Admin.UserPage.class);
        add(0x070F, Admin.ListGroups.class);
        add(0x0710, Admin.GroupPage.class);
        add(0x0711, Admin.DeleteGroup.class);
        add(0x0712, Admin.GetServerStatus.class);
        add(0x0713, Admin.ServerStatus.class);
        // 0x08xx: search
        add(0x0801, Search.SearchMessages.class);
        add(0x0802, Search.SearchResults.class);
        add(0x0803, Search.FetchAround.class);
        add(0x0804, Search.AroundPage.class);
    }

    private static void add(int code, Class<? extends Message> type) {
        if (BY_CODE.put(code, type) != null || BY_CLASS.put(type, code) != null) {
            throw new IllegalStateException("duplicate message type " + code + " " + type);
        }
    }

    /** The class registered under {@code code}, or null when the code is unknown. */
    public static Class<? extends Message> classOf(int code) {
        return BY_CODE.get(code);
    }

    /** The code of a message class; fails for a class that is not registered (a programming error). */
    public static int codeOf(Class<? extends Message> type) {
        Integer code = BY_CLASS.get(type);
        if (code == null) {
            throw new IllegalArgumentException("not a registered message type: " + type.getName());
        }
        return code;
    }

    /** All registered message classes, for documentation and tests. */
    public static Map<Integer, Class<? extends Message>> all() {
        return Map.copyOf(BY_CODE);
    }

    private MessageTypes() {
    }
}
