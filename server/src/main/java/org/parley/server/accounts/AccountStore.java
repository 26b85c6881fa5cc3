package org.parley.server.accounts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Storage port of the accounts feature. */
public interface AccountStore {

    /**
     * Creates an account and returns it with its id.
     *
     * @throws org.parley.server.storage.DuplicateKeyException if the name is taken
     */
    Account create(String name, String displayName, String passwordHash, boolean admin, long createdAt);

    Optional<Account> findByName(String name);

    Optional<Account> findById(long id);

    /** The accounts with these ids that exist, by id. */
    Map<Long, Account> findByIds(Collection<Long> ids);

    /** Accounts whose name or display name contains {@code query}, case-insensitively, ordered by name. */
    List<Account> search(String query, int limit);

    void setDisabled(long accountId, boolean disabled);

    void setAdmin(long accountId, boolean admin);

    void saveToken(SessionToken token);

    Optional<SessionToken> findToken(byte[] tokenHash);

    void extendToken(byte[] tokenHash, long expiresAt);

    void deleteToken(byte[] tokenHash);

    void deleteTokensOf(long accountId);
}
