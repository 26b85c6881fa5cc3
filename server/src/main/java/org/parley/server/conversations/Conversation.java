package org.parley.server.conversations;

import org.parley.protocol.message.Conversations.Kind;

/**
 * A conversation. {@code lastSeq} is the sequence number of its newest message (0 = none); {@code reactionRevision}
 * counts the changes to its reactions (0 = none), read with the row so that every node reports the stored one.
 */
public record Conversation(long id, Kind kind, String title, long lastSeq, long createdAt, long reactionRevision) {

    /** A conversation whose reactions never changed. */
    public Conversation(long id, Kind kind, String title, long lastSeq, long createdAt) {
        this(id, kind, title, lastSeq, createdAt, 0);
    }
}
