package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.parley.server.reactions.ReactionStore;
import org.parley.server.reactions.StoredReaction;

/**
 * The ReactionStore port on any SQL database. A change locks the conversation's row (as the message writer does
 * for sequence numbers), so that revisions are gap-free and in commit order, and limits are checked against what
 * is committed.
 */
public final class JdbcReactionStore implements ReactionStore {

    /** Seqs per IN list (a page holds at most 500 messages). */
    private static final int CHUNK = 500;

    private final Jdbc jdbc;
    private final boolean fsync;
    /** The message log when it is outside SQL (conversations.last_seq not kept), else null. */
    private final org.parley.server.messages.MessageStore log;

    public JdbcReactionStore(Jdbc jdbc, boolean fsync) {
        this(jdbc, fsync, null);
    }

    /** With the message log {@code log} outside SQL (message-log=mvstore); null for the SQL table. */
    public JdbcReactionStore(Jdbc jdbc, boolean fsync, org.parley.server.messages.MessageStore log) {
        this.jdbc = jdbc;
        this.fsync = fsync;
        this.log = log;
    }

    private record Locked(long lastSeq, long revision) {
    }

    private Optional<Locked> lock(Connection c, long conversationId) throws SQLException {
        return Jdbc.query(c, "SELECT last_seq, reaction_revision FROM conversations WHERE id = ? FOR UPDATE",
                ps -> ps.setLong(1, conversationId), rs -> new Locked(log == null ? rs.getLong(1)
                        : log.lastSeq(conversationId), rs.getLong(2))).stream().findFirst();
    }

    @Override
    public Change add(StoredReaction r, int maxEmoji, int maxPerUser) {
        Change change = jdbc.inTransaction(c -> {
            Optional<Locked> locked = lock(c, r.conversationId());
            if (locked.isEmpty() || r.seq() < 1 || r.seq() > locked.get().lastSeq()) {
                return new Change(Outcome.NO_MESSAGE, locked.map(Locked::revision).orElse(0L));
            }
            long revision = locked.get().revision();
            List<StoredReaction> now = of(c, r.conversationId(), List.of(r.seq()));
            if (now.stream().anyMatch(x -> x.accountId() == r.accountId() && x.emoji().equals(r.emoji()))) {
                return new Change(Outcome.UNCHANGED, revision);
            }
            if (now.stream().noneMatch(x -> x.emoji().equals(r.emoji()))
                    && now.stream().map(StoredReaction::emoji).distinct().count() >= maxEmoji) {
                return new Change(Outcome.TOO_MANY_EMOJI, revision);
            }
            if (now.stream().filter(x -> x.accountId() == r.accountId()).count() >= maxPerUser) {
                return new Change(Outcome.TOO_MANY_FOR_USER, revision);
            }
            Jdbc.update(c, "INSERT INTO reactions (conversation_id, seq, account_id, emoji, created_at) "
                    + "VALUES (?, ?, ?, ?, ?)", ps -> {
                        ps.setLong(1, r.conversationId());
                        ps.setLong(2, r.seq());
                        ps.setLong(3, r.accountId());
                        ps.setString(4, r.emoji());
                        ps.setLong(5, r.createdAt());
                    });
            return new Change(Outcome.CHANGED, bumped(c, r.conversationId(), r.seq(), revision));
        });
        synced(change);
        return change;
    }

    @Override
    public Change remove(long conversationId, long seq, long accountId, String emoji) {
        Change change = jdbc.inTransaction(c -> {
            Optional<Locked> locked = lock(c, conversationId);
            if (locked.isEmpty()) {
                return new Change(Outcome.NO_MESSAGE, 0);
            }
            int gone = Jdbc.update(c, "DELETE FROM reactions WHERE conversation_id = ? AND seq = ? AND account_id = ? "
                    + "AND emoji = ?", ps -> {
                        ps.setLong(1, conversationId);
                        ps.setLong(2, seq);
                        ps.setLong(3, accountId);
                        ps.setString(4, emoji);
                    });
            long revision = locked.get().revision();
            return gone == 0 ? new Change(Outcome.UNCHANGED, revision)
                    : new Change(Outcome.CHANGED, bumped(c, conversationId, seq, revision));
        });
        synced(change);
        return change;
    }

    private long bumped(Connection c, long conversationId, long seq, long revision) throws SQLException {
        long next = revision + 1;
        Jdbc.update(c, "UPDATE conversations SET reaction_revision = ? WHERE id = ?", ps -> {
            ps.setLong(1, next);
            ps.setLong(2, conversationId);
        });
        Jdbc.update(c, jdbc.dialect().merge("reaction_changes", List.of("conversation_id", "seq", "revision"),
                List.of("conversation_id", "seq")), ps -> {
                    ps.setLong(1, conversationId);
                    ps.setLong(2, seq);
                    ps.setLong(3, next);
                });
        return next;
    }

    /** A change is durable before it is answered or pushed (as a message is). */
    private void synced(Change change) {
        if (fsync && change.outcome() == Outcome.CHANGED) {
            jdbc.sync();
        }
    }

    @Override
    public List<StoredReaction> of(long conversationId, Collection<Long> seqs) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        return jdbc.inTransaction(c -> of(c, conversationId, seqs));
    }

    private static List<StoredReaction> of(Connection c, long conversationId, Collection<Long> seqs)
            throws SQLException {
        List<Long> all = new ArrayList<>(seqs);
        List<StoredReaction> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            out.addAll(Jdbc.query(c, "SELECT conversation_id, seq, account_id, emoji, created_at FROM reactions "
                    + "WHERE conversation_id = ? AND seq IN (" + "?, ".repeat(chunk.size() - 1) + "?) "
                    + "ORDER BY seq, created_at, account_id, emoji", ps -> {
                        ps.setLong(1, conversationId);
                        for (int i = 0; i < chunk.size(); i++) {
                            ps.setLong(i + 2, chunk.get(i));
                        }
                    }, rs -> new StoredReaction(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            rs.getLong(5))));
        }
        if (all.size() > CHUNK) {
            out.sort(java.util.Comparator.comparingLong(StoredReaction::seq).thenComparingLong(
                    StoredReaction::createdAt).thenComparingLong(StoredReaction::accountId).thenComparing(
                            StoredReaction::emoji));
        }
        return out;
    }

    @Override
    public List<Changed> changedSince(long conversationId, long sinceRevision, int limit) {
        return jdbc.query("SELECT seq, revision FROM reaction_changes WHERE conversation_id = ? AND revision > ? "
                + "ORDER BY revision LIMIT ?", ps -> {
                    ps.setLong(1, conversationId);
                    ps.setLong(2, sinceRevision);
                    ps.setInt(3, limit);
                }, rs -> new Changed(rs.getLong(1), rs.getLong(2)));
    }

    @Override
    public long revision(long conversationId) {
        return jdbc.queryOne("SELECT reaction_revision FROM conversations WHERE id = ?",
                ps -> ps.setLong(1, conversationId), rs -> rs.getLong(1)).orElse(0L);
    }
}
