package org.parley.server.conversations;

import java.util.Arrays;

/**
 * Unread counts of one conversation (docs/protocol.md, "Receipts and unread counts"): for a read mark, the entries
 * after it up to {@code lastSeq} less those that edit or delete another message and the SYSTEM lines
 * ({@code changes}: their seqs after the lowest mark asked about, ascending). An edit, a deletion or a group change
 * is no new message to read; nor is one's own message, which moves one's read mark to it.
 */
record UnreadCounts(long lastSeq, long[] changes) {

    /** The counts for read marks of at least {@code fromRead}, with the edits and deletions looked up once. */
    static UnreadCounts of(MessageAuthors messages, long conversationId, long lastSeq, long fromRead) {
        return new UnreadCounts(lastSeq, fromRead >= lastSeq ? new long[0]
                : messages.changesAfter(conversationId, Math.max(0, fromRead)));
    }

    /** What is unread for a member whose read mark is {@code readUpTo}. */
    long of(long readUpTo) {
        if (readUpTo >= lastSeq) {
            return 0;
        }
        int i = Arrays.binarySearch(changes, readUpTo + 1);
        int first = i < 0 ? -i - 1 : i;
        int inRange = 0;
        for (int k = first; k < changes.length && changes[k] <= lastSeq; k++) {
            inRange++;
        }
        return Math.max(0, lastSeq - readUpTo - inRange);
    }
}
