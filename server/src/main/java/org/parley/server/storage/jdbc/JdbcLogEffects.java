package org.parley.server.storage.jdbc;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.parley.server.conversations.Member;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.StoredMessage;

/**
 * What a message log kept outside SQL (H2's MVStore log, message-log=mvstore; docs/decisions/message-log.md) needs
 * from the SQL database: which conversations exist, the SQL side effects of its entries (the senders' marks, the
 * files a DELETE removes), applied after the log's commit and replayed idempotently when the log opens, a sync of
 * the SQL database, and the SQL {@code messages} table to import once.
 *
 * <p>The senders' marks are <b>written behind</b>: the log hands each batch's marks to {@link #defer} (memory only)
 * and has them written with {@link #flushMarks} in one transaction at its index checkpoints (every 10,000
 * entries, and at close), before it records them as applied; a crash before that loses nothing, the log replays
 * them at open. Until then the members read from SQL are overlaid with them ({@link JdbcConversationStore}), so no
 * reader sees a sender's mark behind what the log holds.
 */
public final class JdbcLogEffects {

    /** A sender's marks in a conversation move to {@code seq} (never backwards). */
    public record Mark(long conversationId, long accountId, long seq) {
    }

    private record MarkKey(long conversationId, long accountId) {
    }

    private final Jdbc jdbc;
    /** Marks deferred and not yet taken by a flush (the newest seq per conversation and sender). */
    private final ConcurrentHashMap<MarkKey, Long> deferred = new ConcurrentHashMap<>();
    /** Marks taken by the flush under way and not yet committed: still to be overlaid. */
    private final ConcurrentHashMap<MarkKey, Long> writing = new ConcurrentHashMap<>();
    /** Flushes committed so far: a reader whose SQL read a flush may have overtaken reads again. */
    private final AtomicLong flushes = new AtomicLong();

    public JdbcLogEffects(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Which of these conversations exist. */
    public Set<Long> existing(Collection<Long> conversationIds) {
        Set<Long> out = new HashSet<>();
        if (conversationIds.isEmpty()) {
            return out;
        }
        Object[] ids = conversationIds.toArray();
        out.addAll(jdbc.query("SELECT id FROM conversations WHERE id = ANY(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("BIGINT", ids)), rs -> rs.getLong(1)));
        return out;
    }

    /**
     * Applies entries' SQL side effects in one transaction: marks (GREATEST, so applying them again changes
     * nothing) and file deletions (a file already deleted is skipped).
     */
    public void apply(Collection<Mark> marks, List<String> deletedFiles) {
        if (marks.isEmpty() && deletedFiles.isEmpty()) {
            return;
        }
        jdbc.inTransaction(c -> {
            if (!marks.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(JdbcConversationStore.UPDATE_MARKS)) {
                    // In the one order every writer of marks uses (JdbcConversationStore.MARK_ORDER).
                    List<Mark> ordered = marks.stream().sorted(java.util.Comparator.comparingLong(Mark::conversationId)
                            .thenComparingLong(Mark::accountId)).toList();
                    for (Mark m : ordered) {
                        ps.setLong(1, m.seq());
                        ps.setLong(2, m.seq());
                        ps.setLong(3, m.conversationId());
                        ps.setLong(4, m.accountId());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            JdbcFileStore.deleteFiles(c, deletedFiles);
            return null;
        });
    }

    /**
     * Keeps stored entries' marks to be written by the next {@link #flushMarks} (memory only: the caller replays them
     * from its own durable entries after a crash).
     */
    public void defer(Collection<Mark> marks) {
        for (Mark m : marks) {
            deferred.merge(new MarkKey(m.conversationId(), m.accountId()), m.seq(), Math::max);
        }
    }

    /**
     * Writes every deferred mark in one transaction (without a sync of its own). On failure they stay deferred and
     * the exception is thrown. One flush at a time (the log calls it under its write lock).
     */
    public synchronized void flushMarks() {
        if (deferred.isEmpty()) {
            return;
        }
        List<Mark> batch = new ArrayList<>(deferred.size());
        for (Map.Entry<MarkKey, Long> e : deferred.entrySet()) {
            MarkKey k = e.getKey();
            long seq = e.getValue();
            writing.put(k, seq); // overlaid until committed: a reader never sees the mark go back meanwhile
            if (deferred.remove(k, seq)) {
                batch.add(new Mark(k.conversationId(), k.accountId(), seq));
            }
        }
        try {
            apply(batch, List.of());
            flushes.incrementAndGet();
        } catch (RuntimeException e) {
            defer(batch);
            throw e;
        } finally {
            writing.clear();
        }
    }

    /** A count that moves whenever a flush has committed: see {@link #overlay}. */
    long flushes() {
        return flushes.get();
    }

    /**
     * A member row read from SQL with its deferred mark (if any) merged in. A caller that read the row after taking
     * {@link #flushes()} and finds it moved by the time it has overlaid reads again: the flush may have committed
     * after its read and cleared the mark it wrote before the overlay looked.
     */
    Member overlay(Member stored) {
        if (deferred.isEmpty() && writing.isEmpty()) {
            return stored;
        }
        MarkKey k = new MarkKey(stored.conversationId(), stored.accountId());
        long seq = Math.max(deferred.getOrDefault(k, 0L), writing.getOrDefault(k, 0L));
        if (seq <= stored.deliveredUpTo() && seq <= stored.readUpTo()) {
            return stored;
        }
        return new Member(stored.conversationId(), stored.accountId(), Math.max(stored.deliveredUpTo(), seq),
                Math.max(stored.readUpTo(), seq), stored.role());
    }

    /** Forces what SQL committed so far to the device (before the log records the effects as applied). */
    public void sync() {
        jdbc.sync();
    }

    /** The conversations of the SQL {@code messages} table, for the one-time import. */
    public List<MessageStore.LastSeq> sqlLastSeqs() {
        return jdbc.query("SELECT conversation_id, MAX(seq) FROM messages GROUP BY conversation_id "
                + "ORDER BY conversation_id", ps -> {
                }, rs -> new MessageStore.LastSeq(rs.getLong(1), rs.getLong(2)));
    }

    /** A page of a conversation's messages in the SQL table, for the one-time import. */
    public List<StoredMessage> sqlAfter(long conversationId, long afterSeq, int limit) {
        return new JdbcMessageStore(jdbc, false).after(conversationId, afterSeq, limit);
    }

    /**
     * The groups whose creator is not recorded ({@code conversations.created_by} 0). Schema V14 fills it from the
     * SQL messages table; on a data directory whose messages an older server had already moved into the log, the
     * table it read was stale, so the log fills it again from its own entries (once).
     */
    public List<Long> groupsWithoutCreator() {
        return jdbc.query("SELECT id FROM conversations WHERE kind = 1 AND created_by = 0", ps -> {
        }, rs -> rs.getLong(1));
    }

    /** Records each group's creator (group id → account id) where none is recorded yet. */
    public void setCreators(Map<Long, Long> creators) {
        if (creators.isEmpty()) {
            return;
        }
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE conversations SET created_by = ? WHERE id = ? AND created_by = 0")) {
                for (Map.Entry<Long, Long> e : creators.entrySet()) {
                    ps.setLong(1, e.getValue());
                    ps.setLong(2, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }
}
