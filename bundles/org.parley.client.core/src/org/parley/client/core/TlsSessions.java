package org.parley.client.core;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.parley.client.core.internal.SharedTlsContext;

/**
 * The TLS sessions a client process keeps so that a reconnect (or a new sign-in to the same server) resumes its
 * TLS session with the ticket the server gave the last connection, instead of a full handshake: the server sends
 * no certificate and signs nothing, and the client checks no certificate. A session is kept per server identity:
 * host and port as configured, the certificate authorities trusted ({@link CertificateAuthorities}) and the
 * certificate pinned for that address; when the pin changes, what was kept under the old one is dropped.
 *
 * <p>Resuming never bypasses a pin: a session is only made by a full handshake whose certificate was checked (the
 * pin, a CA and the host name, or the user's answer), and a resumed session is used only if its certificate is the
 * one pinned for the server now, or one a CA verified for the host name. A changed certificate is still refused at
 * the next full handshake, which the server forces when it restarts or reloads its certificate (its ticket keys
 * are new) and at the latest when its tickets expire (the server's {@code tls-session-seconds}, 24 hours by
 * default). A certificate refused or newly trusted, and signing out, forget the sessions of that server.
 * docs/security.md ("TLS session resumption") has the reasoning.
 *
 * <p>{@link #shared()} is the default (one per process, for every client); {@link #none()} makes every
 * connection a full handshake (as clients did before; for comparisons).
 */
public final class TlsSessions {

    private static final TlsSessions SHARED = new TlsSessions(true);
    private static final TlsSessions NONE = new TlsSessions(false);

    /** The identity a kept context stands for. */
    private record Key(String host, int port, CertificateAuthorities authorities, String pin) {
    }

    private final boolean keep;
    private final Map<Key, SharedTlsContext> contexts = new ConcurrentHashMap<>();
    private final LongAdder full = new LongAdder();
    private final LongAdder resumed = new LongAdder();

    /** A store of its own (not shared with the process's other clients). */
    public TlsSessions() {
        this(true);
    }

    private TlsSessions(boolean keep) {
        this.keep = keep;
    }

    /** The process's: every client that is not given another shares it (the default). */
    public static TlsSessions shared() {
        return SHARED;
    }

    /** Keeps nothing: every connection makes a full handshake. */
    public static TlsSessions none() {
        return NONE;
    }

    /** Whether sessions are kept at all ({@code false} for {@link #none()}). */
    public boolean keeps() {
        return keep;
    }

    /**
     * The context for a connection to {@code host:port} with these CAs, the pin being {@code pin} now (null: none);
     * a context kept for the same address under another pin or other CAs is dropped.
     */
    SharedTlsContext context(String host, int port, CertificateAuthorities authorities, String pin)
            throws GeneralSecurityException {
        if (!keep) {
            return new SharedTlsContext(full, resumed);
        }
        Key key = new Key(host, port, authorities, pin);
        contexts.keySet().removeIf(k -> k.host().equals(host) && k.port() == port && !k.equals(key));
        SharedTlsContext found = contexts.get(key);
        if (found != null) {
            return found;
        }
        SharedTlsContext made = new SharedTlsContext(full, resumed);
        SharedTlsContext raced = contexts.putIfAbsent(key, made);
        return raced == null ? made : raced;
    }

    /** Forgets the sessions kept for {@code host:port}: the next connection there makes a full handshake. */
    public void forget(String host, int port) {
        contexts.keySet().removeIf(k -> k.host().equals(host) && k.port() == port);
    }

    /** Forgets every session kept. */
    public void forgetAll() {
        contexts.clear();
    }

    /** Full handshakes made with this store's contexts: certificates the server sent and the client checked. */
    public long fullHandshakes() {
        return full.sum();
    }

    /** Handshakes that resumed a kept session (no certificate). */
    public long resumedHandshakes() {
        return resumed.sum();
    }
}
