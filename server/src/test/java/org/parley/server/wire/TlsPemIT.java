package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Fingerprints;
import org.parley.server.ParleyServer;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.TestCa;

/**
 * A CA-issued certificate from PEM files (as Let's Encrypt writes them): clients that trust the CA verify it
 * the normal way (host name included), and replacing the files gives new connections the new certificate
 * without a restart.
 */
class TlsPemIT {

    private static final TestCa CA = new TestCa("CN=Parley Test CA");

    /** Connects trusting only the test CA, checking the host name; returns the server's certificate. */
    private static X509Certificate handshake(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.certificate());
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
        X509Certificate first = CA.writeLeaf(tls, 10, "localhost");
        try (ParleyServer server = ParleyServer.start(ServerConfig.parse(List.of("--host", "127.0.0.1", "--port",
                "0", "--data-dir", dir.resolve("data").toString(), "--tls-cert",
                tls.resolve("fullchain.pem").toString(), "--tls-key", tls.resolve("privkey.pem").toString(),
                "--tls-reload-seconds", "1")))) {
            assertThat(handshake(server.port())).isEqualTo(first);
            assertThat(server.certificateFingerprint()).isEqualTo(Fingerprints.sha256(first.getEncoded()));
            assertThat(Files.exists(dir.resolve("data").resolve("tls").resolve("server.p12"))).isFalse();

            // A key that is not the certificate's is refused; the server keeps the certificate it has.
            Files.writeString(tls.resolve("privkey.pem"), TestCa.pem(new JcaPKCS8Generator(TestCa.keys().getPrivate(),
                    null)));
            X509Certificate renewed = CA.writeLeaf(tls, 11, "localhost");
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
