package org.parley.client.core.internal;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;

import org.parley.client.core.TrustDecider;
import org.parley.client.core.TrustStore;
import org.parley.protocol.Fingerprints;

/**
 * Trust on first use: the server's leaf certificate is accepted when its SHA-256 fingerprint is the one pinned for
 * this server; an unknown or changed certificate is put to the {@link TrustDecider}. Host names are not checked:
 * the pin identifies the server (self-signed certificates need no CA). Not a trust manager of its own:
 * {@link ServerTrustManager}, the connection's, asks it about the certificates no certificate authority verifies.
 */
public final class TrustOnFirstUse {

    private final String host;
    private final int port;
    private final TrustStore store;
    private final TrustDecider decider;
    private final Consumer<String> onRejected;

    /** {@code onRejected} hears why a certificate was refused (to report it, and to stop waiting for replies). */
    public TrustOnFirstUse(String host, int port, TrustStore store, TrustDecider decider,
            Consumer<String> onRejected) {
        this.host = host;
        this.port = port;
        this.store = store;
        this.decider = decider;
        this.onRejected = onRejected;
    }

    /** Accepts the chain whose leaf is pinned for this server, or which the decider trusts (then pinned). */
    public void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        String fp = Fingerprints.sha256(chain[0].getEncoded());
        String pinned = store.pinned(host, port);
        if (fp.equals(pinned)) {
            return;
        }
        if (decider.trust(host, port, fp, pinned)) {
            store.pin(host, port, fp);
            return;
        }
        String rejected = pinned == null
                ? "the certificate of " + host + ":" + port + " (SHA-256 " + fp + ") was not trusted"
                : "WARNING: the certificate of " + host + ":" + port + " has CHANGED (now SHA-256 " + fp
                        + ", trusted before: " + pinned + "). Someone may be impersonating the server.";
        onRejected.accept(rejected);
        throw new CertificateException(rejected);
    }
}
