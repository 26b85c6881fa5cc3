package org.parley.server.messages;

import org.parley.server.conversations.MessageAuthors;
import java.util.List;

import org.parley.protocol.message.Chat.Kind;

/** Storage port of the messages feature. */
public interface MessageStore extends MessageAuthors {

    /**
     * A message to store; the store assigns its sequence number. {@code replyTo}: the seq of the message of the same
     * conversation it answers (0: none), checked by the caller. An EDIT or DELETE draft changes the message
     * {@code targetSeq} of the same conversation (see {@link #append}); a DELETE names the files of that message's
     * attachments in {@code fileIds}, to be deleted with it.
     */
    record Draft(long conversationId, long senderId, String clientMessageId, Kind kind, long timestamp, String text,
            byte[] attachments, long replyTo, long targetSeq, List<String> fileIds) {

        /** A draft that answers and changes no other message. */
        public Draft(long conversationId, long senderId, String clientMessageId, Kind kind, long timestamp,
                String text, byte[] attachments) {
            this(conversationId, senderId, clientMessageId, kind, timestamp, text, attachments, 0, 0, List.of());
        }

        /** A draft that answers message {@code replyTo}. */
        public Draft(long conversationId, long senderId, String clientMessageId, Kind kind, long timestamp,
                String text, byte[] attachments, long replyTo) {
            this(conversationId, senderId, clientMessageId, kind, timestamp, text, attachments, replyTo, 0, List.of());
        }

        /** An EDIT or DELETE draft. */
        public Draft(long conversationId, long senderId, String clientMessageId, Kind kind, long timestamp,
                String text, byte[] attachments, long targetSeq, List<String> fileIds) {
            this(conversationId, senderId, clientMessageId, kind, timestamp, text, attachments, 0, targetSeq, fileIds);
        }
    }

    /** What became of a draft: the stored message, and whether it was a resend of one stored earlier. */
    record AppendResult(StoredMessage message, boolean duplicate) {
    }

    /**
     * Stores a batch in ONE durable transaction (group commit). For each draft in order: if the sender already
     * stored a message with the same non-empty client message id (earlier, or earlier in this batch), the result
     * is that message, flagged duplicate; otherwise the draft gets the conversation's next sequence number, is
     * stored, and the conversation's last sequence number and the sender's delivered and read marks move to it.
     * Returns once the transaction is durable; on failure nothing of the batch is stored. A draft whose
     * conversation does not exist (a group deleted meanwhile) fails the batch with a
     * {@link org.parley.server.common.MissingConversationException} naming it.
     *
     * <p>A new EDIT or DELETE draft is stored as an entry like any other (its own seq, deduplicated the same way)
     * and, in the same transaction, changes its target: an EDIT gives the target its text and {@code editedAt} =
     * the draft's timestamp, and gives every EDIT entry of that target the same text (so that no earlier version
     * stays readable); a DELETE makes the target a tombstone (text "", no attachments, {@code deleted}), blanks
     * the text of its EDIT entries, and deletes the files {@code fileIds} (their content is discarded when no
     * other file uses it, and they no longer count against their owner's quota). An EDIT of a message deleted
     * meanwhile changes nothing and is stored without text.
     */
    List<AppendResult> append(List<Draft> drafts);

    /** The message numbered {@code seq} in a conversation, as stored now. */
    java.util.Optional<StoredMessage> message(long conversationId, long seq);

    /** Messages with seq &gt; {@code afterSeq}, oldest first, at most {@code limit}. */
    List<StoredMessage> after(long conversationId, long afterSeq, int limit);

    /** The newest messages with seq &lt; {@code beforeSeq} (0 = from the newest), returned oldest first. */
    List<StoredMessage> before(long conversationId, long beforeSeq, int limit);

    long lastSeq(long conversationId);

    /** A conversation's last sequence number (for the search index's catch-up). */
    record LastSeq(long conversationId, long lastSeq) {
    }

    /** Every conversation that holds messages, with its last sequence number, by conversation id. */
    List<LastSeq> lastSeqs();

    /** Whether the sender has stored a message with that (non-empty) client message id, in any conversation. */
    boolean clientIdUsed(long senderId, String clientMessageId);

    /**
     * The time of a conversation's newest entry, if it has any: conversation lists are ordered by it (else by the
     * conversation's creation time).
     */
    default java.util.OptionalLong lastActivity(long conversationId) {
        long last = lastSeq(conversationId);
        return last == 0 ? java.util.OptionalLong.empty()
                : message(conversationId, last).map(m -> java.util.OptionalLong.of(m.timestamp()))
                        .orElse(java.util.OptionalLong.empty());
    }

    /**
     * Forgets every entry of a conversation (a group deleted for good), with its client ids; nothing when it has
     * none. Called after the conversation itself is deleted.
     */
    void deleteConversation(long conversationId);
}
