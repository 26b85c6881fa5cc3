package org.parley.server.messages;

import org.parley.protocol.message.Chat.Kind;

/**
 * A message as stored. {@code clientMessageId} is "" for SYSTEM messages; {@code attachments} are opaque bytes
 * (encoded by the message service), empty when there are none; {@code replyTo} is the seq of the message of the same
 * conversation this one answers (0: none).
 */
public record StoredMessage(long conversationId, long seq, long senderId, String clientMessageId, Kind kind,
        long timestamp, String text, byte[] attachments, long replyTo) {

    /** A message that answers no other one. */
    public StoredMessage(long conversationId, long seq, long senderId, String clientMessageId, Kind kind,
            long timestamp, String text, byte[] attachments) {
        this(conversationId, seq, senderId, clientMessageId, kind, timestamp, text, attachments, 0);
    }
}
