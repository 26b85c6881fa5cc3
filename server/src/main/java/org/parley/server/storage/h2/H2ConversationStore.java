package org.parley.server.storage.h2;

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

import org.parley.protocol.message.Conversations.Kind;
import org.parley.server.conversations.Conversation;
import org.parley.server.conversations.ConversationStore;
import org.parley.server.conversations.Member;
import org.parley.server.storage.DuplicateKeyException;

final class H2ConversationStore implements ConversationStore {

    private static final String COLUMNS = "c.id, c.kind, c.title, c.last_seq, c.created_at";

    /**
     * An account's conversations, newest activity first. Written so that its plan cannot depend on H2's statistics:
     * a join lets the optimizer pick the join order and the index (with schema V3's first, mistaken, form it scanned
     * all of members for each resync, 10,000 times in the reconnect storm); here the account's memberships are one
     * range of members_by_account (named, so no other index can be chosen) and each conversation one primary-key
     * look-up. last_seq counts messages per conversation, so it cannot compare activity across conversations: the
     * order is the newest message's time (one primary-key look-up each), else the creation time.
     */
    static final String CONVERSATIONS_OF = "SELECT " + COLUMNS + " FROM conversations c WHERE c.id IN ("
            + "SELECT m.conversation_id FROM members m USE INDEX (members_by_account) WHERE m.account_id = ?) "
            + "ORDER BY COALESCE((SELECT x.ts FROM messages x WHERE x.conversation_id = c.id AND x.seq = c.last_seq), "
            + "c.created_at) DESC, c.id DESC";

    /** The members of many conversations (receipts, after a flush): a range of the primary key per conversation. */
    static final String MEMBERS_OF_ANY = "SELECT conversation_id, account_id, delivered_up_to, read_up_to "
            + "FROM members WHERE conversation_id = ANY(?) ORDER BY conversation_id, account_id";

    /**
     * Moves one member's marks forward. Every index on members holds both columns (V3), so whichever H2 picks, this
     * is a point look-up (H2MessageStore runs it for the sender of every stored message).
     */
    static final String UPDATE_MARKS = "UPDATE members SET delivered_up_to = GREATEST(delivered_up_to, ?), "
            + "read_up_to = GREATEST(read_up_to, ?) WHERE conversation_id = ? AND account_id = ?";

    private final Jdbc jdbc;

    H2ConversationStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(rs.getLong(1), rs.getInt(2) == Kind.GROUP.wireCode() ? Kind.GROUP : Kind.DIRECT,
                rs.getString(3), rs.getLong(4), rs.getLong(5));
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
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
                long id = insert(c, Kind.DIRECT, "", key, createdAt);
                insertMembers(c, id, a == b ? List.of(a) : List.of(a, b));
                return new Conversation(id, Kind.DIRECT, "", 0, createdAt);
            });
        } catch (DuplicateKeyException raced) {
            // Another thread created it between our look-up and insert: the unique key keeps one.
            return findDirect(key).orElseThrow(() -> raced);
        }
    }

    private Optional<Conversation> findDirect(String key) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM conversations c WHERE c.direct_key = ?",
                ps -> ps.setString(1, key), H2ConversationStore::conversation);
    }

    private static long insert(Connection c, Kind kind, String title, String directKey, long createdAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO conversations (kind, title, direct_key, created_at) VALUES (?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, kind.wireCode());
            ps.setString(2, title);
            ps.setString(3, directKey);
            ps.setLong(4, createdAt);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void insertMembers(Connection c, long conversationId, Collection<Long> accountIds)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO members (conversation_id, account_id) "
                + "KEY (conversation_id, account_id) VALUES (?, ?)")) {
            for (long id : accountIds) {
                ps.setLong(1, conversationId);
                ps.setLong(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public Conversation createGroup(String title, long creatorId, Collection<Long> memberIds, long createdAt) {
        return jdbc.inTransaction(c -> {
            long id = insert(c, Kind.GROUP, title, null, createdAt);
            Set<Long> all = new LinkedHashSet<>();
            all.add(creatorId);
            all.addAll(memberIds);
            insertMembers(c, id, all);
            return new Conversation(id, Kind.GROUP, title, 0, createdAt);
        });
    }

    @Override
    public Optional<Conversation> find(long conversationId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM conversations c WHERE c.id = ?",
                ps -> ps.setLong(1, conversationId), H2ConversationStore::conversation);
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
            insertMembers(c, conversationId, accountIds);
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
        return jdbc.query("SELECT conversation_id, account_id, delivered_up_to, read_up_to FROM members "
                + "WHERE conversation_id = ? ORDER BY account_id", ps -> ps.setLong(1, conversationId),
                H2ConversationStore::member);
    }

    @Override
    public Map<Long, List<Member>> members(Collection<Long> conversationIds) {
        Map<Long, List<Member>> out = new HashMap<>();
        if (conversationIds.isEmpty()) {
            return out;
        }
        Object[] ids = conversationIds.toArray();
        for (Member m : jdbc.query(MEMBERS_OF_ANY,
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("BIGINT", ids)), H2ConversationStore::member)) {
            out.computeIfAbsent(m.conversationId(), k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    @Override
    public List<Conversation> conversationsOf(long accountId) {
        return jdbc.query(CONVERSATIONS_OF, ps -> ps.setLong(1, accountId), H2ConversationStore::conversation);
    }

    @Override
    public void updateMarks(Collection<Member> marks) {
        if (marks.isEmpty()) {
            return;
        }
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_MARKS)) {
                for (Member m : marks) {
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
                }, H2ConversationStore::conversation);
    }

    @Override
    public boolean deleteGroup(long conversationId) {
        return jdbc.inTransaction(c -> {
            Jdbc.Binder id = ps -> ps.setLong(1, conversationId);
            if (Jdbc.query(c, "SELECT id FROM conversations WHERE id = ? AND kind = " + Kind.GROUP.wireCode()
                    + " FOR UPDATE", id, rs -> rs.getLong(1)).isEmpty()) {
                return false;
            }
            H2FileStore.deleteFilesOf(c, conversationId);
            Jdbc.update(c, "DELETE FROM messages WHERE conversation_id = ?", id);
            Jdbc.update(c, "DELETE FROM members WHERE conversation_id = ?", id);
            Jdbc.update(c, "DELETE FROM conversations WHERE id = ?", id);
            return true;
        });
    }
}
