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
 * (the senders' marks, the files a DELETE removes) are applied after that, in one SQL transaction; the log is the
 * truth: they are replayed idempotently at open from the position up to which SQL was last synced after applying
 * them. Conversations live in SQL: a conversation the log does not know yet is checked there once, and at open the
 * entries of conversations SQL no longer has (a group deleted just before a crash) are dropped.
 */
public final class MvStoreMessageLog implements MessageStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MvStoreMessageLog.class);

    /** The log's file in the data directory (starts with "parley." so that H2's Restore tool restores it too). */
    public static final String FILE = "parley.messages.mvlog";
    /** Entries kept in memory between two writes of the indexes. */
    static final int INDEX_EVERY = 10_000;

    private static final Kind[] KINDS = new Kind[Kind.values().length];
    private static final byte[] NONE = new byte[0];
    private static final String INDEXED = "indexed";
    private static final String EFFECTS = "effects";
    private static final String IMPORTED = "imported";

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

    private final MVStore store;
    private final MVMap<Long, byte[]> log;
    private final MVMap<long[], Long> index;
    private final MVMap<String, long[]> clientIds;
    private final MVMap<long[], long[]> changes;
    private final MVMap<Long, long[]> last;
    private final MVMap<String, Long> meta;
    private final JdbcLogEffects effects;
    private final boolean fsync;
    public volatile StorageMetrics metrics = StorageMetrics.NONE;

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
    private boolean closed;

    private MvStoreMessageLog(MVStore store, JdbcLogEffects effects, boolean fsync) {
        this.store = store;
        this.effects = effects;
        this.fsync = fsync;
        log = store.openMap("log", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
        index = store.openMap("index", new MVMap.Builder<long[], Long>().keyType(LongsType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
        clientIds = store.openMap("client_ids", new MVMap.Builder<String, long[]>().keyType(StringDataType.INSTANCE)
                .valueType(LongsType.INSTANCE));
        changes = store.openMap("changes", new MVMap.Builder<long[], long[]>().keyType(LongsType.INSTANCE)
                .valueType(LongsType.INSTANCE));
        last = store.openMap("last", new MVMap.Builder<Long, long[]>().keyType(LongDataType.INSTANCE)
                .valueType(LongsType.INSTANCE));
        meta = store.openMap("meta", new MVMap.Builder<String, Long>().keyType(StringDataType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
    }

    /**
     * Opens (creating if needed) the log in {@code dataDir}: imports the SQL {@code messages} table the first time,
     * reads the entries after the last checkpoint back into memory, replays their SQL effects, and drops the
     * entries of conversations SQL no longer has.
     */
    public static MvStoreMessageLog open(Path dataDir, JdbcLogEffects effects, boolean fsync) {
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(dataDir.resolve(FILE).toAbsolutePath().toString())
                    .autoCommitDisabled().open();
        } catch (MVStoreException e) {
            throw new StorageException("cannot open the message log " + dataDir.resolve(FILE) + ": "
                    + e.getMessage(), e);
        }
        try {
            MvStoreMessageLog opened = new MvStoreMessageLog(store, effects, fsync);
            opened.recover();
            return opened;
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e instanceof StorageException ? e : new StorageException("cannot open the message log: " + e, e);
        }
    }

    // ---- opening

    private void recover() {
        synchronized (writeLock) {
            if (meta.get(IMPORTED) == null) {
                importSql();
            }
            Long lastKey = log.lastKey();
            position = lastKey == null ? 0 : lastKey;
            for (Map.Entry<Long, long[]> e : last.entrySet()) {
                tails.put(e.getKey(), new Tail(e.getValue()[0], e.getValue()[1]));
            }
            long indexed = meta.getOrDefault(INDEXED, 0L);
            long applied = meta.getOrDefault(EFFECTS, 0L);
            Map<MarkKey, Long> marks = new HashMap<>();
            List<String> files = new ArrayList<>();
            long replayed = 0;
            for (Cursor<Long, byte[]> c = log.cursor(Math.min(indexed, applied) + 1); c.hasNext();) {
                long at = c.next();
                Entry entry = decode(c.getValue());
                StoredMessage m = entry.message();
                if (at > indexed) {
                    pendingIndex.put(new Key(m.conversationId(), m.seq()), at);
                    if (!m.clientMessageId().isEmpty()) {
                        pendingClientIds.put(clientKey(m.senderId(), m.clientMessageId()),
                                new long[] {m.conversationId(), m.seq()});
                    }
                    Tail t = tails.get(m.conversationId());
                    if (t == null || t.seq() < m.seq()) {
                        tails.put(m.conversationId(), new Tail(m.seq(), m.timestamp()));
                        dirtyTails.add(m.conversationId());
                    }
                    replayed++;
                }
                if (at > applied) {
                    marks.merge(new MarkKey(m.conversationId(), m.senderId()), m.seq(), Math::max);
                    files.addAll(entry.deletedFiles());
                }
            }
            // Conversations deleted in SQL whose entries the log still has (a crash between the two deletions).
            Set<Long> existing = effects.existing(tails.keySet());
            for (long id : new ArrayList<>(tails.keySet())) {
                if (!existing.contains(id)) {
                    marks.keySet().removeIf(k -> k.conversationId() == id);
                    forget(id);
                }
            }
            effects.apply(marks(marks), files);
            effectsApplied = position;
            commit();
            LOG.atInfo().addKeyValue("entries", position).addKeyValue("replayed", replayed)
                    .addKeyValue("conversations", tails.size()).log("message log opened");
        }
    }

    /** The first open of a data directory whose messages are in the SQL table: copies them into the log. */
    private void importSql() {
        long at = log.isEmpty() ? 0 : log.lastKey();
        long count = 0;
        for (LastSeq conversation : effects.sqlLastSeqs()) {
            long after = 0;
            long ts = 0;
            while (after < conversation.lastSeq()) {
                List<StoredMessage> page = effects.sqlAfter(conversation.conversationId(), after, 1000);
                if (page.isEmpty()) {
                    break;
                }
                for (StoredMessage m : page) {
                    log.put(++at, encode(m, List.of()));
                    index.put(new long[] {m.conversationId(), m.seq()}, at);
                    if (!m.clientMessageId().isEmpty()) {
                        clientIds.put(clientKey(m.senderId(), m.clientMessageId()),
                                new long[] {m.conversationId(), m.seq()});
                    }
                    if (m.isChange() || m.kind() == Kind.SYSTEM) { // the entries unread counts leave out
                        changes.put(new long[] {m.conversationId(), m.seq()},
                                new long[] {m.targetSeq(), m.kind().wireCode()});
                    }
                    after = m.seq();
                    ts = m.timestamp();
                    count++;
                }
                if (count % 10_000 < page.size()) {
                    store.commit();
                }
            }
            last.put(conversation.conversationId(), new long[] {after, ts});
        }
        meta.put(INDEXED, at);
        meta.put(EFFECTS, at);
        meta.put(IMPORTED, count);
        store.commit();
        store.sync();
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
            if (closed) {
                throw new StorageException("the message log is closed");
            }
            checkConversations(drafts);
            long at = position;
            results = new ArrayList<>(drafts.size());
            Map<String, StoredMessage> inBatch = new HashMap<>();
            Map<Long, Long> seqs = new HashMap<>();
            Map<Key, Long> batchIndex = new HashMap<>();
            Map<String, long[]> batchClientIds = new HashMap<>();
            Map<Long, Tail> batchTails = new HashMap<>();
            try {
                for (Draft d : drafts) {
                    String ck = d.clientMessageId().isEmpty() ? null : clientKey(d.senderId(), d.clientMessageId());
                    if (ck != null) {
                        StoredMessage earlier = inBatch.get(ck);
                        if (earlier == null) {
                            long[] stored = clientIdAt(ck);
                            earlier = stored == null ? null : message(stored[0], stored[1]).orElse(null);
                        }
                        if (earlier != null) {
                            results.add(new AppendResult(earlier, true));
                            continue;
                        }
                    }
                    long conversation = d.conversationId();
                    long seq = seqs.computeIfAbsent(conversation, c -> tails.get(c).seq()) + 1;
                    seqs.put(conversation, seq);
                    StoredMessage m = stored(d, seq);
                    List<String> removes = List.of();
                    if (m.isChange()) {
                        boolean targetWasDeleted = applyChange(m, batchIndex);
                        if (m.kind() == Kind.EDIT && targetWasDeleted) {
                            m = m.withText("");
                        } else if (m.kind() == Kind.DELETE && !targetWasDeleted) {
                            removes = d.fileIds();
                            deletedFiles.addAll(removes);
                        }
                        changes.put(new long[] {conversation, seq}, new long[] {m.targetSeq(), m.kind().wireCode()});
                    } else if (m.kind() == Kind.SYSTEM) { // not unread either (as V16 in the SQL adapters)
                        changes.put(new long[] {conversation, seq}, new long[] {0, m.kind().wireCode()});
                    }
                    log.put(++at, encode(m, removes));
                    batchIndex.put(new Key(conversation, seq), at);
                    if (ck != null) {
                        batchClientIds.put(ck, new long[] {conversation, seq});
                        inBatch.put(ck, m);
                    }
                    batchTails.put(conversation, new Tail(seq, m.timestamp()));
                    marks.merge(new MarkKey(conversation, d.senderId()), seq, Math::max);
                    results.add(new AppendResult(m, false));
                }
                boolean checkpoint = pendingIndex.size() + batchIndex.size() >= INDEX_EVERY;
                if (checkpoint) {
                    writeIndexes(batchIndex, batchClientIds, batchTails, at);
                }
                store.commit();
                metrics.messagesWritten(System.nanoTime() - start);
                synced = System.nanoTime();
                if (fsync) {
                    store.sync();
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
            } catch (MVStoreException | IllegalStateException e) {
                rollBack();
                throw translate("the message log could not store a batch", e);
            } catch (RuntimeException e) {
                rollBack();
                throw e;
            }
            if (fsync) {
                metrics.synced(System.nanoTime() - synced);
            }
            applyEffects(marks, deletedFiles, position);
        }
        return results;
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
     * Applies an EDIT or DELETE entry {@code m} to its target (rewritten in place) and to the target's EDIT
     * entries; returns whether the target was already deleted (or missing).
     */
    private boolean applyChange(StoredMessage m, Map<Key, Long> batchIndex) {
        long conversation = m.conversationId();
        Long at = positionOf(conversation, m.targetSeq(), batchIndex);
        Entry target = at == null ? null : decodeOrNull(log.get(at));
        boolean wasDeleted = target == null || target.message().deleted();
        if (m.kind() == Kind.EDIT) {
            if (wasDeleted) {
                return true;
            }
            StoredMessage t = target.message();
            log.put(at, encode(new StoredMessage(t.conversationId(), t.seq(), t.senderId(), t.clientMessageId(),
                    t.kind(), t.timestamp(), m.text(), t.attachments(), t.replyTo(), m.timestamp(), false,
                    t.targetSeq()), target.deletedFiles()));
            setTextOfEdits(conversation, m.targetSeq(), m.text(), batchIndex);
            return false;
        }
        if (target != null) {
            StoredMessage t = target.message();
            log.put(at, encode(new StoredMessage(t.conversationId(), t.seq(), t.senderId(), t.clientMessageId(),
                    t.kind(), t.timestamp(), "", NONE, t.replyTo(), t.editedAt(), true, t.targetSeq()),
                    target.deletedFiles()));
        }
        setTextOfEdits(conversation, m.targetSeq(), "", batchIndex);
        return wasDeleted;
    }

    /** Gives the EDIT entries of message {@code target} the text {@code text}. */
    private void setTextOfEdits(long conversation, long target, String text, Map<Key, Long> batchIndex) {
        for (Cursor<long[], long[]> c = changes.cursor(new long[] {conversation, target + 1}); c.hasNext();) {
            long[] key = c.next();
            if (key[0] != conversation) {
                break;
            }
            long[] change = c.getValue();
            if (change[0] != target || change[1] != Kind.EDIT.wireCode()) {
                continue;
            }
            Long at = positionOf(conversation, key[1], batchIndex);
            Entry e = at == null ? null : decodeOrNull(log.get(at));
            if (e != null) {
                log.put(at, encode(e.message().withText(text), e.deletedFiles()));
            }
        }
    }

    /** Writes the in-memory index entries, client ids and conversation tails to their maps (in the caller's commit). */
    private void writeIndexes(Map<Key, Long> batchIndex, Map<String, long[]> batchClientIds,
            Map<Long, Tail> batchTails, long at) {
        // The SQL effects of the entries up to effectsApplied are made durable before the log says so.
        if (!effectsBehind) {
            effects.sync();
        }
        for (Map<Key, Long> m : List.of(pendingIndex, batchIndex)) {
            for (Map.Entry<Key, Long> e : m.entrySet()) {
                index.put(new long[] {e.getKey().conversationId(), e.getKey().seq()}, e.getValue());
            }
        }
        clientIds.putAll(pendingClientIds);
        clientIds.putAll(batchClientIds);
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
                last.put(e.getKey(), new long[] {e.getValue().seq(), e.getValue().timestamp()});
            }
        }
        meta.put(INDEXED, at);
        if (!effectsBehind) {
            meta.put(EFFECTS, effectsApplied);
        }
    }

    private void applyEffects(Map<MarkKey, Long> marks, List<String> deletedFiles, long upTo) {
        try {
            effects.apply(marks(marks), deletedFiles);
            if (!effectsBehind) {
                effectsApplied = upTo;
            }
        } catch (RuntimeException e) {
            // The messages are durable: only their SQL effects wait, replayed from the log at the next open.
            effectsBehind = true;
            LOG.atWarn().setCause(e).log("message log: the senders' marks or a deletion's files could not be "
                    + "written to SQL; they will be applied again when the server starts");
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

    private void rollBack() {
        try {
            store.rollback();
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("message log: rollback failed");
        }
    }

    /** Commits (and syncs with fsync) what the caller wrote outside a batch. */
    private void commit() {
        store.commit();
        if (fsync) {
            store.sync();
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

    /** The client id leads the key: time-ordered ids land at the end of the map. */
    private static String clientKey(long senderId, String clientMessageId) {
        return clientMessageId + '\u0000' + senderId;
    }

    private long[] clientIdAt(String key) {
        long[] at = pendingClientIds.get(key);
        return at != null ? at : clientIds.get(key);
    }

    private Long positionOf(long conversationId, long seq, Map<Key, Long> batchIndex) {
        Key key = new Key(conversationId, seq);
        Long at = batchIndex.get(key);
        if (at == null) {
            at = pendingIndex.get(key);
        }
        return at != null ? at : index.get(new long[] {conversationId, seq});
    }

    @Override
    public Optional<StoredMessage> message(long conversationId, long seq) {
        Long at = positionOf(conversationId, seq, Map.of());
        if (at == null) {
            return Optional.empty();
        }
        Entry e = decodeOrNull(log.get(at));
        return e == null ? Optional.empty() : Optional.of(e.message());
    }

    @Override
    public List<StoredMessage> after(long conversationId, long afterSeq, int limit) {
        long newest = lastSeq(conversationId);
        List<StoredMessage> out = new ArrayList<>();
        for (long seq = Math.max(0, afterSeq) + 1; seq <= newest && out.size() < limit; seq++) {
            message(conversationId, seq).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public List<StoredMessage> before(long conversationId, long beforeSeq, int limit) {
        long newest = lastSeq(conversationId);
        long from = beforeSeq <= 0 ? newest : Math.min(newest, beforeSeq - 1);
        List<StoredMessage> out = new ArrayList<>();
        for (long seq = from; seq >= 1 && out.size() < limit; seq--) {
            message(conversationId, seq).ifPresent(out::add);
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public List<Authorship> authors(long conversationId, long afterSeq, long upToSeq) {
        long to = Math.min(upToSeq, lastSeq(conversationId));
        List<Authorship> out = new ArrayList<>();
        for (long seq = Math.max(0, afterSeq) + 1; seq <= to; seq++) {
            Optional<StoredMessage> m = message(conversationId, seq);
            if (m.isPresent()) {
                out.add(new Authorship(seq, m.get().senderId()));
            }
        }
        return out;
    }

    @Override
    public long[] changesAfter(long conversationId, long afterSeq) {
        long newest = lastSeq(conversationId);
        List<Long> out = new ArrayList<>();
        for (Cursor<long[], long[]> c = changes.cursor(new long[] {conversationId, afterSeq + 1}); c.hasNext();) {
            long[] key = c.next();
            if (key[0] != conversationId || key[1] > newest) {
                break; // past the conversation, or written by a batch not yet durable
            }
            out.add(key[1]);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
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
        return clientIdAt(clientKey(senderId, clientMessageId)) != null;
    }

    // ---- deleting, backup, closing

    @Override
    public void deleteConversation(long conversationId) {
        synchronized (writeLock) {
            if (closed) {
                throw new StorageException("the message log is closed");
            }
            try {
                forget(conversationId);
                commit();
            } catch (MVStoreException e) {
                rollBack();
                throw new StorageException("the message log could not delete conversation " + conversationId + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Removes a conversation's entries, index entries and client ids (in the caller's commit). */
    private void forget(long conversationId) {
        Tail t = tails.remove(conversationId);
        dirtyTails.remove(conversationId);
        long newest = t == null ? 0 : t.seq();
        long[] stored = last.remove(conversationId);
        if (stored != null) {
            newest = Math.max(newest, stored[0]);
        }
        for (long seq = 1; seq <= newest; seq++) {
            Key key = new Key(conversationId, seq);
            Long at = pendingIndex.remove(key);
            Long indexed = index.remove(new long[] {conversationId, seq});
            at = at != null ? at : indexed;
            if (at == null) {
                continue;
            }
            Entry e = decodeOrNull(log.remove(at));
            if (e != null && !e.message().clientMessageId().isEmpty()) {
                String ck = clientKey(e.message().senderId(), e.message().clientMessageId());
                pendingClientIds.remove(ck);
                clientIds.remove(ck);
            }
        }
        List<long[]> changed = new ArrayList<>();
        for (Cursor<long[], long[]> c = changes.cursor(new long[] {conversationId, 0}); c.hasNext();) {
            long[] key = c.next();
            if (key[0] != conversationId) {
                break;
            }
            changed.add(key);
        }
        changed.forEach(changes::remove);
    }

    /**
     * Adds a consistent copy of the log file to {@code zip} while the server runs (MVStore's online backup: space
     * is not reused while the file is copied, so the copy ends at a complete chunk).
     */
    public void backup(ZipOutputStream zip) {
        synchronized (writeLock) {
            if (closed) {
                throw new StorageException("the message log is closed");
            }
            store.commit();
        }
        try {
            store.getFileStore().backup(zip);
        } catch (IOException e) {
            throw new UncheckedIOException("message log backup failed: " + e.getMessage(), e);
        }
    }

    /** Writes the indexes (so that the next open reads nothing back), syncs and closes; a second close does nothing. */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                writeIndexes(Map.of(), Map.of(), Map.of(), position);
                store.commit();
                store.sync();
                store.close();
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("message log: closing failed; the next start reads its tail back");
                store.closeImmediately();
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
