package org.parley.protocol.message;

import java.util.List;

/**
 * Full-text search over the caller's conversations, and opening a history in its middle (at a found message, with
 * its neighbours) without loading what lies between it and the newest.
 */
public final class Search {

    /**
     * Where a word of the query matched a found message: in its text ({@code attachment} = -1) or in the file name of
     * its attachment number {@code attachment} (0-based). {@code start} and {@code end} are UTF-16 offsets into that
     * string (end exclusive), so that a client can highlight the word as the user wrote it.
     */
    public record Highlight(int attachment, int start, int end) {
    }

    /** A found message and where the query matched it. */
    public record SearchHit(Chat.ChatMessage message, List<Highlight> highlights) {
    }

    /**
     * Finds the messages, in the conversations the caller is a member of now, that hold every word of
     * {@code query} (each word also as the beginning of a longer one; case and accents ignored), in their text or
     * in a file name. {@code conversationId} 0 searches all of the caller's conversations, another id only that
     * one. {@code cursor} is "" for the first page and a previous answer's {@code nextCursor} for the next;
     * {@code limit} 0 means the server's default. Answer: {@link SearchResults}.
     */
    public record SearchMessages(String query, long conversationId, String cursor, int limit) implements Message {
    }

    /**
     * Answer to {@link SearchMessages}: hits newest first. {@code nextCursor} asks for the next (older) page; ""
     * when there is none. {@code complete} is false while the server's index has not yet taken in every stored
     * message (just after a send, or while it catches up after a restart): asking again later may find more.
     */
    public record SearchResults(List<SearchHit> hits, String nextCursor, boolean complete) implements Message {
    }

    /**
     * Asks for message {@code seq} of a conversation with up to {@code before} messages before it and {@code after}
     * after it (opening a chat at a found message). Answer: {@link AroundPage}.
     */
    public record FetchAround(long conversationId, long seq, int before, int after) implements Message {
    }

    /**
     * Answer to {@link FetchAround}: the messages around the one asked for, oldest first; {@code moreBefore} and
     * {@code moreAfter} tell that the server holds more in that direction (page on with FetchBefore and
     * FetchAfter).
     */
    public record AroundPage(long conversationId, List<Chat.ChatMessage> messages, boolean moreBefore,
            boolean moreAfter) implements Message {
    }

    private Search() {
    }
}
