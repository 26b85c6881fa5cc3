package org.parley.client.core.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import javax.net.ssl.X509TrustManager;

import org.parley.client.core.TrustDecider;
import org.parley.client.core.TrustStore;

/**
 * Trust on first use: the server's leaf certificate is accepted when its SHA-256 fingerprint is the one pinned for
 * this server; an unknown or changed certificate is put to the {@link TrustDecider}. Host names are not checked:
 * the pin identifies the server (self-signed certificates need no CA).
 */
public final class PinningTrustManager implements X509TrustManager {

    private final String host;
    private final int port;
    private final TrustStore store;
    private final TrustDecider decider;
    private volatile String rejected;

    public PinningTrustManager(String host, int port, TrustStore store, TrustDecider decider) {
        this.host = host;
        this.port = port;
        this.store = store;
        this.decider = decider;
    }

    public static String fingerprint(X509Certificate cert) throws GeneralSecurityException {
        return HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        String fp;
        try {
            fp = fingerprint(chain[0]);
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
        String pinned = store.pinned(host, port);
        if (fp.equals(pinned)) {
            return;
        }
        if (decider.trust(host, port, fp, pinned)) {
            store.pin(host, port, fp);
            return;
        }
        rejected = pinned == null
                ? "the certificate of " + host + ":" + port + " (SHA-256 " + fp + ") was not trusted"
                : "WARNING: the certificate of " + host + ":" + port + " has CHANGED (now SHA-256 " + fp
                        + ", trusted before: " + pinned + "). Someone may be impersonating the server.";
        throw new CertificateException(rejected);
    }

    /** Why the last handshake was refused, or null. */
    public String rejection() {
        return rejected;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
