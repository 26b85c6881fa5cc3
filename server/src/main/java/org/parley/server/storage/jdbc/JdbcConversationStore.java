package org.parley.server.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import java.util.OptionalLong;

import org.parley.protocol.message.Conversations.Kind;
import org.parley.protocol.message.Conversations.Role;
import org.parley.server.conversations.Conversation;
import org.parley.server.conversations.ConversationStore;
import org.parley.server.conversations.Member;
import org.parley.server.common.DuplicateKeyException;

/** The ConversationStore port on any SQL database through {@link Jdbc} (its {@link Dialect} holds what differs). */
public final class JdbcConversationStore implements ConversationStore {

    private static final String COLUMNS = "c.id, c.kind, c.title, c.last_seq, c.created_at, c.reaction_revision";

    /**
     * An account's conversations, newest activity first. Written so that its plan cannot depend on H2's statistics:
     * a join lets the optimizer pick the join order and the index (with schema V3's first, mistaken, form it scanned
     * all of members for each resync, 10,000 times in the reconnect storm); here the account's memberships are one
     * range of members_by_account (named, so no other index can be chosen) and each conversation one primary-key
     * look-up. last_seq counts messages per conversation, so it cannot compare activity across conversations: the
     * order is the newest message's time (one primary-key look-up each), else the creation time.
     */
    public static String conversationsOf(Dialect dialect) {
        return "SELECT " + COLUMNS + " FROM conversations c WHERE c.id IN (SELECT m.conversation_id FROM members m"
                + dialect.useIndex("members_by_account") + " WHERE m.account_id = ?) ORDER BY COALESCE((SELECT x.ts "
                + "FROM messages x WHERE x.conversation_id = c.id AND x.seq = c.last_seq), c.created_at) DESC, "
                + "c.id DESC";
    }

    /** The members of many conversations (receipts, after a flush): a range of the primary key per conversation. */
    public static final String MEMBERS_OF_ANY = "SELECT conversation_id, account_id, delivered_up_to, read_up_to, role "
            + "FROM members WHERE conversation_id = ANY(?) ORDER BY conversation_id, account_id";

    /**
     * Moves one member's marks forward. Every index on members holds both columns (V3), so whichever H2 picks, this
     * is a point look-up (JdbcMessageStore runs it for the sender of every stored message).
     */
    /** The order in which marks' rows are updated (and so locked), everywhere: see {@link #updateMarks}. */
    static final java.util.Comparator<Member> MARK_ORDER = java.util.Comparator.comparingLong(Member::conversationId)
            .thenComparingLong(Member::accountId);

    public static final String UPDATE_MARKS = "UPDATE members SET delivered_up_to = GREATEST(delivered_up_to, ?), "
            + "read_up_to = GREATEST(read_up_to, ?) WHERE conversation_id = ? AND account_id = ?";

    private final Jdbc jdbc;
    private final String conversationsOf;
    /**
     * The message log when it is not the SQL {@code messages} table (H2's MVStore log, message-log=mvstore): then
     * {@code conversations.last_seq} is not kept, and a conversation's last seq and last activity come from the
     * log. Null: the log is the SQL table.
     */
    private final org.parley.server.messages.MessageStore log;
    /**
     * With the log outside SQL, its SQL side effects: the senders' marks it has not written yet are overlaid on the
     * member rows read here. Null with the SQL table.
     */
    private final JdbcLogEffects effects;

    public JdbcConversationStore(Jdbc jdbc) {
        this(jdbc, null, null);
    }

    /**
     * With the message log {@code log} outside SQL (see {@link #log}) and its SQL side effects {@code effects}; both
     * null for the SQL table.
     */
    public JdbcConversationStore(Jdbc jdbc, org.parley.server.messages.MessageStore log, JdbcLogEffects effects) {
        this.jdbc = jdbc;
        this.log = log;
        this.effects = effects;
        conversationsOf = log == null ? conversationsOf(jdbc.dialect())
                : "SELECT " + COLUMNS + " FROM conversations c WHERE c.id IN (SELECT m.conversation_id FROM members m"
                        + jdbc.dialect().useIndex("members_by_account") + " WHERE m.account_id = ?)";
    }

    /** A conversation as read from SQL, with its last seq from the log when the log is outside SQL. */
    private Conversation withLog(Conversation c) {
        return log == null ? c
                : new Conversation(c.id(), c.kind(), c.title(), log.lastSeq(c.id()), c.createdAt(),
                        c.reactionRevision());
    }

    static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(rs.getLong(1), rs.getInt(2) == Kind.GROUP.wireCode() ? Kind.GROUP : Kind.DIRECT,
                rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                rs.getInt(5) == Role.ADMIN.wireCode() ? Role.ADMIN : Role.MEMBER);
    }

    @Override
    public Conversation findOrCreateDirect(long a, long b, long createdAt) {
        String key = Math.min(a, b) + ":" + Math.max(a, b);
        Optional<Conversation> existing = findDirect(key);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return jdbc.inTransaction(c -> {
                long id = insert(c, Kind.DIRECT, "", key, createdAt, 0);
                insertMembers(c, id, a == b ? List.of(a) : List.of(a, b), Role.MEMBER);
                return new Conversation(id, Kind.DIRECT, "", 0, createdAt);
            });
        } catch (DuplicateKeyException raced) {
            // Another thread created it between our look-up and insert: the unique key keeps one.
            return findDirect(key).orElseThrow(() -> raced);
        }
    }

    private Optional<Conversation> findDirect(String key) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM conversations c WHERE c.direct_key = ?",
                ps -> ps.setString(1, key), JdbcConversationStore::conversation).map(this::withLog);
    }

    private static long insert(Connection c, Kind kind, String title, String directKey, long createdAt,
            long createdBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO conversations (kind, title, direct_key, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, kind.wireCode());
            ps.setString(2, title);
            ps.setString(3, directKey);
            ps.setLong(4, createdAt);
            ps.setLong(5, createdBy);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Adds members with {@code role}, as having joined after the conversation's current last message; a member
     * already there keeps their row as it is (marks, role, when they joined).
     */
    private void insertMembers(Connection c, long conversationId, Collection<Long> accountIds, Role role)
            throws SQLException {
        // With the log outside SQL, conversations.last_seq is not kept: the joined seq is the log's last seq.
        String joined = log == null ? "(SELECT last_seq FROM conversations WHERE id = ?)"
                : "CAST(? AS BIGINT)";
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO members m USING (SELECT CAST(? AS BIGINT) AS c, "
                + "CAST(? AS BIGINT) AS a, " + joined + " AS j) s "
                + "ON m.conversation_id = s.c AND m.account_id = s.a "
                + "WHEN NOT MATCHED THEN INSERT (conversation_id, account_id, role, joined_seq) "
                + "VALUES (s.c, s.a, ?, s.j)")) {
            for (long id : accountIds) {
                ps.setLong(1, conversationId);
                ps.setLong(2, id);
                if (log == null) {
                    ps.setLong(3, conversationId);
                } else {
                    ps.setLong(3, log.lastSeq(conversationId));
                }
                ps.setInt(4, role.wireCode());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public Conversation createGroup(String title, long creatorId, Collection<Long> memberIds, long createdAt) {
        return jdbc.inTransaction(c -> {
            long id = insert(c, Kind.GROUP, title, null, createdAt, creatorId);
            insertMembers(c, id, List.of(creatorId), Role.ADMIN);
            Set<Long> others = new LinkedHashSet<>(memberIds);
            others.remove(creatorId);
            insertMembers(c, id, others, Role.MEMBER);
            return new Conversation(id, Kind.GROUP, title, 0, createdAt);
        });
    }

    @Override
    public int groupsCreatedBy(long accountId, long since) {
        return jdbc.queryOne("SELECT COUNT(*) FROM conversations WHERE created_by = ? AND created_at >= ?", ps -> {
            ps.setLong(1, accountId);
            ps.setLong(2, since);
        }, rs -> rs.getInt(1)).orElse(0);
    }

    @Override
    public Optional<Conversation> find(long conversationId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM conversations c WHERE c.id = ?",
                ps -> ps.setLong(1, conversationId), JdbcConversationStore::conversation).map(this::withLog);
    }

    @Override
    public void rename(long conversationId, String title) {
        jdbc.update("UPDATE conversations SET title = ? WHERE id = ?", ps -> {
            ps.setString(1, title);
            ps.setLong(2, conversationId);
        });
    }

    @Override
    public void addMembers(long conversationId, Collection<Long> accountIds) {
        jdbc.inTransaction(c -> {
            insertMembers(c, conversationId, accountIds, Role.MEMBER);
            return null;
        });
    }

    @Override
    public void removeMember(long conversationId, long accountId) {
        jdbc.update("DELETE FROM members WHERE conversation_id = ? AND account_id = ?", ps -> {
            ps.setLong(1, conversationId);
            ps.setLong(2, accountId);
        });
    }

    @Override
    public boolean isMember(long conversationId, long accountId) {
        return jdbc.queryOne("SELECT 1 FROM members WHERE conversation_id = ? AND account_id = ?", ps -> {
            ps.setLong(1, conversationId);
            ps.setLong(2, accountId);
        }, rs -> true).isPresent();
    }

    @Override
    public List<Member> members(long conversationId) {
        return withDeferredMarks(() -> jdbc.query("SELECT conversation_id, account_id, delivered_up_to, read_up_to, "
                + "role FROM members WHERE conversation_id = ? ORDER BY account_id",
                ps -> ps.setLong(1, conversationId), JdbcConversationStore::member));
    }

    /**
     * Member rows as {@code read} reads them, with the marks the log has not written yet merged in (read again if a
     * flush of those marks committed meanwhile: {@link JdbcLogEffects#overlay}).
     */
    private List<Member> withDeferredMarks(java.util.function.Supplier<List<Member>> read) {
        if (effects == null) {
            return read.get();
        }
        while (true) {
            long flushes = effects.flushes();
            List<Member> rows = read.get();
            List<Member> out = new ArrayList<>(rows.size());
            for (Member m : rows) {
                out.add(effects.overlay(m));
            }
            if (effects.flushes() == flushes) {
                return out;
            }
        }
    }

    @Override
    public void setRole(long conversationId, long accountId, Role role) {
        jdbc.update("UPDATE members SET role = ? WHERE conversation_id = ? AND account_id = ?", ps -> {
            ps.setInt(1, role.wireCode());
            ps.setLong(2, conversationId);
            ps.setLong(3, accountId);
        });
    }

    @Override
    public OptionalLong longestStandingMember(long conversationId) {
        return jdbc.queryOne("SELECT account_id FROM members WHERE conversation_id = ? "
                + "ORDER BY joined_seq, account_id FETCH FIRST 1 ROW ONLY", ps -> ps.setLong(1, conversationId),
                rs -> rs.getLong(1)).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    @Override
    public Map<Long, List<Member>> members(Collection<Long> conversationIds) {
        Map<Long, List<Member>> out = new HashMap<>();
        if (conversationIds.isEmpty()) {
            return out;
        }
        Object[] ids = conversationIds.toArray();
        for (Member m : withDeferredMarks(() -> jdbc.query(MEMBERS_OF_ANY, ps -> ps.setArray(1,
                ps.getConnection().createArrayOf("BIGINT", ids)), JdbcConversationStore::member))) {
            out.computeIfAbsent(m.conversationId(), k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    @Override
    public List<Conversation> conversationsOf(long accountId) {
        List<Conversation> found = jdbc.query(conversationsOf, ps -> ps.setLong(1, accountId),
                JdbcConversationStore::conversation);
        if (log == null) {
            return found;
        }
        // The same order as the SQL query's: the newest entry's time, else the creation time; newest first.
        Map<Long, Long> activity = new HashMap<>();
        List<Conversation> out = new ArrayList<>(found.size());
        for (Conversation c : found) {
            activity.put(c.id(), log.lastActivity(c.id()).orElse(c.createdAt()));
            out.add(withLog(c));
        }
        out.sort(java.util.Comparator.comparing((Conversation c) -> activity.get(c.id()))
                .thenComparingLong(Conversation::id).reversed());
        return out;
    }

    @Override
    public void updateMarks(Collection<Member> marks) {
        if (marks.isEmpty()) {
            return;
        }
        // Rows are locked in one order, (conversation, account), by every writer of marks (JdbcMessageStore,
        // JdbcLogEffects): two transactions moving the same members' marks at once cannot deadlock.
        List<Member> ordered = marks.stream().sorted(MARK_ORDER).toList();
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_MARKS)) {
                for (Member m : ordered) {
                    ps.setLong(1, m.deliveredUpTo());
                    ps.setLong(2, m.readUpTo());
                    ps.setLong(3, m.conversationId());
                    ps.setLong(4, m.accountId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Conversation> groups(long afterId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM conversations c WHERE c.kind = ? AND c.id > ? "
                + "ORDER BY c.id LIMIT ?", ps -> {
                    ps.setInt(1, Kind.GROUP.wireCode());
                    ps.setLong(2, afterId);
                    ps.setInt(3, limit);
                }, JdbcConversationStore::conversation).stream().map(this::withLog).toList();
    }

    @Override
    public boolean deleteGroup(long conversationId) {
        boolean deleted = jdbc.inTransaction(c -> {
            Jdbc.Binder id = ps -> ps.setLong(1, conversationId);
            if (Jdbc.query(c, "SELECT id FROM conversations WHERE id = ? AND kind = " + Kind.GROUP.wireCode()
                    + " FOR UPDATE", id, rs -> rs.getLong(1)).isEmpty()) {
                return false;
            }
            JdbcFileStore.deleteFilesOf(c, conversationId);
            Jdbc.update(c, "DELETE FROM messages WHERE conversation_id = ?", id);
            Jdbc.update(c, "DELETE FROM message_edits WHERE conversation_id = ?", id);
            Jdbc.update(c, "DELETE FROM reactions WHERE conversation_id = ?", id);
            Jdbc.update(c, "DELETE FROM reaction_changes WHERE conversation_id = ?", id);
            Jdbc.update(c, "DELETE FROM members WHERE conversation_id = ?", id);
            Jdbc.update(c, "DELETE FROM conversations WHERE id = ?", id);
            return true;
        });
        if (deleted && log != null) {
            // After the SQL commit: a crash before this leaves entries of a conversation that no longer exists,
            // which the log drops when it opens (MvStoreMessageLog).
            log.deleteConversation(conversationId);
        }
        return deleted;
    }
}
