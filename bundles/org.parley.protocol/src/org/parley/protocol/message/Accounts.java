package org.parley.protocol.message;

/** Registration, login, session resumption, logout and account administration. */
public final class Accounts {

    /**
     * Creates an account and logs the connection in. Answer: {@link LoggedIn}. {@code invitation} is the code of an
     * invitation (server setting {@code registration=invite}); empty when registration is open, and for the first
     * account of a new server (which becomes its administrator).
     */
    public record Register(String user, String password, String displayName, String device, String invitation)
            implements Message {

        /** A registration without an invitation code (open registration, or a server's first account). */
        public Register(String user, String password, String displayName, String device) {
            this(user, password, displayName, device, "");
        }
    }

    /** Logs in with a password. Answer: {@link LoggedIn}. */
    public record Login(String user, String password, String device) implements Message {
    }

    /** Logs in with a session token from an earlier {@link LoggedIn} (reconnect). Answer: {@link LoggedIn}. */
    public record Resume(String token, String device) implements Message {
    }

    /**
     * Answer to Register, Login and Resume. {@code token} resumes this session after a reconnect until
     * {@code tokenExpiresAt} (epoch milliseconds); Resume returns the same token with a renewed expiry.
     */
    public record LoggedIn(String user, String displayName, String token, long tokenExpiresAt, boolean admin)
            implements Message {
    }

    /** Ends the session and revokes its token. Answer: Ok; the server then closes the connection. */
    public record Logout() implements Message {
    }

    /** Admin only: disables an account, revokes its tokens and disconnects its sessions. Answer: Ok. */
    public record DisableAccount(String user) implements Message {
    }

    /**
     * Changes the caller's password. Answer: Ok; every other session of the account is then revoked (its token
     * deleted, its connections closed with INVALID_TOKEN). This session stays logged in.
     */
    public record ChangePassword(String oldPassword, String newPassword) implements Message {
    }

    /**
     * Before login: sets a new password with a one-time reset code an administrator made
     * ({@link Admin.CreatePasswordReset}), revokes every session of the account and logs the connection in.
     * Answer: {@link LoggedIn}.
     */
    public record ResetPassword(String user, String code, String newPassword, String device) implements Message {
    }

    private Accounts() {
    }
}
