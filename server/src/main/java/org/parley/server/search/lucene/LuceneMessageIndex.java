package org.parley.server.search.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.parley.server.search.MessageIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message index in Apache Lucene, in a directory of its own (under the data directory). One document per
 * message: its id ({@code conversation:seq}), the conversation as a point (the membership filter) and, with the
 * seq and timestamp, as doc values (sorting, and {@link #indexedUpTo()} at start), the timestamp also as a point
 * (the sort skips documents that cannot make the page), and the words of its text and file names (not stored: hits
 * are read from the message store). The index is sorted newest first, as searches are, so that a search for a word
 * in many messages stops in each segment once it has its page (format 2; format 1 had neither). Searches see what {@link #refresh()} made
 * visible (a near-real-time reader of the writer); {@link #commit()} makes it durable, with the format in the
 * commit's user data (an index of another format is rebuilt).
 */
public final class LuceneMessageIndex implements MessageIndex {

    /** Commit user data: the document format; an index written with another one is dropped and rebuilt. */
    static final String FORMAT_KEY = "parley.format";
    static final String FORMAT = "2";
    private static final String ID = "id";
    private static final String CONV = "conv";
    private static final String SEQ = "seq";
    private static final String TS = "ts";
    private static final String BODY = "body";
    private static final Sort NEWEST_FIRST = new Sort(new SortField(TS, SortField.Type.LONG, true),
            new SortField(CONV, SortField.Type.LONG, true), new SortField(SEQ, SortField.Type.LONG, true));
    private static final Logger LOG = LoggerFactory.getLogger(LuceneMessageIndex.class);

    private final Directory directory;
    private final MessageAnalyzer analyzer = new MessageAnalyzer();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<Long, Long> indexedUpTo;

    /** The default of the search-buffer-mib setting: MiB of new documents buffered before a segment is written. */
    public static final int DEFAULT_BUFFER_MIB = 16;

    private LuceneMessageIndex(Path path, int bufferMiB) throws IOException {
        Files.createDirectories(path);
        directory = FSDirectory.open(path);
        IndexWriterConfig.OpenMode mode = IndexWriterConfig.OpenMode.CREATE_OR_APPEND;
        if (DirectoryReader.indexExists(directory)) {
            try {
                String format = SegmentInfos.readLatestCommit(directory).getUserData().get(FORMAT_KEY);
                if (!FORMAT.equals(format)) {
                    LOG.atWarn().addKeyValue("format", format).log("the search index has another format; it is "
                            + "rebuilt from the stored messages");
                    mode = IndexWriterConfig.OpenMode.CREATE;
                }
            } catch (IOException | RuntimeException e) {
                LOG.atWarn().setCause(e).log("the search index cannot be read; it is rebuilt from the stored "
                        + "messages");
                mode = IndexWriterConfig.OpenMode.CREATE;
            }
        }
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setOpenMode(mode).setCommitOnClose(false)
                .setRAMBufferSizeMB(bufferMiB).setIndexSort(NEWEST_FIRST);
        writer = new IndexWriter(directory, config);
        writer.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT).entrySet());
        searchers = new SearcherManager(writer, null);
        indexedUpTo = scan();
    }

    /** Opens (or creates) the index in {@code path}. */
    public static LuceneMessageIndex open(Path path) throws IOException {
        return open(path, DEFAULT_BUFFER_MIB);
    }

    /**
     * Opens (or creates) the index in {@code path}, buffering up to {@code bufferMiB} MiB of new documents in the
     * heap before writing them out as a segment (the search-buffer-mib setting; each commit writes them too).
     */
    public static LuceneMessageIndex open(Path path, int bufferMiB) throws IOException {
        if (bufferMiB < 1) {
            throw new IllegalArgumentException("the search index's buffer needs at least 1 MiB, was " + bufferMiB);
        }
        return new LuceneMessageIndex(path, bufferMiB);
    }

    /** The most MiB of new documents buffered before a segment is written. */
    public double bufferMiB() {
        return writer.getConfig().getRAMBufferSizeMB();
    }

    private Map<Long, Long> scan() throws IOException {
        Map<Long, Long> upTo = new HashMap<>();
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                NumericDocValues conv = leaf.reader().getNumericDocValues(CONV);
                NumericDocValues seq = leaf.reader().getNumericDocValues(SEQ);
                Bits live = leaf.reader().getLiveDocs();
                if (conv == null || seq == null) {
                    continue;
                }
                for (int d = 0; d < leaf.reader().maxDoc(); d++) {
                    if ((live == null || live.get(d)) && conv.advanceExact(d) && seq.advanceExact(d)) {
                        upTo.merge(conv.longValue(), seq.longValue(), Math::max);
                    }
                }
            }
        }
        return upTo;
    }

    @Override
    public Map<Long, Long> indexedUpTo() {
        return Map.copyOf(indexedUpTo);
    }

    @Override
    public void add(List<Entry> entries) {
        try {
            for (Entry e : entries) {
                String id = e.conversationId() + ":" + e.seq();
                Document d = new Document();
                d.add(new StringField(ID, id, Field.Store.NO));
                d.add(new LongPoint(CONV, e.conversationId()));
                d.add(new NumericDocValuesField(CONV, e.conversationId()));
                d.add(new NumericDocValuesField(SEQ, e.seq()));
                d.add(new NumericDocValuesField(TS, e.timestamp()));
                d.add(new LongPoint(TS, e.timestamp()));
                StringBuilder body = new StringBuilder(cut(e.text()));
                for (String name : e.names()) {
                    body.append('\n').append(cut(name));
                }
                d.add(new TextField(BODY, body.toString(), Field.Store.NO));
                writer.updateDocument(new Term(ID, id), d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void commit() {
        try {
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Found> search(List<String> terms, Collection<Long> conversations, Found after, int limit) {
        if (terms.isEmpty() || conversations.isEmpty()) {
            return List.of();
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        for (String t : terms) {
            q.add(new PrefixQuery(new Term(BODY, t)), BooleanClause.Occur.MUST);
        }
        q.add(LongPoint.newSetQuery(CONV, conversations), BooleanClause.Occur.FILTER);
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                int maxDoc = searcher.getIndexReader().maxDoc();
                if (maxDoc == 0) {
                    return List.of();
                }
                // The sort key is unique per message: only the cursor's own message ties with it, and a tie goes
                // to documents numbered above after.doc, so the highest number leaves it out.
                FieldDoc from = after == null ? null : new FieldDoc(maxDoc - 1, Float.NaN, new Object[] {
                    after.timestamp(), after.conversationId(), after.seq()});
                // Hits are not counted beyond the page: a segment (sorted as the search is) ends at its page.
                int n = Math.min(limit, maxDoc);
                TopDocs top = searcher.search(q.build(), new TopFieldCollectorManager(NEWEST_FIRST, n, from, n));
                List<Found> out = new ArrayList<>(top.scoreDocs.length);
                for (ScoreDoc sd : top.scoreDocs) {
                    Object[] f = ((FieldDoc) sd).fields;
                    out.add(new Found((Long) f[1], (Long) f[2], (Long) f[0]));
                }
                return out;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Word> words(String text) {
        List<Word> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(BODY, cut(text))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(new Word(term.toString(), offset.startOffset(), offset.endOffset()));
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Dots and underscores also separate words ({@code release_notes.v2.pdf} has the words release, notes, v2 and
     * pdf, as a user would type them); the text keeps its length, so offsets stay those of the original.
     */
    private static String cut(String text) {
        return text.replace('.', ' ').replace('_', ' ');
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.commit();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
