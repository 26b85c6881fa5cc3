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
    private static final int MAX_ATTEMPTS = 3;

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
                results = jdbc.inTransaction(c -> appendInTransaction(c, drafts));
                break;
            } catch (DuplicateKeyException raced) {
                // Another transaction stored one of these (sender, client id) pairs after our look-up and before
                // our insert; this one was rolled back, and running it again answers that draft as a duplicate.
                if (attempt == MAX_ATTEMPTS) {
                    throw raced;
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
                boolean change = d.kind() == Kind.EDIT || d.kind() == Kind.DELETE;
                StoredMessage m = new StoredMessage(d.conversationId(), seq, d.senderId(), d.clientMessageId(),
                        d.kind(), d.timestamp(), d.kind() == Kind.DELETE ? "" : d.text(),
                        d.attachments() == null || change ? NONE : d.attachments(), change ? 0 : d.replyTo(), 0, false,
                        change ? d.targetSeq() : 0);
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
        try (PreparedStatement ps = c.prepareStatement(JdbcConversationStore.UPDATE_MARKS)) {
            for (var e : senderMarks.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setLong(2, e.getValue());
                ps.setLong(3, e.getKey().conversationId());
                ps.setLong(4, e.getKey().accountId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
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
                Jdbc.update(c, "UPDATE messages SET text = ? WHERE conversation_id = ? AND target_seq = ? AND kind = "
                        + Kind.EDIT.wireCode(), ps -> {
                            ps.setString(1, m.text());
                            ps.setLong(2, conversation);
                            ps.setLong(3, target);
                        });
            } else {
                Jdbc.update(c, "UPDATE messages SET text = '', attachments = NULL, deleted = TRUE "
                        + "WHERE conversation_id = ? AND seq = ?", ps -> {
                            ps.setLong(1, conversation);
                            ps.setLong(2, target);
                        });
                Jdbc.update(c, "UPDATE messages SET text = '' WHERE conversation_id = ? AND target_seq = ? AND kind = "
                        + Kind.EDIT.wireCode(), ps -> {
                            ps.setLong(1, conversation);
                            ps.setLong(2, target);
                        });
                if (!deleted) {
                    JdbcFileStore.deleteFiles(c, drafts.get(i).fileIds());
                }
            }
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
        // one range of the messages_kind index (V11) per kind: only the entries are read, not the messages between
        List<Long> seqs = jdbc.query("SELECT seq FROM messages WHERE conversation_id = ? AND kind = ? AND seq > ? "
                + "UNION ALL SELECT seq FROM messages WHERE conversation_id = ? AND kind = ? AND seq > ?", ps -> {
                    ps.setLong(1, conversationId);
                    ps.setInt(2, Kind.EDIT.wireCode());
                    ps.setLong(3, afterSeq);
                    ps.setLong(4, conversationId);
                    ps.setInt(5, Kind.DELETE.wireCode());
                    ps.setLong(6, afterSeq);
                }, rs -> rs.getLong(1));
        long[] out = seqs.stream().mapToLong(Long::longValue).toArray();
        java.util.Arrays.sort(out);
        return out;
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
}
