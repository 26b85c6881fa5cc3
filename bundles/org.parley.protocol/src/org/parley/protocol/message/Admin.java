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

    private Admin() {
    }
}
