package org.parley.server.reactions;

/** One user's emoji on one message, as stored; {@code createdAt} (epoch ms) orders a message's reactions. */
public record StoredReaction(long conversationId, long seq, long accountId, String emoji, long createdAt) {
}
