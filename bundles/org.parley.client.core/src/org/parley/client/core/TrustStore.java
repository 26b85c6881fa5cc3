package org.parley.client.core;

/**
 * Where the client remembers which server certificate it trusts for each server (trust on first use). The
 * default is a file ({@link FileTrustStore}); the Eclipse UI stores pins in its secure storage.
 */
public interface TrustStore {

    /** The pinned SHA-256 fingerprint for {@code host:port}, or null if this server was never trusted. */
    String pinned(String host, int port);

    void pin(String host, int port, String fingerprint);
}
