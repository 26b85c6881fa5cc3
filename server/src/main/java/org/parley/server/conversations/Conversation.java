package org.parley.server.conversations;

import org.parley.protocol.message.Conversations.Kind;

/** A conversation. {@code lastSeq} is the sequence number of its newest message (0 = none). */
public record Conversation(long id, Kind kind, String title, long lastSeq, long createdAt) {
}
