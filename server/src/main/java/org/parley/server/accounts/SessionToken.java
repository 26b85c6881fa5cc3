package org.parley.server.accounts;

/** A resumable session. Only the SHA-256 of the token the client holds is stored. Times are epoch ms. */
public record SessionToken(byte[] tokenHash, long accountId, String device, long createdAt, long expiresAt) {
}
