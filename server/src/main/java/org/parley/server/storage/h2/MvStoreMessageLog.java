package org.parley.server.storage.h2;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.zip.ZipOutputStream;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.parley.protocol.message.Chat.Kind;
import org.parley.server.common.MissingConversationException;
import org.parley.server.common.StorageException;
import org.parley.server.common.StorageFullException;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.StoredMessage;
import org.parley.server.storage.StorageMetrics;
import org.parley.server.storage.jdbc.JdbcLogEffects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message log of the H2 deployment in H2's MVStore used directly, without SQL (message-log=mvstore;
 * docs/decisions/message-log.md), in {@value #FILE} beside the SQL database:
 * <ul>
 * <li>{@code log}: every entry, keyed by one growing position (a batch writes the tree's last leaf, not a leaf per
 * conversation). An EDIT or DELETE rewrites its target's record in place (rare).
 * <li>{@code index} (conversation, seq) → position and {@code client_ids} (client id, sender) → (conversation,
 * seq): derived from the log; the entries since the last checkpoint are kept in memory and written every
 * {@value #INDEX_EVERY} entries (and at close) together with the position they cover ({@code meta}); at open the
 * log after that position is read back into memory. Client ids lead the key, so Parley's time-ordered ids land
 * at the end of the map.
 * <li>{@code changes} (conversation, seq) → (target, kind): the EDIT and DELETE entries, written with each batch.
 * <li>{@code last} conversation → (last seq, time of the newest entry), written at each checkpoint; the current
 * values live in memory.
 * </ul>
 * One commit and, with fsync, one sync per batch, before {@link #append} returns. The SQL side effects of a batch
 * come after that: the files a DELETE removes at once (one SQL transaction, rare), the senders' marks written behind
 * ({@link JdbcLogEffects#defer}: kept in memory, overlaid on the member rows SQL returns, and written in one SQL
 * transaction at each index checkpoint and at close), so that a batch costs no SQL at all. The log is the truth: the
 * effects are replayed idempotently at open from the position up to which SQL was last synced after applying them.
 * Conversations live in SQL: a conversation the log does not know yet is checked there once, and at open the
 * entries of conversations SQL no longer has (a group deleted just before a crash) are dropped.
 *
 * <p><b>File size.</b> Every commit writes a new chunk; a chunk's space is reused once none of its pages is live.
 * Every {@value #COMPACT_EVERY} entries the batch's commit also rewrites the live pages of the emptiest chunks
 * (MVStore's {@code compact}: at most as many bytes as were appended since the last time, at least
 * {@value #MIN_COMPACT_WRITE}) while their average fill rate is under the {@code message-log-fill-rate} setting, so
 * the file stays within a bounded multiple of its live data. With fsync on, a chunk may be overwritten as soon as no
 * synced version and no reader needs it (retention time 0: every commit is synced before the next one, and readers
 * pin the version they read); with fsync off, MVStore's default retention time applies (chunks are kept 45 s).
 *
 * <p><b>A failed write</b> (a full disk) makes MVStore close the store. The next call reopens it from the file and
 * rebuilds the in-memory state from what is durable; until that works (the disk is still full) every call fails
 * with a {@link StorageFullException}, and nothing acknowledged is lost.
 */
public final class MvStoreMessageLog implements MessageStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MvStoreMessageLog.class);

    /** The log's file in the data directory (starts with "parley." so that H2's Restore tool restores it too). */
    public static final String FILE = "parley.messages.mvlog";
    /** Entries kept in memory between two writes of the indexes. */
    static final int INDEX_EVERY = 10_000;
    /** Entries between two compactions (each in the commit of the batch that crosses the mark). */
    static final int COMPACT_EVERY = 1_000;
    /** The least a compaction may rewrite, in bytes of live pages. */
    static final int MIN_COMPACT_WRITE = 1 << 20;
    /** The default of the message-log-fill-rate setting (percent). */
    public static final int DEFAULT_FILL_RATE = 60;
    /** MVStore's default page cache, in MiB (message-log-cache-mib changes it). */
    public static final int DEFAULT_CACHE_MIB = 16;

    private static final Kind[] KINDS = new Kind[Kind.values().length];
    private static final byte[] NONE = new byte[0];
    private static final String INDEXED = "indexed";
    private static final String EFFECTS = "effects";
    private static final String IMPORTED = "imported";
    private static final String CREATORS = "creators";

    static {
        for (Kind k : Kind.values()) {
            KINDS[k.wireCode()] = k;
        }
    }

    /** A conversation's newest entry: its seq and time. */
    private record Tail(long seq, long timestamp) {
    }

    private record Key(long conversationId, long seq) {
    }

    private record MarkKey(long conversationId, long accountId) {
    }

    /** A decoded record: the message as stored, and the files a DELETE entry removed (for the replay). */
    private record Entry(StoredMessage message, List<String> deletedFiles) {
    }

    /** The open MVStore and its maps: replaced as a whole when the store is reopened after a failed write. */
    private record Maps(MVStore store, MVMap<Long, byte[]> log, MVMap<long[], Long> index,
            MVMap<String, long[]> clientIds, MVMap<long[], long[]> changes, MVMap<Long, long[]> last,
            MVMap<String, Long> meta) {

        static Maps open(Path file, boolean fsync) {
            // No auto-commit by time or by memory: a commit must hold whole batches only.
            MVStore store = new MVStore.Builder().fileName(file.toAbsolutePath().toString()).autoCommitDisabled()
                    .autoCommitBufferSize(0).open();
            try {
                if (fsync) {
                    store.setRetentionTime(0); // see "File size" above
                }
                return new Maps(store,
                        store.openMap("log", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE)
                                .valueType(ByteArrayDataType.INSTANCE)),
                        store.openMap("index", new MVMap.Builder<long[], Long>().keyType(LongsType.INSTANCE)
                                .valueType(LongDataType.INSTANCE)),
                        store.openMap("client_ids", new MVMap.Builder<String, long[]>()
                                .keyType(StringDataType.INSTANCE).valueType(LongsType.INSTANCE)),
                        store.openMap("changes", new MVMap.Builder<long[], long[]>().keyType(LongsType.INSTANCE)
                                .valueType(LongsType.INSTANCE)),
                        store.openMap("last", new MVMap.Builder<Long, long[]>().keyType(LongDataType.INSTANCE)
                                .valueType(LongsType.INSTANCE)),
                        store.openMap("meta", new MVMap.Builder<String, Long>().keyType(StringDataType.INSTANCE)
                                .valueType(LongDataType.INSTANCE)));
            } catch (RuntimeException e) {
                store.closeImmediately();
                throw e;
            }
        }
    }

    /** The in-memory state rebuilt from the file at open: moved into the live fields as a whole. */
    private record Memory(Map<Long, Tail> tails, Map<Key, Long> pendingIndex, Map<String, long[]> pendingClientIds,
            Set<Long> dirtyTails) {
    }

    private final Path file;
    private final JdbcLogEffects effects;
    private final boolean fsync;
    private final int fillRate;
    public volatile StorageMetrics metrics = StorageMetrics.NONE;
    /** Replaced (under writeLock) when the store is reopened after a failed write. */
    private volatile Maps maps;

    private final ConcurrentHashMap<Long, Tail> tails = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Long> pendingIndex = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, long[]> pendingClientIds = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    /** Conversations whose tail changed since the last checkpoint (guarded by writeLock). */
    private final Set<Long> dirtyTails = new HashSet<>();
    /** The newest position written (guarded by writeLock). */
    private long position;
    /** The position up to which every entry's SQL effects are applied (guarded by writeLock). */
    private long effectsApplied;
    /** Set when applying effects failed: they are applied again at the next open, not counted before. */
    private boolean effectsBehind;
    /** Entries and record bytes appended since the last compaction (guarded by writeLock). */
    private long entriesSinceCompaction;
    private long bytesSinceCompaction;
    private boolean closed;
    /** The page cache's size in MiB (the message-log-cache-mib setting), applied again when the store is reopened. */
    private volatile int cacheMiB = DEFAULT_CACHE_MIB;

    private MvStoreMessageLog(Path file, Maps maps, JdbcLogEffects effects, boolean fsync, int fillRate) {
        this.file = file;
        this.maps = maps;
        this.effects = effects;
        this.fsync = fsync;
        this.fillRate = fillRate;
    }

    /** {@link #open(Path, JdbcLogEffects, boolean, int)} with the default fill rate. */
    public static MvStoreMessageLog open(Path dataDir, JdbcLogEffects effects, boolean fsync) {
        return open(dataDir, effects, fsync, DEFAULT_FILL_RATE);
    }

    /**
     * Opens (creating if needed) the log in {@code dataDir}: imports the SQL {@code messages} table the first time,
     * reads the entries after the last checkpoint back into memory, replays their SQL effects, and drops the
     * entries of conversations SQL no longer has. {@code fillRate}: the percentage of live data in the file's chunks
     * under which the log compacts them (the message-log-fill-rate setting).
     */
    public static MvStoreMessageLog open(Path dataDir, JdbcLogEffects effects, boolean fsync, int fillRate) {
        Path file = dataDir.resolve(FILE);
        Maps maps;
        try {
            maps = Maps.open(file, fsync);
        } catch (MVStoreException | IllegalStateException e) {
            throw translate("cannot open the message log " + file, e);
        }
        try {
            MvStoreMessageLog opened = new MvStoreMessageLog(file, maps, effects, fsync, fillRate);
            synchronized (opened.writeLock) {
                opened.recover(maps, false);
            }
            return opened;
        } catch (RuntimeException e) {
            maps.store().closeImmediately();
            throw e instanceof StorageException ? e : new StorageException("cannot open the message log: " + e, e);
        }
    }

    // ---- opening

    /**
     * Brings the in-memory state in line with the file of {@code m} (imported first if new). At the first open the
     * live fields are filled directly and a failure to replay the SQL effects fails the open; when reopening after a
     * failed write the state is rebuilt apart and then moved into the live fields (readers never see it half-built),
     * and effects that cannot be applied yet wait for the next open.
     */
    private void recover(Maps m, boolean reopening) {
        if (m.meta().get(IMPORTED) == null) {
            importSql(m);
        }
        Memory mem = reopening ? new Memory(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashSet<>())
                : new Memory(tails, pendingIndex, pendingClientIds, dirtyTails);
        Long lastKey = m.log().lastKey();
        long top = lastKey == null ? 0 : lastKey;
        for (Map.Entry<Long, long[]> e : m.last().entrySet()) {
            mem.tails().put(e.getKey(), new Tail(e.getValue()[0], e.getValue()[1]));
        }
        long indexed = m.meta().getOrDefault(INDEXED, 0L);
        long applied = m.meta().getOrDefault(EFFECTS, 0L);
        Map<MarkKey, Long> marks = new HashMap<>();
        List<String> files = new ArrayList<>();
        long replayed = 0;
        for (Cursor<Long, byte[]> c = m.log().cursor(Math.min(indexed, applied) + 1); c.hasNext();) {
            long at = c.next();
            Entry entry = decode(c.getValue());
            StoredMessage msg = entry.message();
            if (at > indexed) {
                mem.pendingIndex().put(new Key(msg.conversationId(), msg.seq()), at);
                if (!msg.clientMessageId().isEmpty()) {
                    mem.pendingClientIds().put(clientKey(msg.senderId(), msg.clientMessageId()),
                            new long[] {msg.conversationId(), msg.seq()});
                }
                Tail t = mem.tails().get(msg.conversationId());
                if (t == null || t.seq() < msg.seq()) {
                    mem.tails().put(msg.conversationId(), new Tail(msg.seq(), msg.timestamp()));
                    mem.dirtyTails().add(msg.conversationId());
                }
                replayed++;
            }
            if (at > applied) {
                marks.merge(new MarkKey(msg.conversationId(), msg.senderId()), msg.seq(), Math::max);
                files.addAll(entry.deletedFiles());
            }
        }
        // Conversations deleted in SQL whose entries the log still has (a crash between the two deletions).
        Set<Long> existing = effects.existing(mem.tails().keySet());
        for (long id : new ArrayList<>(mem.tails().keySet())) {
            if (!existing.contains(id)) {
                marks.keySet().removeIf(k -> k.conversationId() == id);
                forget(m, mem, id);
            }
        }
        if (!reopening && m.meta().get(CREATORS) == null) {
            fillCreators(m);
            m.meta().put(CREATORS, 1L);
        }
        boolean effectsDone = true;
        try {
            effects.apply(marks(marks), files);
        } catch (RuntimeException e) {
            if (!reopening) {
                throw e;
            }
            effectsDone = false;
            LOG.atWarn().setCause(e).log("message log: the senders' marks or a deletion's files could not be "
                    + "written to SQL; they will be applied again when the server starts");
        }
        commit(m);
        if (reopening) {
            replace(tails, mem.tails());
            replace(pendingIndex, mem.pendingIndex());
            replace(pendingClientIds, mem.pendingClientIds());
            dirtyTails.clear();
            dirtyTails.addAll(mem.dirtyTails());
        }
        position = top;
        effectsBehind = !effectsDone;
        effectsApplied = effectsDone ? top : applied;
        LOG.atInfo().addKeyValue("entries", position).addKeyValue("replayed", replayed)
                .addKeyValue("conversations", tails.size()).addKeyValue("reopened", reopening)
                .log("message log opened");
    }

    /**
     * Schema V14 recorded each existing group's creator from the SQL messages table (the sender of its first SYSTEM
     * line). Migrations run before the log opens, so on a data directory that meets the log now the table was
     * current; but servers built before V14 existed could already move the messages into the log, and there V14
     * read a stale table. So, once per log, every group still without a creator gets it from the log's entries, as
     * V14 would have (the first SYSTEM entry's sender; a group without one stays without).
     */
    private void fillCreators(Maps m) {
        Map<Long, Long> creators = new HashMap<>();
        for (long group : effects.groupsWithoutCreator()) {
            long newest = lastSeq(group);
            for (long seq = 1; seq <= newest; seq++) {
                Optional<StoredMessage> msg = message(m, group, seq);
                if (msg.isPresent() && msg.get().kind() == Kind.SYSTEM) {
                    creators.put(group, msg.get().senderId());
                    break;
                }
            }
        }
        effects.setCreators(creators);
        if (!creators.isEmpty()) {
            LOG.atInfo().addKeyValue("groups", creators.size()).log("message log: recorded the creators of groups "
                    + "that schema V14 could not see");
        }
    }

    /** Makes {@code live} hold exactly {@code fresh}: added first, then the rest removed (never a missing entry). */
    private static <K, V> void replace(Map<K, V> live, Map<K, V> fresh) {
        live.putAll(fresh);
        live.keySet().retainAll(fresh.keySet());
    }

    /**
     * The open store; if a failed write closed it, reopened from the file first (a {@link StorageFullException}
     * while the disk is still full). Readers and writers alike.
     */
    private Maps usable() {
        Maps m = maps;
        if (!m.store().isClosed()) {
            return m;
        }
        synchronized (writeLock) {
            return usableLocked();
        }
    }

    private Maps usableLocked() {
        if (closed) {
            throw new StorageException("the message log is closed");
        }
        Maps m = maps;
        if (!m.store().isClosed()) {
            return m;
        }
        m.store().closeImmediately();
        LOG.atWarn().log("message log: the store was closed by a failed write; reopening it");
        Maps fresh;
        try {
            fresh = Maps.open(file, fsync);
        } catch (MVStoreException | IllegalStateException e) {
            throw translate("the message log could not be reopened", e);
        }
        try {
            recover(fresh, true);
        } catch (RuntimeException e) {
            fresh.store().closeImmediately();
            throw e instanceof MVStoreException || e instanceof IllegalStateException
                    ? translate("the message log could not be reopened", e) : e;
        }
        fresh.store().setCacheSize(cacheMiB * 1024);
        maps = fresh;
        entriesSinceCompaction = 0;
        bytesSinceCompaction = 0;
        return fresh;
    }

    /** The first open of a data directory whose messages are in the SQL table: copies them into the log. */
    private void importSql(Maps m) {
        long at = m.log().isEmpty() ? 0 : m.log().lastKey();
        long count = 0;
        for (LastSeq conversation : effects.sqlLastSeqs()) {
            long after = 0;
            long ts = 0;
            while (after < conversation.lastSeq()) {
                List<StoredMessage> page = effects.sqlAfter(conversation.conversationId(), after, 1000);
                if (page.isEmpty()) {
                    break;
                }
                for (StoredMessage msg : page) {
                    m.log().put(++at, encode(msg, List.of()));
                    m.index().put(new long[] {msg.conversationId(), msg.seq()}, at);
                    if (!msg.clientMessageId().isEmpty()) {
                        m.clientIds().put(clientKey(msg.senderId(), msg.clientMessageId()),
                                new long[] {msg.conversationId(), msg.seq()});
                    }
                    if (msg.isChange() || msg.kind() == Kind.SYSTEM) { // the entries unread counts leave out
                        m.changes().put(new long[] {msg.conversationId(), msg.seq()},
                                new long[] {msg.targetSeq(), msg.kind().wireCode()});
                    }
                    after = msg.seq();
                    ts = msg.timestamp();
                    count++;
                }
                if (count % 10_000 < page.size()) {
                    commit(m); // synced too: with retention time 0 the next commit may reuse space
                }
            }
            m.last().put(conversation.conversationId(), new long[] {after, ts});
        }
        m.meta().put(INDEXED, at);
        m.meta().put(EFFECTS, at);
        m.meta().put(IMPORTED, count);
        m.store().commit();
        m.store().sync();
        if (count > 0) {
            LOG.atInfo().addKeyValue("messages", count).log("message log: imported the SQL messages table");
        }
    }

    // ---- appending

    @Override
    public List<AppendResult> append(List<Draft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        long start = System.nanoTime();
        List<AppendResult> results;
        Map<MarkKey, Long> marks = new HashMap<>();
        List<String> deletedFiles = new ArrayList<>();
        long synced;
        synchronized (writeLock) {
            Maps m = usableLocked();
            checkConversations(drafts);
            long at = position;
            results = new ArrayList<>(drafts.size());
            Map<String, StoredMessage> inBatch = new HashMap<>();
            Map<Long, Long> seqs = new HashMap<>();
            Map<Key, Long> batchIndex = new HashMap<>();
            Map<String, long[]> batchClientIds = new HashMap<>();
            Map<Long, Tail> batchTails = new HashMap<>();
            long bytes = 0;
            try {
                for (Draft d : drafts) {
                    String ck = d.clientMessageId().isEmpty() ? null : clientKey(d.senderId(), d.clientMessageId());
                    if (ck != null) {
                        StoredMessage earlier = inBatch.get(ck);
                        if (earlier == null) {
                            long[] stored = clientIdAt(m, ck);
                            earlier = stored == null ? null : message(m, stored[0], stored[1]).orElse(null);
                        }
                        if (earlier != null) {
                            results.add(new AppendResult(earlier, true));
                            continue;
                        }
                    }
                    long conversation = d.conversationId();
                    long seq = seqs.computeIfAbsent(conversation, c -> tails.get(c).seq()) + 1;
                    seqs.put(conversation, seq);
                    StoredMessage msg = stored(d, seq);
                    List<String> removes = List.of();
                    if (msg.isChange()) {
                        boolean targetWasDeleted = applyChange(m, msg, batchIndex);
                        if (msg.kind() == Kind.EDIT && targetWasDeleted) {
                            msg = msg.withText("");
                        } else if (msg.kind() == Kind.DELETE && !targetWasDeleted) {
                            removes = d.fileIds();
                            deletedFiles.addAll(removes);
                        }
                        m.changes().put(new long[] {conversation, seq},
                                new long[] {msg.targetSeq(), msg.kind().wireCode()});
                    } else if (msg.kind() == Kind.SYSTEM) { // not unread either (as V16 in the SQL adapters)
                        m.changes().put(new long[] {conversation, seq}, new long[] {0, msg.kind().wireCode()});
                    }
                    byte[] record = encode(msg, removes);
                    bytes += record.length;
                    m.log().put(++at, record);
                    batchIndex.put(new Key(conversation, seq), at);
                    if (ck != null) {
                        batchClientIds.put(ck, new long[] {conversation, seq});
                        inBatch.put(ck, msg);
                    }
                    batchTails.put(conversation, new Tail(seq, msg.timestamp()));
                    marks.merge(new MarkKey(conversation, d.senderId()), seq, Math::max);
                    results.add(new AppendResult(msg, false));
                }
                boolean checkpoint = pendingIndex.size() + batchIndex.size() >= INDEX_EVERY;
                if (checkpoint) {
                    writeIndexes(m, batchIndex, batchClientIds, batchTails, at);
                }
                boolean compacting = entriesSinceCompaction + batchIndex.size() >= COMPACT_EVERY;
                if (compacting) {
                    compact(m, bytesSinceCompaction + bytes);
                }
                m.store().commit();
                metrics.messagesWritten(System.nanoTime() - start);
                synced = System.nanoTime();
                if (fsync) {
                    m.store().sync();
                }
                // Published only once durable: readers see no entry that a crash could still take back.
                position = at;
                if (checkpoint) {
                    pendingIndex.clear();
                    pendingClientIds.clear();
                    dirtyTails.clear();
                } else {
                    pendingIndex.putAll(batchIndex);
                    pendingClientIds.putAll(batchClientIds);
                    dirtyTails.addAll(batchTails.keySet());
                }
                tails.putAll(batchTails);
                if (compacting) {
                    entriesSinceCompaction = 0;
                    bytesSinceCompaction = 0;
                } else {
                    entriesSinceCompaction += batchIndex.size();
                    bytesSinceCompaction += bytes;
                }
            } catch (MVStoreException | IllegalStateException e) {
                rollBack(m);
                throw translate("the message log could not store a batch", e);
            } catch (RuntimeException e) {
                rollBack(m);
                throw e;
            }
            if (fsync) {
                metrics.synced(System.nanoTime() - synced);
            }
            // The marks are written behind (at the next checkpoint); a DELETE's files go now.
            effects.defer(marks(marks));
            deleteFiles(deletedFiles);
        }
        return results;
    }

    /**
     * Rewrites the live pages of the emptiest chunks into the current (uncommitted) version, so that the caller's
     * commit writes them and those chunks fall empty and are reused: at most {@code appended} bytes (what was
     * appended since the last compaction), at least {@link #MIN_COMPACT_WRITE}; nothing while the chunks' average
     * fill rate is at or above {@link #fillRate}. The rewritten pages hold what they held: a rollback of the batch
     * loses nothing.
     */
    private void compact(Maps m, long appended) {
        int write = (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_COMPACT_WRITE, appended));
        try {
            m.store().compact(fillRate, write);
        } catch (MVStoreException | IllegalStateException e) {
            if (m.store().isClosed()) {
                throw e; // a failed write: the batch fails with it
            }
            LOG.atWarn().setCause(e).log("message log: compaction failed; the batch is stored without it");
        }
    }

    /** Every conversation of the batch that the log does not know yet is checked in SQL, before anything is written. */
    private void checkConversations(List<Draft> drafts) {
        Set<Long> unknown = new HashSet<>();
        for (Draft d : drafts) {
            if (!tails.containsKey(d.conversationId())) {
                unknown.add(d.conversationId());
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        Set<Long> existing = effects.existing(unknown);
        for (Draft d : drafts) {
            if (!existing.contains(d.conversationId()) && !tails.containsKey(d.conversationId())) {
                throw new MissingConversationException(d.conversationId());
            }
        }
        for (long id : existing) {
            tails.putIfAbsent(id, new Tail(0, 0));
        }
    }

    /**
     * Applies an EDIT or DELETE entry {@code msg} to its target (rewritten in place) and to the target's EDIT
     * entries; returns whether the target was already deleted (or missing).
     */
    private boolean applyChange(Maps m, StoredMessage msg, Map<Key, Long> batchIndex) {
        long conversation = msg.conversationId();
        Long at = positionOf(m, conversation, msg.targetSeq(), batchIndex);
        Entry target = at == null ? null : decodeOrNull(m.log().get(at));
        boolean wasDeleted = target == null || target.message().deleted();
        if (msg.kind() == Kind.EDIT) {
            if (wasDeleted) {
                return true;
            }
            StoredMessage t = target.message();
            m.log().put(at, encode(new StoredMessage(t.conversationId(), t.seq(), t.senderId(), t.clientMessageId(),
                    t.kind(), t.timestamp(), msg.text(), t.attachments(), t.replyTo(), msg.timestamp(), false,
                    t.targetSeq()), target.deletedFiles()));
            setTextOfEdits(m, conversation, msg.targetSeq(), msg.text(), batchIndex);
            return false;
        }
        if (target != null) {
            StoredMessage t = target.message();
            m.log().put(at, encode(new StoredMessage(t.conversationId(), t.seq(), t.senderId(), t.clientMessageId(),
                    t.kind(), t.timestamp(), "", NONE, t.replyTo(), t.editedAt(), true, t.targetSeq()),
                    target.deletedFiles()));
        }
        setTextOfEdits(m, conversation, msg.targetSeq(), "", batchIndex);
        return wasDeleted;
    }

    /** Gives the EDIT entries of message {@code target} the text {@code text}. */
    private void setTextOfEdits(Maps m, long conversation, long target, String text, Map<Key, Long> batchIndex) {
        for (Cursor<long[], long[]> c = m.changes().cursor(new long[] {conversation, target + 1}); c.hasNext();) {
            long[] key = c.next();
            if (key[0] != conversation) {
                break;
            }
            long[] change = c.getValue();
            if (change[0] != target || change[1] != Kind.EDIT.wireCode()) {
                continue;
            }
            Long at = positionOf(m, conversation, key[1], batchIndex);
            Entry e = at == null ? null : decodeOrNull(m.log().get(at));
            if (e != null) {
                m.log().put(at, encode(e.message().withText(text), e.deletedFiles()));
            }
        }
    }

    /** Writes the in-memory index entries, client ids and conversation tails to their maps (in the caller's commit). */
    private void writeIndexes(Maps m, Map<Key, Long> batchIndex, Map<String, long[]> batchClientIds,
            Map<Long, Tail> batchTails, long at) {
        // The SQL effects of the entries up to effectsApplied are made durable before the log says so.
        flushMarks();
        if (!effectsBehind) {
            effects.sync();
        }
        for (Map<Key, Long> pending : List.of(pendingIndex, batchIndex)) {
            for (Map.Entry<Key, Long> e : pending.entrySet()) {
                m.index().put(new long[] {e.getKey().conversationId(), e.getKey().seq()}, e.getValue());
            }
        }
        m.clientIds().putAll(pendingClientIds);
        m.clientIds().putAll(batchClientIds);
        Map<Long, Tail> changed = new HashMap<>();
        for (long id : dirtyTails) {
            Tail t = tails.get(id);
            if (t != null) {
                changed.put(id, t);
            }
        }
        changed.putAll(batchTails);
        for (Map.Entry<Long, Tail> e : changed.entrySet()) {
            if (e.getValue().seq() > 0) {
                m.last().put(e.getKey(), new long[] {e.getValue().seq(), e.getValue().timestamp()});
            }
        }
        m.meta().put(INDEXED, at);
        if (!effectsBehind) {
            m.meta().put(EFFECTS, effectsApplied);
        }
    }

    /** Deletes the files of a batch's DELETE entries in SQL (replayed at the next open if that fails). */
    private void deleteFiles(List<String> deletedFiles) {
        if (deletedFiles.isEmpty()) {
            return;
        }
        try {
            effects.apply(List.of(), deletedFiles);
        } catch (RuntimeException e) {
            // The messages are durable: only their SQL effects wait, replayed from the log at the next open.
            effectsBehind = true;
            LOG.atWarn().setCause(e).log("message log: a deletion's files could not be deleted in SQL; they will be "
                    + "deleted when the server starts");
        }
    }

    /**
     * Writes the senders' marks deferred since the last checkpoint (one SQL transaction); then, unless an earlier
     * failure left effects behind, every entry's effects up to {@link #position} are applied.
     */
    private void flushMarks() {
        try {
            effects.flushMarks();
            if (!effectsBehind) {
                effectsApplied = position;
            }
        } catch (RuntimeException e) {
            // The messages are durable: only their SQL effects wait, replayed from the log at the next open.
            effectsBehind = true;
            LOG.atWarn().setCause(e).log("message log: the senders' marks could not be written to SQL; they will be "
                    + "applied again when the server starts");
        }
    }

    /** A full disk is a {@link StorageFullException}, as in the SQL adapters; anything else a StorageException. */
    private static StorageException translate(String what, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No space left") || m.contains("Disk full") || m.contains("disk full")) {
                return new StorageFullException("the server's disk is full (" + what + ")", e);
            }
        }
        return new StorageException(what + ": " + e.getMessage(), e);
    }

    private static List<JdbcLogEffects.Mark> marks(Map<MarkKey, Long> marks) {
        List<JdbcLogEffects.Mark> out = new ArrayList<>(marks.size());
        for (Map.Entry<MarkKey, Long> e : marks.entrySet()) {
            out.add(new JdbcLogEffects.Mark(e.getKey().conversationId(), e.getKey().accountId(), e.getValue()));
        }
        return out;
    }

    private static void rollBack(Maps m) {
        if (m.store().isClosed()) {
            return; // a failed write closed it: the next call reopens it from the file
        }
        try {
            m.store().rollback();
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("message log: rollback failed");
        }
    }

    /** Commits (and syncs with fsync) what the caller wrote outside a batch. */
    private void commit(Maps m) {
        m.store().commit();
        if (fsync) {
            m.store().sync();
        }
    }

    private static StoredMessage stored(Draft d, long seq) {
        boolean change = d.kind() == Kind.EDIT || d.kind() == Kind.DELETE;
        return new StoredMessage(d.conversationId(), seq, d.senderId(), d.clientMessageId(), d.kind(), d.timestamp(),
                d.kind() == Kind.DELETE ? "" : d.text(),
                d.attachments() == null || change ? NONE : d.attachments(), change ? 0 : d.replyTo(), 0, false,
                change ? d.targetSeq() : 0);
    }

    // ---- reading

    /**
     * Runs a read against the open store with its current version pinned: with retention time 0, a chunk that
     * version reads from is not overwritten until the read is done.
     */
    private <T> T read(Function<Maps, T> reading) {
        Maps m = usable();
        MVStore.TxCounter pin = m.store().registerVersionUsage();
        try {
            return reading.apply(m);
        } catch (MVStoreException | IllegalStateException e) {
            throw translate("the message log could not be read", e);
        } finally {
            m.store().deregisterVersionUsage(pin);
        }
    }

    /** The client id leads the key: time-ordered ids land at the end of the map. */
    private static String clientKey(long senderId, String clientMessageId) {
        return clientMessageId + '\u0000' + senderId;
    }

    private long[] clientIdAt(Maps m, String key) {
        long[] at = pendingClientIds.get(key);
        return at != null ? at : m.clientIds().get(key);
    }

    private Long positionOf(Maps m, long conversationId, long seq, Map<Key, Long> batchIndex) {
        Key key = new Key(conversationId, seq);
        Long at = batchIndex.get(key);
        if (at == null) {
            at = pendingIndex.get(key);
        }
        return at != null ? at : m.index().get(new long[] {conversationId, seq});
    }

    private Optional<StoredMessage> message(Maps m, long conversationId, long seq) {
        Long at = positionOf(m, conversationId, seq, Map.of());
        if (at == null) {
            return Optional.empty();
        }
        Entry e = decodeOrNull(m.log().get(at));
        return e == null ? Optional.empty() : Optional.of(e.message());
    }

    @Override
    public Optional<StoredMessage> message(long conversationId, long seq) {
        return read(m -> message(m, conversationId, seq));
    }

    @Override
    public List<StoredMessage> after(long conversationId, long afterSeq, int limit) {
        long newest = lastSeq(conversationId);
        return read(m -> {
            List<StoredMessage> out = new ArrayList<>();
            for (long seq = Math.max(0, afterSeq) + 1; seq <= newest && out.size() < limit; seq++) {
                message(m, conversationId, seq).ifPresent(out::add);
            }
            return out;
        });
    }

    @Override
    public List<StoredMessage> before(long conversationId, long beforeSeq, int limit) {
        long newest = lastSeq(conversationId);
        long from = beforeSeq <= 0 ? newest : Math.min(newest, beforeSeq - 1);
        return read(m -> {
            List<StoredMessage> out = new ArrayList<>();
            for (long seq = from; seq >= 1 && out.size() < limit; seq--) {
                message(m, conversationId, seq).ifPresent(out::add);
            }
            Collections.reverse(out);
            return out;
        });
    }

    @Override
    public List<Authorship> authors(long conversationId, long afterSeq, long upToSeq) {
        long to = Math.min(upToSeq, lastSeq(conversationId));
        return read(m -> {
            List<Authorship> out = new ArrayList<>();
            for (long seq = Math.max(0, afterSeq) + 1; seq <= to; seq++) {
                Optional<StoredMessage> msg = message(m, conversationId, seq);
                if (msg.isPresent()) {
                    out.add(new Authorship(seq, msg.get().senderId()));
                }
            }
            return out;
        });
    }

    @Override
    public long[] changesAfter(long conversationId, long afterSeq) {
        long newest = lastSeq(conversationId);
        return read(m -> {
            List<Long> out = new ArrayList<>();
            for (Cursor<long[], long[]> c = m.changes().cursor(new long[] {conversationId, afterSeq + 1});
                    c.hasNext();) {
                long[] key = c.next();
                if (key[0] != conversationId || key[1] > newest) {
                    break; // past the conversation, or written by a batch not yet durable
                }
                out.add(key[1]);
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        });
    }

    @Override
    public long lastSeq(long conversationId) {
        Tail t = tails.get(conversationId);
        return t == null ? 0 : t.seq();
    }

    @Override
    public OptionalLong lastActivity(long conversationId) {
        Tail t = tails.get(conversationId);
        return t == null || t.seq() == 0 ? OptionalLong.empty() : OptionalLong.of(t.timestamp());
    }

    @Override
    public List<LastSeq> lastSeqs() {
        List<LastSeq> out = new ArrayList<>();
        for (Map.Entry<Long, Tail> e : tails.entrySet()) {
            if (e.getValue().seq() > 0) {
                out.add(new LastSeq(e.getKey(), e.getValue().seq()));
            }
        }
        out.sort(java.util.Comparator.comparingLong(LastSeq::conversationId));
        return out;
    }

    @Override
    public boolean clientIdUsed(long senderId, String clientMessageId) {
        return read(m -> clientIdAt(m, clientKey(senderId, clientMessageId)) != null);
    }

    // ---- deleting, backup, closing

    @Override
    public void deleteConversation(long conversationId) {
        synchronized (writeLock) {
            Maps m = usableLocked();
            try {
                forget(m, new Memory(tails, pendingIndex, pendingClientIds, dirtyTails), conversationId);
                commit(m);
            } catch (MVStoreException | IllegalStateException e) {
                rollBack(m);
                throw translate("the message log could not delete conversation " + conversationId, e);
            }
        }
    }

    /** Removes a conversation's entries, index entries and client ids (in the caller's commit). */
    private static void forget(Maps m, Memory mem, long conversationId) {
        Tail t = mem.tails().remove(conversationId);
        mem.dirtyTails().remove(conversationId);
        long newest = t == null ? 0 : t.seq();
        long[] stored = m.last().remove(conversationId);
        if (stored != null) {
            newest = Math.max(newest, stored[0]);
        }
        for (long seq = 1; seq <= newest; seq++) {
            Key key = new Key(conversationId, seq);
            Long at = mem.pendingIndex().remove(key);
            Long indexed = m.index().remove(new long[] {conversationId, seq});
            at = at != null ? at : indexed;
            if (at == null) {
                continue;
            }
            Entry e = decodeOrNull(m.log().remove(at));
            if (e != null && !e.message().clientMessageId().isEmpty()) {
                String ck = clientKey(e.message().senderId(), e.message().clientMessageId());
                mem.pendingClientIds().remove(ck);
                m.clientIds().remove(ck);
            }
        }
        List<long[]> changed = new ArrayList<>();
        for (Cursor<long[], long[]> c = m.changes().cursor(new long[] {conversationId, 0}); c.hasNext();) {
            long[] key = c.next();
            if (key[0] != conversationId) {
                break;
            }
            changed.add(key);
        }
        changed.forEach(m.changes()::remove);
    }

    /**
     * Adds a consistent copy of the log file to {@code zip} while the server runs (MVStore's online backup: space
     * is not reused while the file is copied, so the copy ends at a complete chunk).
     */
    public void backup(ZipOutputStream zip) {
        Maps m;
        synchronized (writeLock) {
            m = usableLocked();
            commit(m); // synced: with retention time 0 the next commit may reuse space
        }
        try {
            m.store().getFileStore().backup(zip);
        } catch (IOException e) {
            throw new UncheckedIOException("message log backup failed: " + e.getMessage(), e);
        }
    }

    /**
     * Bounds the log's page cache (what it keeps of the file's pages in the heap: recent history is read from it) to
     * {@code mib} MiB, the message-log-cache-mib setting; MVStore's own default is {@value #DEFAULT_CACHE_MIB}.
     */
    public void setCacheSize(int mib) {
        if (mib < 1) {
            throw new IllegalArgumentException("the message log's cache needs at least 1 MiB, was " + mib);
        }
        cacheMiB = mib;
        maps.store().setCacheSize(mib * 1024);
    }

    /** The page cache's bound and what it holds now, in MiB. */
    public int[] cacheMiB() {
        MVStore store = maps.store();
        return new int[] {store.getCacheSize(), store.getCacheSizeUsed()};
    }

    /** Writes the indexes (so that the next open reads nothing back), syncs and closes; a second close does nothing. */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            Maps m = maps;
            if (m.store().isClosed()) {
                m.store().closeImmediately(); // closed by a failed write: the next start reads its tail back
                return;
            }
            try {
                writeIndexes(m, Map.of(), Map.of(), Map.of(), position);
                m.store().commit();
                m.store().sync();
                m.store().close();
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("message log: closing failed; the next start reads its tail back");
                m.store().closeImmediately();
            }
        }
    }

    // ---- records

    static byte[] encode(StoredMessage m, List<String> deletedFiles) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + m.text().length() + m.attachments().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1); // record format
            out.writeLong(m.conversationId());
            out.writeLong(m.seq());
            out.writeLong(m.senderId());
            writeString(out, m.clientMessageId());
            out.writeByte(m.kind().wireCode());
            out.writeLong(m.timestamp());
            writeString(out, m.text());
            out.writeInt(m.attachments().length);
            out.write(m.attachments());
            out.writeLong(m.replyTo());
            out.writeLong(m.editedAt());
            out.writeBoolean(m.deleted());
            out.writeLong(m.targetSeq());
            out.writeInt(deletedFiles.size());
            for (String f : deletedFiles) {
                writeString(out, f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Entry decodeOrNull(byte[] record) {
        return record == null ? null : decode(record);
    }

    static Entry decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(record))) {
            int format = in.readByte();
            if (format != 1) {
                throw new StorageException("message log: unknown record format " + format);
            }
            long conversation = in.readLong();
            long seq = in.readLong();
            long sender = in.readLong();
            String clientId = readString(in);
            Kind kind = KINDS[in.readByte()];
            long ts = in.readLong();
            String text = readString(in);
            byte[] attachments = new byte[in.readInt()];
            in.readFully(attachments);
            long replyTo = in.readLong();
            long editedAt = in.readLong();
            boolean deleted = in.readBoolean();
            long target = in.readLong();
            int files = in.readInt();
            List<String> deletedFiles = files == 0 ? List.of() : new ArrayList<>(files);
            for (int i = 0; i < files; i++) {
                deletedFiles.add(readString(in));
            }
            return new Entry(new StoredMessage(conversation, seq, sender, clientId, kind, ts, text,
                    attachments.length == 0 ? NONE : attachments, replyTo, editedAt, deleted, target), deletedFiles);
        } catch (IOException e) {
            throw new StorageException("message log: a damaged record: " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A key or value of a few longs, ordered element by element (a shorter prefix first). */
    static final class LongsType extends BasicDataType<long[]> {
        static final LongsType INSTANCE = new LongsType();

        @Override
        public int getMemory(long[] k) {
            return 24 + 8 * k.length;
        }

        @Override
        public void write(WriteBuffer buff, long[] k) {
            buff.put((byte) k.length);
            for (long x : k) {
                buff.putLong(x);
            }
        }

        @Override
        public long[] read(ByteBuffer buff) {
            long[] k = new long[buff.get()];
            for (int i = 0; i < k.length; i++) {
                k[i] = buff.getLong();
            }
            return k;
        }

        @Override
        public int compare(long[] x, long[] y) {
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                int c = Long.compare(x[i], y[i]);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.length, y.length);
        }

        @Override
        public long[][] createStorage(int size) {
            return new long[size][];
        }
    }
}
