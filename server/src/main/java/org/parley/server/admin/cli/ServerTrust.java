package org.parley.server.admin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.parley.protocol.Fingerprints;

/**
 * Whether the server is who it says, by the desktop client's rules (docs/security.md): a certificate that a trusted
 * certificate authority verifies (the system's trust store, or the organization's CAs of {@code --ca-file}) must be
 * issued for the host name given (checked as HTTPS does: the TLS engine carries that name); any other certificate
 * (the server's self-signed default) must be the pinned one: {@code --fingerprint}, else the client's pin file
 * ({@code host:port=fingerprint}, {@code ~/.parley/known_servers} by default). A script is never asked, so an
 * unknown certificate is refused with its fingerprint in the reason, never trusted on first use.
 */
final class ServerTrust extends X509ExtendedTrustManager {

    @FunctionalInterface
    private interface HostCheck {
        void check(X509ExtendedTrustManager ca) throws CertificateException;
    }

    private final String host;
    private final int port;
    private final List<X509ExtendedTrustManager> authorities;
    /** The fingerprint pinned for host:port (canonical form), or null. */
    private final String pinned;
    private final String pinnedWhere;
    private volatile String rejection;
    private volatile java.util.function.Consumer<String> onRejected = why -> { };

    private ServerTrust(String host, int port, List<X509ExtendedTrustManager> authorities, String pinned,
            String pinnedWhere) {
        this.host = host;
        this.port = port;
        this.authorities = authorities;
        this.pinned = pinned;
        this.pinnedWhere = pinnedWhere;
    }

    /**
     * The trust for {@code host:port}: the system's CAs plus those of {@code caFile} (may be null), and the pin
     * {@code fingerprint} (may be null) or else the one in {@code knownServers} (may not exist).
     *
     * @throws CliFailure (usage) when a named file cannot be read or a fingerprint is malformed
     */
    static ServerTrust of(String host, int port, Path caFile, String fingerprint, Path knownServers)
            throws CliFailure {
        List<X509ExtendedTrustManager> authorities = new ArrayList<>();
        try {
            authorities.addAll(managers(null));
            if (caFile != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (X509Certificate ca : readPem(caFile)) {
                    ks.setCertificateEntry("organization-ca-" + i++, ca);
                }
                authorities.addAll(managers(ks));
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new CliFailure(Exit.USAGE, "cannot set up TLS trust: " + e.getMessage(), e);
        }
        if (fingerprint != null) {
            return new ServerTrust(host, port, authorities, canonical(fingerprint), "--fingerprint");
        }
        return new ServerTrust(host, port, authorities, pinIn(knownServers, host, port),
                knownServers.toString());
    }

    /** Colon-separated upper-case hex, as the server prints it; colons and case optional on input. */
    static String canonical(String fingerprint) throws CliFailure {
        String hex = fingerprint.replace(":", "").trim().toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new CliFailure(Exit.USAGE, "--fingerprint must be the server certificate's SHA-256 fingerprint: "
                    + "64 hex digits, with or without colons, as the server prints it at start (got '"
                    + fingerprint + "')");
        }
        return String.join(":", hex.split("(?<=\\G..)"));
    }

    private static String pinIn(Path knownServers, String host, int port) throws CliFailure {
        if (!Files.exists(knownServers)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(knownServers, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliFailure(Exit.USAGE, "cannot read the pin file " + knownServers + ": " + e.getMessage(), e);
        }
        String pin = p.getProperty(host + ":" + port);
        return pin == null ? null : canonical(pin);
    }

    private static List<X509Certificate> readPem(Path file) throws IOException {
        List<X509Certificate> cas = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                cas.add((X509Certificate) c);
            }
        } catch (NoSuchFileException e) {
            throw new IOException("the CA file " + file + " does not exist", e);
        } catch (CertificateException e) {
            throw new IOException("the CA file " + file + " is not a PEM certificate file (" + e.getMessage() + ")",
                    e);
        }
        if (cas.isEmpty()) {
            throw new IOException("the CA file " + file + " holds no certificate");
        }
        return cas;
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

    /** Why the last handshake's certificate was refused, or null. */
    String rejection() {
        return rejection;
    }

    /** Tells {@code listener} why, when a certificate is refused (the TLS handshake does not end by itself). */
    void onRejected(java.util.function.Consumer<String> listener) {
        onRejected = listener;
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

    /** Without a connection the host name cannot be checked: only the pinned certificate is accepted. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkPinned(chain);
    }

    private void check(X509Certificate[] chain, String authType, HostCheck hostCheck) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw reject("the server sent no certificate", null);
        }
        X509ExtendedTrustManager verifiedBy = null;
        for (X509ExtendedTrustManager ca : authorities) {
            try {
                ca.checkServerTrusted(chain, authType); // the path to a trusted CA, validity; not the name
                verifiedBy = ca;
                break;
            } catch (CertificateException notThisOne) {
                // another source may know it; else it must be pinned
            }
        }
        if (verifiedBy == null) {
            checkPinned(chain);
            return;
        }
        try {
            hostCheck.check(verifiedBy);
        } catch (CertificateException e) {
            throw reject("the certificate of " + host + ":" + port + " is issued by a trusted certificate authority "
                    + "but not for the name " + host + ": use the name the certificate is for as --host", e);
        }
    }

    private void checkPinned(X509Certificate[] chain) throws CertificateException {
        String fp = Fingerprints.sha256(chain[0].getEncoded());
        if (fp.equals(pinned)) {
            return;
        }
        if (pinned == null) {
            throw reject("the certificate of " + host + ":" + port + " (SHA-256 " + fp + ") is not verified by a "
                    + "trusted certificate authority and not pinned: compare it with the fingerprint the server "
                    + "printed at start (its log: fingerprint=), then pass it as --fingerprint, or give the "
                    + "organization's CA as --ca-file", null);
        }
        throw reject("WARNING: the certificate of " + host + ":" + port + " is not the one pinned in " + pinnedWhere
                + " (now SHA-256 " + fp + ", pinned: " + pinned + "). Someone may be impersonating the server.",
                null);
    }

    private CertificateException reject(String why, Throwable cause) {
        rejection = why;
        onRejected.accept(why);
        return new CertificateException(why, cause);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("not a server");
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
