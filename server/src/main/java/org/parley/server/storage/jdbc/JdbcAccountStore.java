package org.parley.server.storage.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.parley.server.accounts.Account;
import org.parley.server.accounts.AccountStore;
import org.parley.server.accounts.Invitation;
import org.parley.server.accounts.SessionToken;

/** The AccountStore port on any SQL database through {@link Jdbc} (its {@link Dialect} holds what differs). */
public final class JdbcAccountStore implements AccountStore {

    private static final String COLUMNS = "id, name, display_name, password_hash, disabled, admin, created_at, "
            + "directory_dn";

    private final Jdbc jdbc;

    public JdbcAccountStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private static Account account(ResultSet rs) throws SQLException {
        return account(rs, 0);
    }

    /** The account whose {@link #COLUMNS} start after column {@code before}. */
    private static Account account(ResultSet rs, int before) throws SQLException {
        int i = before;
        return new Account(rs.getLong(i + 1), rs.getString(i + 2), rs.getString(i + 3), rs.getString(i + 4),
                rs.getBoolean(i + 5), rs.getBoolean(i + 6), rs.getLong(i + 7), rs.getString(i + 8));
    }

    @Override
    public Account create(String name, String displayName, String passwordHash, boolean admin, long createdAt) {
        return jdbc.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO accounts (name, display_name, password_hash, admin, created_at) "
                    + "VALUES (?, ?, ?, ?, ?)", ps -> {
                        ps.setString(1, name);
                        ps.setString(2, displayName);
                        ps.setString(3, passwordHash);
                        ps.setBoolean(4, admin);
                        ps.setLong(5, createdAt);
                    });
            return Jdbc.query(c, "SELECT " + COLUMNS + " FROM accounts WHERE name = ?", ps -> ps.setString(1, name),
                    JdbcAccountStore::account).get(0);
        });
    }

    @Override
    public Optional<Account> findByName(String name) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM accounts WHERE name = ?", ps -> ps.setString(1, name),
                JdbcAccountStore::account);
    }

    @Override
    public Optional<Account> findById(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM accounts WHERE id = ?", ps -> ps.setLong(1, id),
                JdbcAccountStore::account);
    }

    @Override
    public Map<Long, Account> findByIds(Collection<Long> ids) {
        Map<Long, Account> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Object[] array = ids.toArray();
        for (Account a : jdbc.query("SELECT " + COLUMNS + " FROM accounts WHERE id = ANY(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("BIGINT", array)), JdbcAccountStore::account)) {
            out.put(a.id(), a);
        }
        return out;
    }

    @Override
    public List<Account> search(String query, int limit) {
        String pattern = "%" + query.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%";
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts WHERE NOT disabled AND (name LIKE ? ESCAPE '\\' "
                + "OR LOWER(display_name) LIKE ? ESCAPE '\\') ORDER BY name LIMIT ?", ps -> {
                    ps.setString(1, pattern);
                    ps.setString(2, pattern);
                    ps.setInt(3, limit);
                }, JdbcAccountStore::account);
    }

    @Override
    public void setDisabled(long accountId, boolean disabled) {
        jdbc.update("UPDATE accounts SET disabled = ? WHERE id = ?", ps -> {
            ps.setBoolean(1, disabled);
            ps.setLong(2, accountId);
        });
    }

    @Override
    public void setAdmin(long accountId, boolean admin) {
        jdbc.update("UPDATE accounts SET admin = ? WHERE id = ?", ps -> {
            ps.setBoolean(1, admin);
            ps.setLong(2, accountId);
        });
    }

    @Override
    public void saveToken(SessionToken t) {
        jdbc.update("INSERT INTO session_tokens (token_hash, account_id, device, created_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?)", ps -> {
                    ps.setBytes(1, t.tokenHash());
                    ps.setLong(2, t.accountId());
                    ps.setString(3, t.device());
                    ps.setLong(4, t.createdAt());
                    ps.setLong(5, t.expiresAt());
                });
    }

    @Override
    public Optional<SessionToken> findToken(byte[] tokenHash) {
        return jdbc.queryOne("SELECT token_hash, account_id, device, created_at, expires_at FROM session_tokens "
                + "WHERE token_hash = ?", ps -> ps.setBytes(1, tokenHash),
                rs -> new SessionToken(rs.getBytes(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
    }

    @Override
    public Optional<TokenOwner> findTokenOwner(byte[] tokenHash) {
        return jdbc.queryOne("SELECT t.token_hash, t.account_id, t.device, t.created_at, t.expires_at, a."
                + COLUMNS.replace(", ", ", a.") + " FROM session_tokens t JOIN accounts a ON a.id = t.account_id "
                + "WHERE t.token_hash = ?", ps -> ps.setBytes(1, tokenHash),
                rs -> new TokenOwner(new SessionToken(rs.getBytes(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        rs.getLong(5)), account(rs, 5)));
    }

    @Override
    public void extendToken(byte[] tokenHash, long expiresAt) {
        jdbc.update("UPDATE session_tokens SET expires_at = ? WHERE token_hash = ?", ps -> {
            ps.setLong(1, expiresAt);
            ps.setBytes(2, tokenHash);
        });
    }

    @Override
    public void deleteToken(byte[] tokenHash) {
        jdbc.update("DELETE FROM session_tokens WHERE token_hash = ?", ps -> ps.setBytes(1, tokenHash));
    }

    @Override
    public void deleteTokensOf(long accountId) {
        jdbc.update("DELETE FROM session_tokens WHERE account_id = ?", ps -> ps.setLong(1, accountId));
    }

    @Override
    public boolean anyAccount() {
        return !jdbc.query("SELECT id FROM accounts LIMIT 1", ps -> {
        }, rs -> rs.getLong(1)).isEmpty();
    }

    @Override
    public Optional<Account> createInvited(String name, String displayName, String passwordHash, byte[] codeHash,
            long createdAt) {
        return jdbc.inTransaction(c -> {
            List<Long> ids = Jdbc.query(c, "SELECT id FROM invitations WHERE code_hash = ? AND used_by IS NULL "
                    + "AND NOT revoked AND expires_at > ? FOR UPDATE", ps -> {
                        ps.setBytes(1, codeHash);
                        ps.setLong(2, createdAt);
                    }, rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return Optional.empty();
            }
            Jdbc.update(c, "INSERT INTO accounts (name, display_name, password_hash, admin, created_at) "
                    + "VALUES (?, ?, ?, FALSE, ?)", ps -> {
                        ps.setString(1, name);
                        ps.setString(2, displayName);
                        ps.setString(3, passwordHash);
                        ps.setLong(4, createdAt);
                    });
            Account account = Jdbc.query(c, "SELECT " + COLUMNS + " FROM accounts WHERE name = ?",
                    ps -> ps.setString(1, name), JdbcAccountStore::account).get(0);
            Jdbc.update(c, "UPDATE invitations SET used_by = ?, used_at = ? WHERE id = ?", ps -> {
                ps.setLong(1, account.id());
                ps.setLong(2, createdAt);
                ps.setLong(3, ids.get(0));
            });
            return Optional.of(account);
        });
    }

    @Override
    public boolean invitationUsable(byte[] codeHash, long now) {
        return !jdbc.query("SELECT id FROM invitations WHERE code_hash = ? AND used_by IS NULL AND NOT revoked "
                + "AND expires_at > ?", ps -> {
                    ps.setBytes(1, codeHash);
                    ps.setLong(2, now);
                }, rs -> rs.getLong(1)).isEmpty();
    }

    private static final String INVITATION_COLUMNS =
            "id, created_by, created_at, expires_at, COALESCE(used_by, 0), used_at, revoked";

    private static Invitation invitation(ResultSet rs) throws SQLException {
        return new Invitation(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getBoolean(7));
    }

    @Override
    public Invitation createInvitation(byte[] codeHash, long createdBy, long createdAt, long expiresAt) {
        return jdbc.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO invitations (code_hash, created_by, created_at, expires_at) "
                    + "VALUES (?, ?, ?, ?)", ps -> {
                        ps.setBytes(1, codeHash);
                        ps.setLong(2, createdBy);
                        ps.setLong(3, createdAt);
                        ps.setLong(4, expiresAt);
                    });
            return Jdbc.query(c, "SELECT " + INVITATION_COLUMNS + " FROM invitations WHERE code_hash = ?",
                    ps -> ps.setBytes(1, codeHash), JdbcAccountStore::invitation).get(0);
        });
    }

    @Override
    public List<Invitation> invitations(int limit) {
        return jdbc.query("SELECT " + INVITATION_COLUMNS + " FROM invitations ORDER BY id DESC LIMIT ?",
                ps -> ps.setInt(1, limit), JdbcAccountStore::invitation);
    }

    @Override
    public boolean revokeInvitation(long id) {
        return jdbc.update("UPDATE invitations SET revoked = TRUE WHERE id = ? AND used_by IS NULL AND NOT revoked",
                ps -> ps.setLong(1, id)) > 0;
    }

    @Override
    public void setPasswordHash(long accountId, String passwordHash) {
        jdbc.update("UPDATE accounts SET password_hash = ? WHERE id = ?", ps -> {
            ps.setString(1, passwordHash);
            ps.setLong(2, accountId);
        });
    }

    @Override
    public void deleteTokensOfExcept(long accountId, byte[] keep) {
        jdbc.update("DELETE FROM session_tokens WHERE account_id = ? AND token_hash <> ?", ps -> {
            ps.setLong(1, accountId);
            ps.setBytes(2, keep);
        });
    }

    @Override
    public void savePasswordReset(long accountId, byte[] codeHash, long createdAt, long expiresAt) {
        jdbc.update(jdbc.dialect().merge("password_resets", List.of("account_id", "code_hash", "created_at",
                "expires_at"), List.of("account_id")), ps -> {
                    ps.setLong(1, accountId);
                    ps.setBytes(2, codeHash);
                    ps.setLong(3, createdAt);
                    ps.setLong(4, expiresAt);
                });
    }

    @Override
    public boolean usePasswordReset(long accountId, byte[] codeHash, long now, String passwordHash) {
        return jdbc.inTransaction(c -> {
            int used = Jdbc.update(c, "DELETE FROM password_resets WHERE account_id = ? AND code_hash = ? "
                    + "AND expires_at > ?", ps -> {
                        ps.setLong(1, accountId);
                        ps.setBytes(2, codeHash);
                        ps.setLong(3, now);
                    });
            if (used == 0) {
                return false;
            }
            Jdbc.update(c, "UPDATE accounts SET password_hash = ? WHERE id = ?", ps -> {
                ps.setString(1, passwordHash);
                ps.setLong(2, accountId);
            });
            Jdbc.update(c, "DELETE FROM session_tokens WHERE account_id = ?", ps -> ps.setLong(1, accountId));
            return true;
        });
    }

    @Override
    public List<Account> searchKnown(long accountId, String query, int limit) {
        String pattern = "%" + query.toLowerCase().replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts WHERE NOT disabled AND (name LIKE ? ESCAPE '\\' "
                + "OR LOWER(display_name) LIKE ? ESCAPE '\\') AND (id IN (SELECT contact_id FROM contacts "
                + "WHERE owner_id = ?) OR id IN (SELECT o.account_id FROM members m JOIN members o "
                + "ON o.conversation_id = m.conversation_id WHERE m.account_id = ?)) ORDER BY name LIMIT ?", ps -> {
                    ps.setString(1, pattern);
                    ps.setString(2, pattern);
                    ps.setLong(3, accountId);
                    ps.setLong(4, accountId);
                    ps.setInt(5, limit);
                }, JdbcAccountStore::account);
    }
    @Override
    public Account createFromDirectory(String name, String displayName, String directoryDn, boolean admin,
            long createdAt) {
        return jdbc.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO accounts (name, display_name, password_hash, admin, created_at, directory_dn) "
                    + "VALUES (?, ?, '', ?, ?, ?)", ps -> {
                        ps.setString(1, name);
                        ps.setString(2, displayName);
                        ps.setBoolean(3, admin);
                        ps.setLong(4, createdAt);
                        ps.setString(5, directoryDn);
                    });
            return Jdbc.query(c, "SELECT " + COLUMNS + " FROM accounts WHERE name = ?", ps -> ps.setString(1, name),
                    JdbcAccountStore::account).get(0);
        });
    }

    @Override
    public void updateFromDirectory(long accountId, String displayName, String directoryDn, boolean admin) {
        jdbc.update("UPDATE accounts SET display_name = ?, directory_dn = ?, admin = ? WHERE id = ?", ps -> {
            ps.setString(1, displayName);
            ps.setString(2, directoryDn);
            ps.setBoolean(3, admin);
            ps.setLong(4, accountId);
        });
    }

    @Override
    public boolean setDisplayName(long accountId, String displayName) {
        return jdbc.update("UPDATE accounts SET display_name = ? WHERE id = ?", ps -> {
            ps.setString(1, displayName);
            ps.setLong(2, accountId);
        }) > 0;
    }

    @Override
    public List<Account> directoryAccountsWithSessions(long afterId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts a WHERE directory_dn IS NOT NULL AND id > ? "
                + "AND EXISTS (SELECT 1 FROM session_tokens t WHERE t.account_id = a.id) ORDER BY id LIMIT ?", ps -> {
                    ps.setLong(1, afterId);
                    ps.setInt(2, limit);
                }, JdbcAccountStore::account);
    }

    @Override
    public List<Account> list(String query, String afterName, int limit) {
        String pattern = "%" + query.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%";
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts WHERE name > ? AND (name LIKE ? ESCAPE '\\' "
                + "OR LOWER(display_name) LIKE ? ESCAPE '\\') ORDER BY name LIMIT ?", ps -> {
                    ps.setString(1, afterName);
                    ps.setString(2, pattern);
                    ps.setString(3, pattern);
                    ps.setInt(4, limit);
                }, JdbcAccountStore::account);
    }

    @Override
    public Map<Long, Long> lastLogins(Collection<Long> accountIds) {
        Map<Long, Long> out = new HashMap<>();
        if (accountIds.isEmpty()) {
            return out;
        }
        Object[] array = accountIds.toArray();
        jdbc.query("SELECT account_id, MAX(created_at) FROM session_tokens WHERE account_id = ANY(?) "
                + "GROUP BY account_id", ps -> ps.setArray(1, ps.getConnection().createArrayOf("BIGINT", array)),
                rs -> out.put(rs.getLong(1), rs.getLong(2)));
        return out;
    }

    @Override
    public long count() {
        return jdbc.queryOne("SELECT COUNT(*) FROM accounts", ps -> {
        }, rs -> rs.getLong(1)).orElse(0L);
    }
}
