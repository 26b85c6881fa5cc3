package org.parley.server.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.search.MessageIndex.Entry;
import org.parley.server.search.MessageIndex.Found;

/** The Lucene index on its own: newest-first paging over many hits, and an index of the old format. */
class LuceneMessageIndexSearchTest {

    @TempDir
    Path tmp;

    @Test
    void pagingNewestFirstOverManyHitsReturnsEveryMessageOnceInOrder() throws Exception {
        List<Found> expected = new ArrayList<>();
        try (LuceneMessageIndex index = LuceneMessageIndex.open(tmp.resolve("index"))) {
            List<Entry> batch = new ArrayList<>();
            for (int k = 0; k < 5000; k++) {
                long conv = 1 + k % 7;
                long ts = 1_000_000L + k / 10; // ten messages share each timestamp: ties go to conversation, seq
                batch.add(new Entry(conv, 1 + k / 7, ts, "message " + k + " with an ordinary word", List.of()));
                expected.add(new Found(conv, 1 + k / 7, ts));
                if (batch.size() == 500) {
                    index.add(batch);
                    batch.clear();
                    index.commit(); // several segments
                }
            }
            // Messages in a conversation the searcher is not a member of are left out.
            index.add(List.of(new Entry(99, 1, 2_000_000L, "ordinary but elsewhere", List.of())));
            index.refresh();
            expected.sort(Comparator.comparingLong(Found::timestamp).thenComparingLong(Found::conversationId)
                    .thenComparingLong(Found::seq).reversed());

            List<Long> member = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            List<Found> all = new ArrayList<>();
            Found after = null;
            while (true) {
                List<Found> page = index.search(List.of("ordin"), member, after, 20);
                assertThat(page.size()).isLessThanOrEqualTo(20);
                if (page.isEmpty()) {
                    break;
                }
                all.addAll(page);
                after = page.getLast();
            }
            assertThat(all).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void anIndexOfTheOldFormatIsDroppedForARebuild() throws Exception {
        Path path = tmp.resolve("index");
        // Format 1: the timestamp only as doc values (no points to skip by), as the earlier server wrote it.
        try (Directory dir = FSDirectory.open(path);
                IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new MessageAnalyzer()))) {
            for (long seq = 1; seq <= 3; seq++) {
                Document d = new Document();
                d.add(new StringField("id", "5:" + seq, Field.Store.NO));
                d.add(new LongPoint("conv", 5));
                d.add(new NumericDocValuesField("conv", 5));
                d.add(new NumericDocValuesField("seq", seq));
                d.add(new NumericDocValuesField("ts", 1000 + seq));
                d.add(new TextField("body", "hello " + seq, Field.Store.NO));
                w.addDocument(d);
            }
            w.setLiveCommitData(Map.of("parley.format", "1").entrySet());
            w.commit();
        }

        try (LuceneMessageIndex index = LuceneMessageIndex.open(path)) {
            // Nothing indexed: the search indexer feeds it every stored message again from the start.
            assertThat(index.indexedUpTo()).isEmpty();
            index.refresh();
            assertThat(index.search(List.of("hello"), List.of(5L), null, 20)).isEmpty();
            index.add(List.of(new Entry(5, 1, 1001, "hello 1", List.of()), new Entry(5, 2, 1002, "hello 2",
                    List.of())));
            index.refresh();
            assertThat(index.search(List.of("hello"), List.of(5L), null, 20))
                    .containsExactly(new Found(5, 2, 1002), new Found(5, 1, 1001));
        }
        try (Directory dir = FSDirectory.open(path)) {
            assertThat(SegmentInfos.readLatestCommit(dir).getUserData()).containsEntry("parley.format",
                    LuceneMessageIndex.FORMAT);
        }
        try (LuceneMessageIndex index = LuceneMessageIndex.open(path)) {
            assertThat(index.indexedUpTo()).isEqualTo(Map.of(5L, 2L)); // the new format is kept
        }
    }
}
