package org.parley.server.search;

import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;

/**
 * A search page's cursor: the sort key of its last hit, {@code timestamp.conversation.seq} in decimal. The next
 * page starts after it, whatever was indexed meanwhile (newer messages do not shift the pages).
 */
final class Cursor {

    /** The longest cursor: three 19-digit numbers and two dots. */
    static final int MAX_LENGTH = 3 * 19 + 2;

    static String format(MessageIndex.Found last) {
        return last.timestamp() + "." + last.conversationId() + "." + last.seq();
    }

    /** null for "" (the first page); INVALID_ARGUMENT for anything that is not a cursor. */
    static MessageIndex.Found parse(String cursor) {
        if (cursor.isEmpty()) {
            return null;
        }
        String[] parts = cursor.length() > MAX_LENGTH ? new String[0] : cursor.split("\\.", -1);
        if (parts.length == 3) {
            try {
                long ts = Long.parseLong(parts[0]);
                long conversation = Long.parseLong(parts[1]);
                long seq = Long.parseLong(parts[2]);
                if (ts >= 0 && conversation > 0 && seq > 0) {
                    return new MessageIndex.Found(conversation, seq, ts);
                }
            } catch (NumberFormatException e) {
                // said below
            }
        }
        throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "not a search cursor: use \"\" or the nextCursor of "
                + "the previous page");
    }

    private Cursor() {
    }
}
