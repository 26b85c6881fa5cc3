package org.parley.server.messages;

import org.parley.protocol.message.Chat.Kind;

/**
 * A message as stored. {@code clientMessageId} is "" for SYSTEM messages; {@code attachments} are opaque bytes
 * (encoded by the message service), empty when there are none.
 */
public record StoredMessage(long conversationId, long seq, long senderId, String clientMessageId, Kind kind,
        long timestamp, String text, byte[] attachments) {
}
