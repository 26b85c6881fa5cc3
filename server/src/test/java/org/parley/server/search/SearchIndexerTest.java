package org.parley.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.messages.StoredMessage;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.search.lucene.LuceneMessageIndex;
import org.parley.server.storage.h2.H2Storage;

/**
 * The indexer between the message writer and a real Lucene index: how often it makes what it added searchable.
 * A refresh flushes a new index segment; refreshing after every batch the writer hands over cost as much CPU as
 * storing the messages at a few hundred messages a second, so refreshes are paced by {@code search-refresh-millis}.
 */
class SearchIndexerTest {

    @TempDir
    Path tmp;

    /** The real index, counting what the indexer asks of it (the port is the seam). */
    private static final class CountingIndex implements MessageIndex {
        final MessageIndex index;
        final AtomicInteger added = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();

        CountingIndex(MessageIndex index) {
            this.index = index;
        }

        @Override
        public void add(List<Entry> entries) {
            index.add(entries);
            added.addAndGet(entries.size());
        }

        @Override
        public void refresh() {
            index.refresh();
            refreshes.incrementAndGet();
        }

        @Override
        public void commit() {
            index.commit();
        }

        @Override
        public Map<Long, Long> indexedUpTo() {
            return index.indexedUpTo();
        }

        @Override
        public List<Found> search(List<String> terms, Collection<Long> conversations, Found after, int limit) {
            return index.search(terms, conversations, after, limit);
        }

        @Override
        public List<Word> words(String text) {
            return index.words(text);
        }

        @Override
        public void close() {
            index.close();
        }
    }

    private static StoredMessage message(long seq) {
        return new StoredMessage(1, seq, 7, "c" + seq, Kind.TEXT, 1_000 + seq, "word" + seq, new byte[0]);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1_000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static boolean finds(MessageIndex index, long seq) {
        return !index.search(List.of("word" + seq), List.of(1L), null, 10).isEmpty();
    }

    private CountingIndex openIndex() throws java.io.IOException {
        return new CountingIndex(LuceneMessageIndex.open(tmp.resolve("index")));
    }

    /** An indexer over an empty store, committing hourly, refreshing at most every {@code refreshMillis}. */
    private static SearchIndexer indexer(CountingIndex index, H2Storage storage, int refreshMillis) {
        return new SearchIndexer(index, storage.messages(), 1 << 20, 3600, refreshMillis);
    }

    @Test
    void aQuietServerMakesAMessageSearchableAtOnceAndALoadedOneRefreshesOncePerInterval() throws Exception {
        try (H2Storage storage = H2Storage.open(tmp.resolve("db"), false); CountingIndex index = openIndex()) {
            SearchIndexer indexer = indexer(index, storage, 600_000);
            try {
                await(indexer::complete); // caught up with an empty store
                indexer.committed(List.of(message(1)));
                await(indexer::complete); // the first batch after a quiet time: searchable at once
                assertThat(finds(index, 1)).isTrue();
                int refreshes = index.refreshes.get();

                for (long seq = 2; seq <= 40; seq++) { // a busy time: batch after batch, each drained alone
                    indexer.committed(List.of(message(seq)));
                    Thread.sleep(5);
                }
                await(() -> index.added.get() == 40);
                assertThat(index.refreshes.get()).as("no refresh before the interval is up").isEqualTo(refreshes);
                assertThat(indexer.complete()).as("searches say that messages are not searchable yet").isFalse();
                assertThat(finds(index, 40)).isFalse();
            } finally {
                indexer.close();
            }
        }
    }

    @Test
    void withoutAnIntervalEveryBatchIsSearchableOnceDrained() throws Exception {
        try (H2Storage storage = H2Storage.open(tmp.resolve("db"), false); CountingIndex index = openIndex()) {
            SearchIndexer indexer = indexer(index, storage, 0);
            try {
                for (long seq = 1; seq <= 5; seq++) {
                    indexer.committed(List.of(message(seq)));
                    await(indexer::complete);
                    assertThat(finds(index, seq)).isTrue();
                }
            } finally {
                indexer.close();
            }
        }
    }
}
