package org.parley.server.messages;

import org.parley.protocol.message.Chat.Kind;

/**
 * A message as stored. {@code clientMessageId} is "" for SYSTEM messages; {@code attachments} are opaque bytes
 * (encoded by the message service), empty when there are none; {@code replyTo} is the seq of the message of the same
 * conversation this one answers (0: none). {@code editedAt} is when its text was last edited (0 = never),
 * {@code deleted} marks a tombstone (text "" and no attachments), and {@code targetSeq} is, for an entry of kind EDIT
 * or DELETE, the message it changes (0 otherwise).
 */
public record StoredMessage(long conversationId, long seq, long senderId, String clientMessageId, Kind kind,
        long timestamp, String text, byte[] attachments, long replyTo, long editedAt, boolean deleted, long targetSeq) {

    /** A message that answers no other one, never edited nor deleted, that changes no other. */
    public StoredMessage(long conversationId, long seq, long senderId, String clientMessageId, Kind kind,
            long timestamp, String text, byte[] attachments) {
        this(conversationId, seq, senderId, clientMessageId, kind, timestamp, text, attachments, 0, 0, false, 0);
    }

    /** A message that answers message {@code replyTo}. */
    public StoredMessage(long conversationId, long seq, long senderId, String clientMessageId, Kind kind,
            long timestamp, String text, byte[] attachments, long replyTo) {
        this(conversationId, seq, senderId, clientMessageId, kind, timestamp, text, attachments, replyTo, 0, false, 0);
    }

    /** A message or an edit/delete entry that answers no other one. */
    public StoredMessage(long conversationId, long seq, long senderId, String clientMessageId, Kind kind,
            long timestamp, String text, byte[] attachments, long editedAt, boolean deleted, long targetSeq) {
        this(conversationId, seq, senderId, clientMessageId, kind, timestamp, text, attachments, 0, editedAt, deleted,
                targetSeq);
    }

    /** Whether this entry edits or deletes another message. */
    public boolean isChange() {
        return kind == Kind.EDIT || kind == Kind.DELETE;
    }

    /** This entry with another text (an edit on a message deleted in the same batch keeps no text). */
    public StoredMessage withText(String newText) {
        return new StoredMessage(conversationId, seq, senderId, clientMessageId, kind, timestamp, newText,
                attachments, replyTo, editedAt, deleted, targetSeq);
    }
}
