package org.parley.client.core.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client decides whether a server is who it says: a certificate that a trusted certificate authority
 * (the system's, or the organization's: {@link org.parley.client.core.CertificateAuthorities}) verifies must also
 * be issued for the host name the user typed (checked as HTTPS clients do: the engine carries that name and the
 * endpoint identification algorithm "HTTPS"), and is then accepted without a question, however often it is
 * renewed. A certificate no CA verifies (a self-signed one, the server's default) is left to the
 * {@link TrustOnFirstUse}: pinned on first use, a loud warning when it changes.
 */
public final class ServerTrustManager extends ClientSideTrustManager {

    /** Checks the host name with one CA's trust manager (which re-checks the path with the connection's rules). */
    @FunctionalInterface
    private interface HostCheck {
        void check(X509ExtendedTrustManager ca) throws CertificateException;
    }

    private final String host;
    private final int port;
    private final List<X509ExtendedTrustManager> authorities;
    private final TrustOnFirstUse pins;
    private final Consumer<String> onRejected;
    /** Whether the last certificate accepted was verified by a CA (for the host name), not by its pin. */
    private volatile boolean verifiedByAuthority;

    public ServerTrustManager(String host, int port, List<X509ExtendedTrustManager> authorities,
            TrustOnFirstUse pins, Consumer<String> onRejected) {
        this.host = host;
        this.port = port;
        this.authorities = List.copyOf(authorities);
        this.pins = pins;
        this.onRejected = onRejected;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, authType, ca -> ca.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, authType, ca -> ca.checkServerTrusted(chain, authType, socket));
    }

    /** Without a connection the host name cannot be checked: only a pinned certificate is accepted. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pins.check(chain);
    }

    private void check(X509Certificate[] chain, String authType, HostCheck hostCheck) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        X509ExtendedTrustManager verifiedBy = null;
        for (X509ExtendedTrustManager ca : authorities) {
            try {
                ca.checkServerTrusted(chain, authType); // the path to a trusted CA, validity; not the name
                verifiedBy = ca;
                break;
            } catch (CertificateException notThisOne) {
                // another CA source may know it; else it is pinned on first use
            }
        }
        if (verifiedBy == null) {
            pins.check(chain);
            verifiedByAuthority = false;
            return;
        }
        try {
            hostCheck.check(verifiedBy);
            verifiedByAuthority = true;
        } catch (CertificateException e) {
            // Short enough for a dialog's message line; the JDK's own words go to the exception's cause.
            String why = "the certificate of " + host + ":" + port + " is issued by a trusted certificate authority "
                    + "but not for the name " + host + " (only for " + names(chain[0]) + "): Parley will not "
                    + "connect; use the name the certificate is for";
            onRejected.accept(why);
            throw new CertificateException(why, e);
        }
    }

    /**
     * Whether the certificate this manager accepted last was verified by a certificate authority for the host name
     * (false: it was accepted because it is the pinned one, or the user trusted it).
     */
    public boolean verifiedByAuthority() {
        return verifiedByAuthority;
    }

    /** The DNS names and addresses a certificate is issued for, or its subject when it has none. */
    static String names(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    if (entry.size() >= 2 && (Integer.valueOf(2).equals(entry.get(0))
                            || Integer.valueOf(7).equals(entry.get(0)))) { // dNSName, iPAddress
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // fall back to the subject
        }
        return names.isEmpty() ? cert.getSubjectX500Principal().getName() : String.join(", ", names);
    }
}
