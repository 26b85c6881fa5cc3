package org.parley.server.accounts;

/**
 * A stored invitation (only its code's SHA-256 is kept). {@code usedBy} is 0 and {@code usedAt} 0 while it is
 * unused; times are epoch milliseconds.
 */
public record Invitation(long id, long createdBy, long createdAt, long expiresAt, long usedBy, long usedAt,
        boolean revoked) {
}
