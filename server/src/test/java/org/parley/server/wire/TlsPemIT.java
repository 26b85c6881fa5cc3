package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Fingerprints;
import org.parley.server.ParleyServer;
import org.parley.server.config.ServerConfig;

/**
 * A CA-issued certificate from PEM files (as Let's Encrypt writes them): clients that trust the CA verify it
 * the normal way (host name included), and replacing the files gives new connections the new certificate
 * without a restart.
 */
class TlsPemIT {

    private static final KeyPair CA_KEYS = keys();
    private static final X509Certificate CA = certificate("CN=Parley Test CA", CA_KEYS, "CN=Parley Test CA", CA_KEYS,
            true, 1);

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
            boolean ca, long serial) {
        try {
            long now = System.currentTimeMillis();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(serial), new Date(now - TimeUnit.HOURS.toMillis(1)),
                    new Date(now + TimeUnit.DAYS.toMillis(90)), new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (!ca) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                        GeneralName.dNSName, "localhost")));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                    "SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object... objects) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return out.toString();
    }

    /** Writes fullchain.pem and privkey.pem for a new leaf with {@code serial}, each file replaced at once. */
    private static X509Certificate issue(Path dir, long serial) throws Exception {
        KeyPair leafKeys = keys();
        X509Certificate leaf = certificate("CN=localhost", leafKeys, "CN=Parley Test CA", CA_KEYS, false, serial);
        Path chain = dir.resolve("fullchain.pem.new");
        Path key = dir.resolve("privkey.pem.new");
        Files.writeString(chain, pem(leaf, CA));
        Files.writeString(key, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(leafKeys.getPrivate(),
                null)));
        Files.move(key, dir.resolve("privkey.pem"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(chain, dir.resolve("fullchain.pem"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return leaf;
    }

    /** Connects trusting only the test CA, checking the host name; returns the server's certificate. */
    private static X509Certificate handshake(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void aCaIssuedCertificateIsServedAndReloadedWhenItsFilesChange(@TempDir Path dir) throws Exception {
        Path tls = Files.createDirectories(dir.resolve("letsencrypt"));
        X509Certificate first = issue(tls, 10);
        try (ParleyServer server = ParleyServer.start(ServerConfig.parse(List.of("--host", "127.0.0.1", "--port",
                "0", "--data-dir", dir.resolve("data").toString(), "--tls-cert",
                tls.resolve("fullchain.pem").toString(), "--tls-key", tls.resolve("privkey.pem").toString(),
                "--tls-reload-seconds", "1")))) {
            assertThat(handshake(server.port())).isEqualTo(first);
            assertThat(server.certificateFingerprint()).isEqualTo(Fingerprints.sha256(first.getEncoded()));
            assertThat(Files.exists(dir.resolve("data").resolve("tls").resolve("server.p12"))).isFalse();

            // A key that is not the certificate's is refused; the server keeps the certificate it has.
            Files.writeString(tls.resolve("privkey.pem"), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
                    keys().getPrivate(), null)));
            X509Certificate renewed = issue(tls, 11);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            X509Certificate seen = handshake(server.port());
            while (!seen.equals(renewed) && System.nanoTime() < deadline) {
                assertThat(seen).isEqualTo(first);
                Thread.sleep(200);
                seen = handshake(server.port());
            }
            assertThat(seen).as("new connections get the renewed certificate").isEqualTo(renewed);
        }
    }

    @Test
    void settingsNeedBothFiles() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.parse(List.of("--tls-cert",
                "/etc/x.pem"))).hasMessageContaining("tls-cert and tls-key go together");
    }
}
