package org.parley.server.accounts;

/**
 * Failed password logins counted where every server node sees them (the port the {@link LoginThrottle} of each
 * node shares; several nodes: a table in the shared database). A single node has {@link #NONE}: its throttle's
 * memory is the whole count. Each call is one short statement or transaction; a failing one throws
 * {@link org.parley.server.common.StorageException}.
 */
public interface LoginFailures {

    /** What is shared about one account or one address: failures, the last one's time and the lock's end (ms). */
    record Tally(int failures, long lastFailure, long lockedUntil) {
    }

    /** A single node: nothing shared. */
    LoginFailures NONE = new LoginFailures() {
        @Override
        public Tally read(String kind, String key) {
            return null;
        }

        @Override
        public Tally failed(String kind, String key, long now, int lockAt, long lockMillis) {
            return null;
        }

        @Override
        public void succeeded(String kind, String key, long now) {
        }
    };

    /** The tally of {@code key} ({@code kind}: "account" or "address"), or null when it has none. */
    Tally read(String kind, String key);

    /**
     * Counts one failure at {@code now}, atomically among the nodes: failures older than {@code lockMillis} (with no
     * lock running) are forgotten first; reaching {@code lockAt} locks it until {@code now + lockMillis}. Returns the
     * tally after it.
     */
    Tally failed(String kind, String key, long now, int lockAt, long lockMillis);

    /** Forgets the failures of {@code key} after its owner signed in, unless it is locked at {@code now}. */
    void succeeded(String kind, String key, long now);
}
