package org.parley.server.accounts;

/**
 * The limits on password checks (server settings {@code login-*}, docs/operations.md and docs/security.md).
 *
 * @param accountFreeFailures failed password logins for one account before its attempts are spaced out
 * @param accountLockFailures failed password logins for one account that pause its password logins from
 *        addresses it never signed in from, for {@code lockMillis}
 * @param addressFreeFailures failed password logins from one address before its attempts are spaced out
 * @param addressLockFailures failed password logins from one address that pause every password login from it
 * @param delayMillis the first spacing; it doubles with each further failure
 * @param maxDelayMillis the longest an attempt is held before its check; one that would wait longer is refused
 *        with LOGIN_LOCKED (and the spacing never grows beyond it)
 * @param lockMillis how long a lock lasts, and how long failures are remembered after the last one
 * @param checksPerAddress password checks (waiting or running) one address may have at once
 * @param hashThreads threads that compute password hashes
 * @param maxPendingChecks password checks waiting for or using those threads, server-wide
 * @param reservedPercent the share of {@code maxPendingChecks} kept for addresses someone signed in from before
 * @param trackedEntries failure records and known addresses kept in memory (each), oldest forgotten first
 */
public record LoginLimits(int accountFreeFailures, int accountLockFailures, int addressFreeFailures,
        int addressLockFailures, long delayMillis, long maxDelayMillis, long lockMillis, int checksPerAddress,
        int hashThreads, int maxPendingChecks, int reservedPercent, int trackedEntries) {

    /** How long a successful login makes its address (and its account from that address) known: a token's life. */
    public static final long KNOWN_FOR_MILLIS = AccountService.TOKEN_LIFETIME_MS;
}
