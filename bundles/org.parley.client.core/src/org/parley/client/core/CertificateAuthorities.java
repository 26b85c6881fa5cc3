package org.parley.client.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificate authorities a client trusts to vouch for a server's name: the system's (the JDK's default trust
 * store), an organization's own CA certificates (a PEM file), both, or none. A server whose certificate one of
 * them verifies, for the host name the user typed, is accepted without a question and may renew its certificate
 * freely; any other certificate (a self-signed one) is pinned on first use (see {@link TrustStore}).
 */
public final class CertificateAuthorities {

    private final boolean system;
    private final List<X509Certificate> organization;

    private CertificateAuthorities(boolean system, List<X509Certificate> organization) {
        this.system = system;
        this.organization = List.copyOf(organization);
    }

    /**
     * The system's trusted CAs: the JDK's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}).
     */
    public static CertificateAuthorities system() {
        return new CertificateAuthorities(true, List.of());
    }

    /** No CA at all: every server is pinned on first use (as before CA verification existed). */
    public static CertificateAuthorities none() {
        return new CertificateAuthorities(false, List.of());
    }

    /** These CAs too (an organization's own CA). */
    public CertificateAuthorities plus(Collection<X509Certificate> cas) {
        List<X509Certificate> all = new ArrayList<>(organization);
        all.addAll(cas);
        return new CertificateAuthorities(system, all);
    }

    /**
     * The CA certificates of a PEM file (one or more {@code -----BEGIN CERTIFICATE-----} blocks) too.
     *
     * @throws IOException with the reason in words when the file cannot be read or holds no certificate
     */
    public CertificateAuthorities plusPemFile(Path file) throws IOException {
        List<X509Certificate> cas = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                cas.add((X509Certificate) c);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("the organization's CA file " + file + " does not exist", e);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("the organization's CA file " + file + " is not a PEM certificate file ("
                    + e.getMessage() + ")", e);
        }
        if (cas.isEmpty()) {
            throw new IOException("the organization's CA file " + file + " holds no certificate");
        }
        return plus(cas);
    }

    /** The organization's CAs added to the system's. */
    public List<X509Certificate> organization() {
        return organization;
    }

    public boolean includesSystem() {
        return system;
    }

    /** Two are equal when they trust the same CAs (the system's or not, the same organization certificates). */
    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateAuthorities other && system == other.system
                && organization.equals(other.organization);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(system) * 31 + organization.hashCode();
    }

    /** One trust manager per source (the system's, the organization's), each verifying a chain to its CAs. */
    public List<X509ExtendedTrustManager> trustManagers() throws GeneralSecurityException {
        List<X509ExtendedTrustManager> out = new ArrayList<>();
        if (system) {
            out.addAll(managers(null));
        }
        if (!organization.isEmpty()) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try {
                ks.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            int i = 0;
            for (X509Certificate ca : organization) {
                ks.setCertificateEntry("organization-ca-" + i++, ca);
            }
            out.addAll(managers(ks));
        }
        return out;
    }

    private static List<X509ExtendedTrustManager> managers(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        List<X509ExtendedTrustManager> out = new ArrayList<>();
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                out.add(x);
            }
        }
        return out;
    }
}
