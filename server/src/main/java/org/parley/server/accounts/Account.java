package org.parley.server.accounts;

/** A user account. {@code name} is canonical lower case and never changes; {@code passwordHash} is a PHC string. */
public record Account(long id, String name, String displayName, String passwordHash, boolean disabled,
        boolean admin, long createdAt) {
}
