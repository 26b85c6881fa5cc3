package org.parley.protocol.message;

import java.util.List;

/**
 * Administration: invitations, accounts, password resets and the audit log. Every request here is refused with
 * FORBIDDEN for a caller who is not an administrator, except {@link CreateInvitation} when the server lets every
 * user invite (setting {@code users-may-invite}). Every change an administrator makes is written to the audit log.
 */
public final class Admin {

    /** Makes a single-use invitation code for registering. Answer: {@link InvitationCreated}. */
    public record CreateInvitation() implements Message {
    }

    /** A new invitation: {@code code} is shown only this once; it expires at {@code expiresAt} (epoch ms). */
    public record InvitationCreated(long id, String code, long expiresAt) implements Message {
    }

    /** Lists invitations, newest first (unused, used, expired and revoked ones). Answer: {@link InvitationList}. */
    public record ListInvitations() implements Message {
    }

    /**
     * One invitation. {@code usedBy} is the account that registered with it ("" while unused); times are epoch ms,
     * {@code usedAt} 0 while unused.
     */
    public record InvitationInfo(long id, String createdBy, long createdAt, long expiresAt, String usedBy,
            long usedAt, boolean revoked) {
    }

    /** Answer to {@link ListInvitations}. */
    public record InvitationList(List<InvitationInfo> invitations) implements Message {
    }

    /** Revokes an unused invitation: its code no longer registers anyone. Answer: Ok. */
    public record RevokeInvitation(long id) implements Message {
    }

    /** Creates an account (whatever the registration policy). Answer: Ok. */
    public record CreateAccount(String user, String password, String displayName) implements Message {
    }

    /**
     * Makes a one-time code with which the user sets a new password ({@link Accounts.ResetPassword}); an earlier
     * unused code of the same user stops working. Answer: {@link PasswordResetCode}.
     */
    public record CreatePasswordReset(String user) implements Message {
    }

    /** Answer to {@link CreatePasswordReset}: the code, shown only this once, valid until {@code expiresAt}. */
    public record PasswordResetCode(String user, String code, long expiresAt) implements Message {
    }

    /** Makes a user an administrator ({@code admin} true) or not. Answer: Ok. */
    public record SetAdmin(String user, boolean admin) implements Message {
    }

    /** Enables an account disabled by {@link Accounts.DisableAccount}. Answer: Ok. */
    public record EnableAccount(String user) implements Message {
    }

    /**
     * Reads the audit log, newest first: entries with an id below {@code beforeId} (0 = from the newest), at most
     * {@code limit} (1 to 200; 0 = 50). Answer: {@link AuditPage}.
     */
    public record ReadAuditLog(long beforeId, int limit) implements Message {
    }

    /** One administrative action: who did it ({@code actor}), what, when (epoch ms), to whom ({@code target}). */
    public record AuditEntry(long id, long at, String actor, String action, String target, String detail) {
    }

    /** Answer to {@link ReadAuditLog}; {@code more} is true when older entries exist. */
    public record AuditPage(List<AuditEntry> entries, boolean more) implements Message {
    }

    /**
     * Lists accounts as administrators see them, disabled ones included, ordered by name: those whose name or
     * display name contains {@code query} (case-insensitively; "" = every account) and whose name comes after
     * {@code afterUser} ("" = from the first), at most {@code limit} (1 to 200; 0 = 50). Answer: {@link UserPage}.
     */
    public record ListUsers(String query, String afterUser, int limit) implements Message {
    }

    /**
     * One account as an administrator sees it. {@code admin} is true for an administrator by the account's flag or
     * by the server setting {@code admins}; {@code createdAt} and {@code lastLoginAt} are epoch ms,
     * {@code lastLoginAt} the start of the newest session the account still holds (a login with the password; 0
     * when it holds none); {@code quotaUsed} is the bytes counted against its file quota; {@code connections} its
     * live connections now.
     */
    public record UserSummary(String user, String displayName, boolean admin, boolean disabled, long createdAt,
            long lastLoginAt, long quotaUsed, int connections) {
    }

    /** Answer to {@link ListUsers}; {@code more} is true when more accounts match after the last one. */
    public record UserPage(List<UserSummary> users, boolean more) implements Message {
    }

    /**
     * Lists groups (not direct conversations) by id, with their members: groups with an id above {@code afterId}
     * (0 = from the first), at most {@code limit} (1 to 100; 0 = 20). Answer: {@link GroupPage}.
     */
    public record ListGroups(long afterId, int limit) implements Message {
    }

    /**
     * One group: {@code members} are its members' names, ordered by name, all {@code memberCount} of them unless
     * the list alone would not fit in one frame (then it is cut to fit). Times are epoch ms.
     */
    public record GroupSummary(long id, String title, long createdAt, long lastSeq, int memberCount,
            List<String> members) {
    }

    /**
     * Answer to {@link ListGroups}. A page may hold fewer groups than asked so that it fits in one frame;
     * {@code more} is true when groups with higher ids exist.
     */
    public record GroupPage(List<GroupSummary> groups, boolean more) implements Message {
    }

    /**
     * Deletes a group for everyone: its messages and files are deleted, every member gets
     * {@link Conversations.ConversationRemoved}. Answer: Ok.
     */
    public record DeleteGroup(long id) implements Message {
    }

    /** Asks how the server is doing. Answer: {@link ServerStatus}. */
    public record GetServerStatus() implements Message {
    }

    /**
     * Answer to {@link GetServerStatus}. {@code startedAt} and {@code now} are epoch ms (uptime = now − startedAt);
     * {@code connections} are logged-in connections, {@code onlineUsers} the accounts with at least one;
     * {@code storedBytes} the bytes of file content held (identical content counted once), {@code freeBytes} the
     * free space where it is kept (-1 when unknown); {@code quotaBytes} each user's file quota (setting
     * {@code file-quota-bytes}).
     */
    public record ServerStatus(String version, long startedAt, long now, int connections, int onlineUsers,
            long accounts, long storedBytes, long freeBytes, long quotaBytes) implements Message {
    }

    private Admin() {
    }
}
