package org.parley.server.accounts;

/**
 * A user account. {@code name} is canonical lower case and never changes; {@code passwordHash} is a PHC string for
 * a local account and empty for a directory account, whose password lives in the directory; {@code directoryDn}
 * is the DN of a directory account's entry (null for a local account).
 */
public record Account(long id, String name, String displayName, String passwordHash, boolean disabled,
        boolean admin, long createdAt, String directoryDn) {

    /** A local account. */
    public Account(long id, String name, String displayName, String passwordHash, boolean disabled, boolean admin,
            long createdAt) {
        this(id, name, displayName, passwordHash, disabled, admin, createdAt, null);
    }

    /** Whether the account signs in through the directory (its password is not Parley's). */
    public boolean fromDirectory() {
        return directoryDn != null;
    }
}
