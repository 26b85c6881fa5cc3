package org.parley.client.core.internal;

import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.parley.protocol.Fingerprints;

/**
 * One connection's TLS: the (shared) context it handshakes with, and this connection's own trust manager, which
 * checks the certificate of a full handshake. {@link Link} tells it the engine it made ({@link #engineCreated}) and
 * the session it got ({@link #secured}); a session that was resumed (no certificate came, so nothing was checked
 * during the handshake) is accepted only if the certificate it was made with is still trusted without asking: the
 * one pinned for this server now, or one a CA verified for this host name in a full handshake of the same context.
 */
public final class ClientTls {

    /** A resumed session whose certificate is not trusted now; the connection was not used (nothing was sent). */
    public static final class StaleSession extends CertificateException {
        private static final long serialVersionUID = 1L;

        StaleSession(String message) {
            super(message);
        }
    }

    private final SharedTlsContext shared;
    private final ServerTrustManager trust;
    private final Supplier<String> pinNow;
    private final Runnable onStale;
    private volatile SSLEngine engine;
    private volatile boolean certificateChecked;

    /**
     * {@code pinNow} reads the fingerprint pinned for this server now (null: none); {@code onStale} is told when a
     * resumed session is refused (to forget the context it came from).
     */
    public ClientTls(SharedTlsContext shared, ServerTrustManager trust, Supplier<String> pinNow, Runnable onStale) {
        this.shared = shared;
        this.trust = trust;
        this.pinNow = pinNow;
        this.onStale = onStale;
    }

    public SSLContext context() {
        return shared.context();
    }

    /** The engine of this connection: certificates of its (full) handshake come to {@link #trust}. */
    void engineCreated(SSLEngine e) {
        engine = e;
        shared.bind(e, this);
    }

    void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException {
        if (!certificateChecked) {
            certificateChecked = true;
            shared.count(false); // a full handshake: the server sent its certificate (accepted or not)
        }
        trust.checkServerTrusted(chain, authType, e);
    }

    /**
     * After the handshake: a full one was checked by the trust manager (a certificate a CA verified is remembered
     * for the context); a resumed one is checked here.
     *
     * @throws StaleSession when the session was resumed but its certificate is not trusted now
     */
    void secured(SSLSession session) throws CertificateException {
        shared.unbind(engine);
        if (!certificateChecked) {
            shared.count(true);
        }
        String fingerprint = leafFingerprint(session);
        if (certificateChecked) {
            if (trust.verifiedByAuthority()) {
                shared.verifiedByAuthority(fingerprint);
            }
            return;
        }
        if (fingerprint.equals(pinNow.get()) || shared.wasVerifiedByAuthority(fingerprint)) {
            return;
        }
        onStale.run();
        throw new StaleSession("the TLS session resumed was made with a certificate that is not trusted now (SHA-256 "
                + fingerprint + ")");
    }

    /** The connection ended (the engine is no longer looked for). */
    void closed() {
        shared.unbind(engine);
    }

    private static String leafFingerprint(SSLSession session) throws CertificateException {
        if (session == null) {
            throw new CertificateException("the TLS session of the connection is unknown");
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return Fingerprints.sha256(chain[0].getEncoded());
        } catch (SSLPeerUnverifiedException | CertificateEncodingException | ArrayIndexOutOfBoundsException e) {
            throw new CertificateException("the server's certificate cannot be read from the TLS session", e);
        }
    }
}
