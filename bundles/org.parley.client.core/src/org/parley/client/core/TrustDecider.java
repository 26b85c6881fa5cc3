package org.parley.client.core;

/**
 * Asked during the TLS handshake when a server's certificate is not the pinned one: on first contact
 * ({@code previous} is null) or, loudly, when it changed ({@code previous} is the fingerprint trusted before).
 * Fingerprints are SHA-256, colon-separated upper-case hex, as the server prints them at start-up.
 */
@FunctionalInterface
public interface TrustDecider {

    boolean trust(String host, int port, String fingerprint, String previous);

    /** Trusts any server on first contact and refuses a changed certificate (tests, bots, benchmarks). */
    TrustDecider FIRST_USE = (host, port, fingerprint, previous) -> previous == null;

    /** Never trusts an unknown certificate: only pinned servers are accepted. */
    TrustDecider PINNED_ONLY = (host, port, fingerprint, previous) -> false;
}
