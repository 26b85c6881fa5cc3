package org.parley.client.core.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;

/**
 * One {@link SSLContext} kept for the connections to one server (host, port, the CAs trusted and the pin), so that
 * a reconnect offers the TLS session ticket of an earlier connection and the server can resume it: no certificate,
 * no signature, no certificate check (the JDK keeps the tickets in the context's client session cache, by host and
 * port, for at most {@link #SESSION_SECONDS} after the full handshake they came from).
 *
 * <p>Its trust manager holds no decision of its own: a full handshake's certificate goes to the {@link ClientTls}
 * of the connection whose engine it is, which checks it exactly as a context made for that connection alone did
 * (pin, CA, the user's answer). A resumed handshake brings no certificate; {@link ClientTls#secured} then checks
 * that the certificate the session was made with is still trusted without a question.
 */
public final class SharedTlsContext {

    /** The longest a session is resumed after its full handshake: 24 hours (the JDK's default, said here). */
    public static final int SESSION_SECONDS = 86_400;

    private final SSLContext context;
    private final Map<SSLEngine, ClientTls> handshakes = new ConcurrentHashMap<>();
    /** Fingerprints of leaf certificates a CA verified for this host in a full handshake of this context. */
    private final Set<String> verifiedByAuthority = ConcurrentHashMap.newKeySet();
    private final LongAdder full;
    private final LongAdder resumed;

    /** {@code full} and {@code resumed} count the handshakes made with it. */
    public SharedTlsContext(LongAdder full, LongAdder resumed) throws GeneralSecurityException {
        this.full = full;
        this.resumed = resumed;
        context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new ByConnection()}, new SecureRandom());
        // A session is resumed at most this long after the full handshake it came from (a resumption keeps the
        // first one's creation time); the server's ticket lifetime (tls-session-seconds) may be shorter.
        context.getClientSessionContext().setSessionTimeout(SESSION_SECONDS);
    }

    SSLContext context() {
        return context;
    }

    void bind(SSLEngine engine, ClientTls connection) {
        handshakes.put(engine, connection);
    }

    void unbind(SSLEngine engine) {
        if (engine != null) {
            handshakes.remove(engine);
        }
    }

    void verifiedByAuthority(String fingerprint) {
        verifiedByAuthority.add(fingerprint);
    }

    boolean wasVerifiedByAuthority(String fingerprint) {
        return verifiedByAuthority.contains(fingerprint);
    }

    void count(boolean resumption) {
        (resumption ? resumed : full).increment();
    }

    /** Hands each full handshake's certificate to its connection's own checks. */
    private final class ByConnection extends ClientSideTrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            ClientTls connection = engine == null ? null : handshakes.get(engine);
            if (connection == null) {
                throw new CertificateException("no connection is waiting for this certificate");
            }
            connection.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("Parley's client connects with engines only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("Parley's client connects with engines only");
        }
    }
}
