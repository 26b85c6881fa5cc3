package org.parley.protocol.message;

/** Registration, login, session resumption, logout and account administration. */
public final class Accounts {

    /** Creates an account and logs the connection in. Answer: {@link LoggedIn}. */
    public record Register(String user, String password, String displayName, String device) implements Message {
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

    private Accounts() {
    }
}
