package org.parley.server.search;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The search feature's index port: what is searchable of each message (its text and its file names), kept by
 * (conversation, seq). Adapters: {@code search.lucene.LuceneMessageIndex}.
 */
public interface MessageIndex extends AutoCloseable {

    /** A message as the index takes it: {@code names} are its attachments' file names (empty for none). */
    record Entry(long conversationId, long seq, long timestamp, String text, List<String> names) {
    }

    /** A message found, and where a page of hits ends (the next page starts after it). */
    record Found(long conversationId, long seq, long timestamp) {
    }

    /** A word of a text as the index sees it: its folded form and where it stands in the text (UTF-16). */
    record Word(String term, int start, int end) {
    }

    /** Adds messages (or replaces those already there under the same conversation and seq). */
    void add(List<Entry> entries);

    /** Makes what was added visible to {@link #search}. */
    void refresh();

    /** Makes what was added durable. */
    void commit();

    /**
     * Per conversation, the highest seq the index holds as of its last commit (messages are added in seq order per
     * conversation, so it holds every message up to it).
     */
    Map<Long, Long> indexedUpTo();

    /**
     * The messages of {@code conversations} holding every one of {@code terms} (each also as the start of a longer
     * word), newest first (timestamp, then conversation, then seq), starting after {@code after} (null = from
     * the newest), at most {@code limit}.
     */
    List<Found> search(List<String> terms, Collection<Long> conversations, Found after, int limit);

    /** The words of a text as the index cuts and folds them (for queries, and to find the matches in a hit). */
    List<Word> words(String text);

    @Override
    void close();
}
