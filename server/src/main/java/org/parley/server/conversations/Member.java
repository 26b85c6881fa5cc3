package org.parley.server.conversations;

/** A member of a conversation with how far messages have reached them (sequence numbers, 0 = none). */
public record Member(long conversationId, long accountId, long deliveredUpTo, long readUpTo) {
}
