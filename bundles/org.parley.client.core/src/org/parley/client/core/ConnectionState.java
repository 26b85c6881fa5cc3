package org.parley.client.core;

/** Where a {@link ParleyClient} stands. */
public enum ConnectionState {
    /** Not connected, and not trying: never logged in, logged out, or stopped by an error only the user can fix. */
    OFFLINE,
    /** Connecting and logging in for the first time. */
    CONNECTING,
    /** Logged in; requests and pushes flow. */
    ONLINE,
    /** The connection was lost; the client is reconnecting by itself (with backoff) and will resync. */
    RECONNECTING
}
