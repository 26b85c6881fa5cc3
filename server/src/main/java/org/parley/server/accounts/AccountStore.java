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
     * @throws org.parley.server.common.DuplicateKeyException if the name is taken
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

    /** A session token with the account that holds it. */
    record TokenOwner(SessionToken token, Account account) {
    }

    /**
     * The token and its account in one read (what a {@code Resume} needs: one statement instead of two); empty for
     * an unknown token.
     */
    Optional<TokenOwner> findTokenOwner(byte[] tokenHash);

    void extendToken(byte[] tokenHash, long expiresAt);

    void deleteToken(byte[] tokenHash);

    void deleteTokensOf(long accountId);

    /** Whether any account exists (a fresh server has none: its first account becomes the administrator). */
    boolean anyAccount();

    /**
     * Creates an account and uses up the invitation whose code has this hash, in one transaction: empty (and no
     * account) if no usable invitation has it (unknown, used, revoked, or expired at {@code createdAt}).
     *
     * @throws org.parley.server.common.DuplicateKeyException if the name is taken (the invitation stays unused)
     */
    Optional<Account> createInvited(String name, String displayName, String passwordHash, byte[] codeHash,
            long createdAt);

    /** Whether an invitation with this code hash is usable at {@code now} (a check before any hashing). */
    boolean invitationUsable(byte[] codeHash, long now);

    /** Stores a new invitation and returns it with its id. */
    Invitation createInvitation(byte[] codeHash, long createdBy, long createdAt, long expiresAt);

    /** Invitations, newest first. */
    List<Invitation> invitations(int limit);

    /** Revokes an unused invitation; false if there is none with this id, or it was used or revoked already. */
    boolean revokeInvitation(long id);

    void setPasswordHash(long accountId, String passwordHash);

    /** Deletes the account's session tokens except {@code keep} (the session that asked). */
    void deleteTokensOfExcept(long accountId, byte[] keep);

    /** Stores a password reset code for the account, replacing any earlier one. */
    void savePasswordReset(long accountId, byte[] codeHash, long createdAt, long expiresAt);

    /**
     * Uses up the account's reset code if it has this hash and has not expired at {@code now}: sets the password
     * hash and deletes every session token of the account, in one transaction. False (nothing changed) otherwise.
     */
    boolean usePasswordReset(long accountId, byte[] codeHash, long now, String passwordHash);

    /**
     * As {@link #search}, among the accounts {@code accountId} has as contacts or shares a conversation with (the
     * directory a user sees with {@code directory=contacts}).
     */
    List<Account> searchKnown(long accountId, String query, int limit);
    /**
     * Creates a directory account (empty password hash: its password lives in the directory) and returns it with
     * its id.
     *
     * @throws org.parley.server.common.DuplicateKeyException if the name is taken
     */
    Account createFromDirectory(String name, String displayName, String directoryDn, boolean admin, long createdAt);

    /** Sets what a directory account's entry says now: its display name, DN and administrator flag. */
    void updateFromDirectory(long accountId, String displayName, String directoryDn, boolean admin);

    /** Sets the display name of a local account (its user's own choice); false when there is no such account. */
    boolean setDisplayName(long accountId, String displayName);

    /**
     * Directory accounts that hold at least one session token, with an id above {@code afterId}, by id (the
     * accounts whose directory entries are checked again while they stay signed in).
     */
    List<Account> directoryAccountsWithSessions(long afterId, int limit);

    /**
     * Every account, disabled ones included, whose name or display name contains {@code query}
     * (case-insensitively; "" matches all) and whose name sorts after {@code afterName} ("" = from the first),
     * ordered by name, at most {@code limit} (what administrators list).
     */
    List<Account> list(String query, String afterName, int limit);

    /**
     * When each of these accounts last logged in with its password, as far as its session tokens still tell: the
     * creation time of its newest token; accounts holding none are absent.
     */
    Map<Long, Long> lastLogins(Collection<Long> accountIds);

    /** How many accounts exist, disabled ones included. */
    long count();
}
