package org.parley.server.conversations;

import java.util.concurrent.CompletableFuture;

/**
 * Writes a SYSTEM message ("ann added bob") into a conversation's history, through the same ordered write path
 * as user messages, so that membership changes are ordered with the messages around them.
 */
@FunctionalInterface
public interface SystemMessages {

    /** Posts the message; completes with its sequence number once it is stored. */
    CompletableFuture<Long> post(long conversationId, long actorId, String text);
}
