package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.parley.protocol.message.Chat.Kind;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.StoredMessage;
import org.parley.server.common.DuplicateKeyException;
import org.parley.server.common.StorageException;
import org.parley.server.common.MissingConversationException;

/** The MessageStore port on any SQL database through {@link Jdbc} (its {@link Dialect} holds what differs). */
public final class JdbcMessageStore implements MessageStore {

    private static final String COLUMNS = "conversation_id, seq, sender_id, client_msg_id, kind, ts, text, attachments, "
            + "reply_to, edited_at, deleted, target_seq";
    private static final Kind[] KINDS = new Kind[Kind.values().length];
    private static final byte[] NONE = new byte[0];
    /** The optimistic attempt, then up to three checked ones (a race between two writers on one database). */
    private static final int MAX_ATTEMPTS = 4;

    static {
        for (Kind k : Kind.values()) {
            KINDS[k.wireCode()] = k;
        }
    }

    private final Jdbc jdbc;
    private final boolean fsync;
    public volatile org.parley.server.storage.StorageMetrics metrics = org.parley.server.storage.StorageMetrics.NONE;

    public JdbcMessageStore(Jdbc jdbc, boolean fsync) {
        this.jdbc = jdbc;
        this.fsync = fsync;
    }

    private static StoredMessage message(ResultSet rs) throws SQLException {
        String clientId = rs.getString(4);
        byte[] attachments = rs.getBytes(8);
        return new StoredMessage(rs.getLong(1), rs.getLong(2), rs.getLong(3), clientId == null ? "" : clientId,
                KINDS[rs.getInt(5)], rs.getLong(6), rs.getString(7), attachments == null ? NONE : attachments,
                rs.getLong(9), rs.getLong(10), rs.getBoolean(11), rs.getLong(12));
    }

    private record SenderKey(long senderId, String clientMessageId) {
    }

    private record MarkKey(long conversationId, long accountId) {
    }

    @Override
    public List<AppendResult> append(List<Draft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        List<AppendResult> results;
        long start = System.nanoTime();
        for (int attempt = 1;; attempt++) {
            try {
                results = attempt == 1 ? jdbc.inTransaction(c -> appendOptimistically(c, drafts))
                        : jdbc.inTransaction(c -> appendInTransaction(c, drafts));
                break;
            } catch (DuplicateKeyException duplicate) {
                // The first attempt looks up no client id: the unique index messages_client_id refuses a resend
                // (or one that another transaction stored meanwhile), the transaction is rolled back, and the
                // checked attempts look each id up and answer such drafts with the stored message. A checked
                // attempt fails this way only when another writer stored one of these ids after its look-up.
                if (attempt == MAX_ATTEMPTS) {
                    throw duplicate;
                }
            }
        }
        metrics.messagesWritten(System.nanoTime() - start);
        if (fsync) {
            sync();
        }
        return results;
    }

    @Override
    public boolean clientIdUsed(long senderId, String clientMessageId) {
        return jdbc.queryOne("SELECT 1 FROM messages WHERE sender_id = ? AND client_msg_id = ?", ps -> {
            ps.setLong(1, senderId);
            ps.setString(2, clientMessageId);
        }, rs -> true).orElse(false);
    }

    /**
     * The first attempt at a batch, for the usual case where no draft is a resend: no look-up per client id (the
     * unique index refuses a resend, and the caller then runs {@link #appendInTransaction}), and one statement per
     * conversation that advances its {@code last_seq} by the batch's count and locks its row (instead of a locking
     * read and an update). Drafts repeated within the batch are answered from the batch, as in the checked path.
     */
    private List<AppendResult> appendOptimistically(Connection c, List<Draft> drafts) throws SQLException {
        Map<SenderKey, Integer> inBatch = new HashMap<>();
        int[] earlier = new int[drafts.size()]; // index + 1 of the same (sender, id) earlier in the batch, or 0
        Map<Long, Long> counts = new java.util.TreeMap<>(); // conversation -> new drafts, in id order (see below)
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            if (!d.clientMessageId().isEmpty()) {
                Integer first = inBatch.putIfAbsent(new SenderKey(d.senderId(), d.clientMessageId()), i);
                if (first != null) {
                    earlier[i] = first + 1;
                    continue;
                }
            }
            counts.merge(d.conversationId(), 1L, Long::sum);
        }
        // Locked in id order, as appendInTransaction does: see there. The row lock taken by the update is what
        // makes the numbers gap-free and ordered by commit.
        Map<Long, Long> nextSeq = new HashMap<>();
        Map<MarkKey, Long> senderMarks = new HashMap<>();
        try (PreparedStatement advance = c.prepareStatement(jdbc.dialect().advanceLastSeq())) {
            for (var e : counts.entrySet()) {
                advance.setLong(1, e.getValue());
                advance.setLong(2, e.getKey());
                try (ResultSet rs = advance.executeQuery()) {
                    if (!rs.next()) {
                        throw new MissingConversationException(e.getKey());
                    }
                    nextSeq.put(e.getKey(), rs.getLong(1) - e.getValue() + 1);
                }
            }
        }
        List<AppendResult> results = new ArrayList<>(drafts.size());
        List<StoredMessage> fresh = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            if (earlier[i] != 0) {
                results.add(new AppendResult(results.get(earlier[i] - 1).message(), true));
                continue;
            }
            Draft d = drafts.get(i);
            long seq = nextSeq.merge(d.conversationId(), 1L, Long::sum) - 1;
            StoredMessage m = stored(d, seq);
            fresh.add(m);
            senderMarks.put(new MarkKey(d.conversationId(), d.senderId()), seq);
            results.add(new AppendResult(m, false));
        }
        insert(c, fresh);
        applyChanges(c, drafts, results);
        updateSenderMarks(c, senderMarks);
        return results;
    }

    private static StoredMessage stored(Draft d, long seq) {
        boolean change = d.kind() == Kind.EDIT || d.kind() == Kind.DELETE;
        return new StoredMessage(d.conversationId(), seq, d.senderId(), d.clientMessageId(), d.kind(), d.timestamp(),
                d.kind() == Kind.DELETE ? "" : d.text(),
                d.attachments() == null || change ? NONE : d.attachments(), change ? 0 : d.replyTo(), 0, false,
                change ? d.targetSeq() : 0);
    }

    /** The senders' delivered and read marks move to their newest message of the batch. */
    private static void updateSenderMarks(Connection c, Map<MarkKey, Long> senderMarks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JdbcConversationStore.UPDATE_MARKS)) {
            // In the one order every writer of marks uses (JdbcConversationStore.MARK_ORDER): no deadlock with
            // the receipts' flush moving the same rows.
            List<Map.Entry<MarkKey, Long>> ordered = senderMarks.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparingLong(MarkKey::conversationId)
                            .thenComparingLong(MarkKey::accountId)))
                    .toList();
            for (var e : ordered) {
                ps.setLong(1, e.getValue());
                ps.setLong(2, e.getValue());
                ps.setLong(3, e.getKey().conversationId());
                ps.setLong(4, e.getKey().accountId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The checked attempt: each client id looked up before its draft is numbered. */
    private List<AppendResult> appendInTransaction(Connection c, List<Draft> drafts) throws SQLException {
        List<AppendResult> results = new ArrayList<>(drafts.size());
        Map<SenderKey, StoredMessage> inBatch = new HashMap<>();
        Map<Long, Long> lastSeq = new HashMap<>();
        Map<MarkKey, Long> senderMarks = new HashMap<>();
        List<StoredMessage> fresh = new ArrayList<>(drafts.size());
        try (PreparedStatement findDuplicate = c.prepareStatement("SELECT " + COLUMNS
                + " FROM messages WHERE sender_id = ? AND client_msg_id = ?");
                PreparedStatement seqOf = c.prepareStatement("SELECT last_seq FROM conversations WHERE id = ? "
                        + "FOR UPDATE")) {
            // Every conversation of the batch is locked first, in id order: writers whose batches name the same
            // conversations in other orders (two server nodes on one PostgreSQL) never hold one row each while
            // waiting for the other's. The row lock is what makes the numbers gap-free and ordered by commit.
            for (long id : new TreeSet<>(drafts.stream().map(Draft::conversationId).toList())) {
                seqOf.setLong(1, id);
                try (ResultSet rs = seqOf.executeQuery()) {
                    if (!rs.next()) {
                        throw new MissingConversationException(id);
                    }
                    lastSeq.put(id, rs.getLong(1));
                }
            }
            for (Draft d : drafts) {
                boolean deduplicated = !d.clientMessageId().isEmpty();
                SenderKey key = new SenderKey(d.senderId(), d.clientMessageId());
                if (deduplicated) {
                    StoredMessage earlier = inBatch.get(key);
                    if (earlier == null) {
                        findDuplicate.setLong(1, d.senderId());
                        findDuplicate.setString(2, d.clientMessageId());
                        try (ResultSet rs = findDuplicate.executeQuery()) {
                            earlier = rs.next() ? message(rs) : null;
                        }
                    }
                    if (earlier != null) {
                        results.add(new AppendResult(earlier, true));
                        continue;
                    }
                }
                long seq = lastSeq.get(d.conversationId()) + 1;
                lastSeq.put(d.conversationId(), seq);
                StoredMessage m = stored(d, seq);
                fresh.add(m);
                if (deduplicated) {
                    inBatch.put(key, m);
                }
                senderMarks.put(new MarkKey(d.conversationId(), d.senderId()), seq);
                results.add(new AppendResult(m, false));
            }
        }
        insert(c, fresh);
        applyChanges(c, drafts, results);
        try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET last_seq = ? WHERE id = ?")) {
            for (var e : lastSeq.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setLong(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        updateSenderMarks(c, senderMarks);
        return results;
    }

    /**
     * Applies the batch's new EDIT and DELETE entries to their targets, in order (the entries are inserted: an edit
     * rewrites them too). An edit whose target is deleted (earlier, or earlier in this batch) keeps no text; its
     * result is replaced by the stored one.
     */
    private static void applyChanges(Connection c, List<Draft> drafts, List<AppendResult> results)
            throws SQLException {
        for (int i = 0; i < results.size(); i++) {
            AppendResult r = results.get(i);
            StoredMessage m = r.message();
            if (r.duplicate() || !m.isChange()) {
                continue;
            }
            long conversation = m.conversationId();
            long target = m.targetSeq();
            boolean deleted = Jdbc.query(c, "SELECT deleted FROM messages WHERE conversation_id = ? AND seq = ?",
                    ps -> {
                        ps.setLong(1, conversation);
                        ps.setLong(2, target);
                    }, rs -> rs.getBoolean(1)).stream().findFirst().orElse(true);
            if (m.kind() == Kind.EDIT) {
                if (deleted) {
                    Jdbc.update(c, "UPDATE messages SET text = '' WHERE conversation_id = ? AND seq = ?", ps -> {
                        ps.setLong(1, conversation);
                        ps.setLong(2, m.seq());
                    });
                    results.set(i, new AppendResult(m.withText(""), false));
                    continue;
                }
                Jdbc.update(c, "UPDATE messages SET text = ?, edited_at = ? WHERE conversation_id = ? AND seq = ?",
                        ps -> {
                            ps.setString(1, m.text());
                            ps.setLong(2, m.timestamp());
                            ps.setLong(3, conversation);
                            ps.setLong(4, target);
                        });
                setTextOfEdits(c, conversation, target, m.text());
            } else {
                Jdbc.update(c, "UPDATE messages SET text = '', attachments = NULL, deleted = TRUE "
                        + "WHERE conversation_id = ? AND seq = ?", ps -> {
                            ps.setLong(1, conversation);
                            ps.setLong(2, target);
                        });
                setTextOfEdits(c, conversation, target, "");
                if (!deleted) {
                    JdbcFileStore.deleteFiles(c, drafts.get(i).fileIds());
                }
            }
        }
    }

    /**
     * Gives every EDIT entry of message {@code target} the text {@code text}; they are found through
     * {@code message_edits} (schema V12), which holds only EDIT and DELETE entries (and SYSTEM lines, V16, with
     * target seq 0), so that no index takes an entry per message.
     */
    private static void setTextOfEdits(Connection c, long conversation, long target, String text)
            throws SQLException {
        List<Long> edits = Jdbc.query(c, "SELECT seq FROM message_edits WHERE conversation_id = ? AND target_seq = ? "
                + "AND kind = 4",
                ps -> {
                    ps.setLong(1, conversation);
                    ps.setLong(2, target);
                }, rs -> rs.getLong(1));
        if (edits.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET text = ? WHERE conversation_id = ? "
                + "AND seq = ?")) {
            for (long seq : edits) {
                ps.setString(1, text);
                ps.setLong(2, conversation);
                ps.setLong(3, seq);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public java.util.Optional<StoredMessage> message(long conversationId, long seq) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? AND seq = ?", ps -> {
            ps.setLong(1, conversationId);
            ps.setLong(2, seq);
        }, JdbcMessageStore::message);
    }

    private static void insert(Connection c, List<StoredMessage> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (StoredMessage m : messages) {
                ps.setLong(1, m.conversationId());
                ps.setLong(2, m.seq());
                ps.setLong(3, m.senderId());
                ps.setString(4, m.clientMessageId().isEmpty() ? null : m.clientMessageId());
                ps.setInt(5, m.kind().wireCode());
                ps.setLong(6, m.timestamp());
                ps.setString(7, m.text());
                ps.setBytes(8, m.attachments().length == 0 ? null : m.attachments());
                ps.setLong(9, m.replyTo());
                ps.setLong(10, m.editedAt());
                ps.setBoolean(11, m.deleted());
                ps.setLong(12, m.targetSeq());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (messages.stream().noneMatch(JdbcMessageStore::notUnread)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_edits (conversation_id, target_seq, seq, "
                + "kind) VALUES (?, ?, ?, ?)")) {
            for (StoredMessage m : messages) {
                if (notUnread(m)) {
                    ps.setLong(1, m.conversationId());
                    ps.setLong(2, m.targetSeq());
                    ps.setLong(3, m.seq());
                    ps.setInt(4, m.kind().wireCode());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * An EDIT or DELETE entry (schema V12), or a SYSTEM line (V16, with target seq 0): kept in {@code message_edits}
     * too, the entries unread counts leave out.
     */
    private static boolean notUnread(StoredMessage m) {
        return m.kind() == Kind.EDIT || m.kind() == Kind.DELETE || m.kind() == Kind.SYSTEM;
    }

    /** Forces everything committed so far to the device: one sync for the whole batch. */
    private void sync() {
        long start = System.nanoTime();
        if (jdbc.sync()) {
            metrics.synced(System.nanoTime() - start);
        }
    }

    @Override
    public List<StoredMessage> after(long conversationId, long afterSeq, int limit) {
        // ORDER BY names both key columns: H2 reads the primary key in order (and stops at LIMIT) only when the
        // sort columns are a prefix of the index; "ORDER BY seq" alone sorts every matching row first.
        return jdbc.query("SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? AND seq > ? "
                + "ORDER BY conversation_id, seq LIMIT ?", ps -> {
                    ps.setLong(1, conversationId);
                    ps.setLong(2, afterSeq);
                    ps.setInt(3, limit);
                }, JdbcMessageStore::message);
    }

    @Override
    public List<StoredMessage> before(long conversationId, long beforeSeq, int limit) {
        List<StoredMessage> newestFirst = jdbc.query("SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? "
                + "AND seq < ? ORDER BY conversation_id DESC, seq DESC LIMIT ?", ps -> { // index order: see after()
                    ps.setLong(1, conversationId);
                    ps.setLong(2, beforeSeq <= 0 ? Long.MAX_VALUE : beforeSeq);
                    ps.setInt(3, limit);
                }, JdbcMessageStore::message);
        List<StoredMessage> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    @Override
    public List<Authorship> authors(long conversationId, long afterSeq, long upToSeq) {
        return jdbc.query("SELECT seq, sender_id FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? "
                + "ORDER BY conversation_id, seq", ps -> { // index order: see after()
                    ps.setLong(1, conversationId);
                    ps.setLong(2, afterSeq);
                    ps.setLong(3, upToSeq);
                }, rs -> new Authorship(rs.getLong(1), rs.getLong(2)));
    }

    @Override
    public long[] changesAfter(long conversationId, long afterSeq) {
        // the small message_edits table (V12; SYSTEM lines since V16) and its (conversation_id, seq) index: not the
        // messages between
        List<Long> seqs = jdbc.query("SELECT seq FROM message_edits WHERE conversation_id = ? AND seq > ? "
                + "ORDER BY conversation_id, seq", ps -> {
                    ps.setLong(1, conversationId);
                    ps.setLong(2, afterSeq);
                }, rs -> rs.getLong(1));
        return seqs.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public long lastSeq(long conversationId) {
        return jdbc.queryOne("SELECT last_seq FROM conversations WHERE id = ?", ps -> ps.setLong(1, conversationId),
                rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public List<LastSeq> lastSeqs() {
        return jdbc.query("SELECT id, last_seq FROM conversations WHERE last_seq > 0 ORDER BY id", ps -> {
        }, rs -> new LastSeq(rs.getLong(1), rs.getLong(2)));
    }

    @Override
    public void deleteConversation(long conversationId) {
        jdbc.inTransaction(c -> {
            Jdbc.Binder id = ps -> ps.setLong(1, conversationId);
            Jdbc.update(c, "DELETE FROM messages WHERE conversation_id = ?", id);
            Jdbc.update(c, "DELETE FROM message_edits WHERE conversation_id = ?", id);
            return null;
        });
    }
}
