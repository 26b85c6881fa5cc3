package org.parley.server.conversations;

import java.util.List;

/**
 * What receipts and unread counts need from the message store: who wrote which messages of a conversation (a read
 * mark moved over one's own messages is not a receipt for anyone), and which entries edit or delete another message
 * or are SYSTEM lines (they are not counted as unread). A port of this package that the message store implements, so
 * that conversations do not depend on messages.
 */
public interface MessageAuthors {

    /** The sender of the message {@code seq}. */
    record Authorship(long seq, long senderId) {
    }

    /** Who wrote each message with {@code afterSeq} &lt; seq &le; {@code upToSeq}, oldest first. */
    List<Authorship> authors(long conversationId, long afterSeq, long upToSeq);

    /**
     * The sequence numbers of the entries that are not unread: those of kind EDIT or DELETE (docs/protocol.md,
     * "Editing and deleting messages") and the SYSTEM lines, with seq &gt; {@code afterSeq}, ascending.
     */
    long[] changesAfter(long conversationId, long afterSeq);
}
