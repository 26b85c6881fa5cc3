package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Fingerprints;
import org.parley.server.ParleyServer;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.TestCa;

/**
 * The client verifies a CA-issued server certificate the normal way (a trusted CA, the host name typed) and pins
 * only certificates no CA vouches for: a real server with PEM files from a test CA (the client's organization CA)
 * renews its certificate and clients connect without a question; a certificate of that CA for another name is
 * refused with the reason; a self-signed certificate that changes is still refused as CHANGED.
 */
class CertificateTrustIT {

    @TempDir
    Path dir;

    private final TestCa testCa = new TestCa("CN=Example Org Test CA");
    private final X509Certificate ca = testCa.certificate();
    /** Every question the client asked the user about a certificate (fingerprint and the one pinned before). */
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @Test
    void aCaIssuedCertificateThatIsRenewedIsAcceptedWithoutAQuestion() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("letsencrypt"));
        X509Certificate first = testCa.writeLeaf(tls, 10, "localhost");
        FileTrustStore pins = new FileTrustStore(dir.resolve("known_servers"));
        try (ParleyServer server = start(tls)) {
            try (ParleyClient ann = client("localhost", server.port(), pins)) {
                ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
            }
            X509Certificate renewed = testCa.writeLeaf(tls, 11, "localhost");
            awaitServed(server, renewed);
            assertThat(renewed).isNotEqualTo(first);
            try (ParleyClient again = client("localhost", server.port(), pins)) {
                assertThat(again.login("ann", "password-ann").get(20, TimeUnit.SECONDS).user()).isEqualTo("ann");
            }
        }
        assertThat(asked).as("no question about a CA-issued certificate, first or renewed").isEmpty();
        assertThat(pins.pinned("localhost", 0)).isNull();
        assertThat(Files.exists(dir.resolve("known_servers"))).as("nothing pinned").isFalse();
    }

    @Test
    void aSessionVerifiedByTheCaIsResumedAndARenewedCertificateIsShownToTheNextConnection() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("letsencrypt"));
        X509Certificate first = testCa.writeLeaf(tls, 12, "localhost");
        FileTrustStore pins = new FileTrustStore(dir.resolve("known_servers"));
        TlsSessions kept = new TlsSessions();
        try (ParleyServer server = start(tls)) {
            try (ParleyClient ann = client("localhost", server.port(), pins, kept)) {
                ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
            }
            try (ParleyClient again = client("localhost", server.port(), pins, kept)) {
                again.login("ann", "password-ann").get(20, TimeUnit.SECONDS);
                assertThat(kept.resumedHandshakes()).as("the CA-verified session resumed").isEqualTo(1);
                assertThat(again.tlsSession().getPeerCertificates()[0]).isEqualTo(first);
            }
            X509Certificate renewed = testCa.writeLeaf(tls, 13, "localhost");
            awaitServed(server, renewed);
            try (ParleyClient third = client("localhost", server.port(), pins, kept)) {
                third.login("ann", "password-ann").get(20, TimeUnit.SECONDS);
                assertThat(third.tlsSession().getPeerCertificates()[0])
                        .as("the reload voided the tickets: a full handshake with the renewed certificate")
                        .isEqualTo(renewed);
            }
        }
        assertThat(kept.fullHandshakes()).isEqualTo(2);
        assertThat(kept.resumedHandshakes()).isEqualTo(1);
        assertThat(asked).isEmpty();
    }

    @Test
    void aCaIssuedCertificateForAnotherNameIsRefusedWithTheReason() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("letsencrypt"));
        testCa.writeLeaf(tls, 20, "chat.example.org");
        FileTrustStore pins = new FileTrustStore(dir.resolve("known_servers"));
        try (ParleyServer server = start(tls); ParleyClient ann = client("localhost", server.port(), pins)) {
            assertThatThrownBy(() -> ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ParleyClient.TrustRejectedException.class)
                    .hasMessageContaining("issued by a trusted certificate authority but not for the name localhost")
                    .hasMessageContaining("chat.example.org").hasMessageContaining("will not connect");
        }
        assertThat(asked).as("not offered to pin: the CA says whose it is").isEmpty();
        assertThat(Files.exists(dir.resolve("known_servers"))).isFalse();
    }

    @Test
    void aSelfSignedCertificateIsPinnedAndItsChangeStillWarns() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("self"));
        KeyPair ownKeys = TestCa.keys();
        X509Certificate own = TestCa.writeSelfSigned(tls, ownKeys, 30, "localhost");
        FileTrustStore pins = new FileTrustStore(dir.resolve("known_servers"));
        try (ParleyServer server = start(tls)) {
            try (ParleyClient ann = client("localhost", server.port(), pins)) {
                ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
            }
            String pinned = Fingerprints.sha256(encoded(own));
            assertThat(asked).containsExactly(pinned + " previous=null");
            assertThat(pins.pinned("localhost", server.port())).isEqualTo(pinned);

            KeyPair otherKeys = TestCa.keys();
            X509Certificate other = TestCa.writeSelfSigned(tls, otherKeys, 31, "localhost");
            awaitServed(server, other);
            try (ParleyClient again = client("localhost", server.port(), pins)) {
                assertThatThrownBy(() -> again.login("ann", "password-ann").get(20, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(ParleyClient.TrustRejectedException.class).hasMessageContaining("CHANGED");
            }
            assertThat(asked).hasSize(2).last().isEqualTo(Fingerprints.sha256(encoded(other)) + " previous="
                    + pinned);
            assertThat(pins.pinned("localhost", server.port())).as("the old pin stays").isEqualTo(pinned);
        }
    }

    @Test
    void aUserWhoTakesLongerThanTheServersHelloDeadlineToTrustTheCertificateIsStillSignedUp() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("slow"));
        KeyPair ownKeys = TestCa.keys();
        X509Certificate own = TestCa.writeSelfSigned(tls, ownKeys, 40, "localhost");
        FileTrustStore pins = new FileTrustStore(dir.resolve("known_servers"));
        // the server closes a connection that has not said Hello within a second; the user reads the fingerprint
        // for two and a half, then trusts it
        try (ParleyServer server = start(tls, "--hello-timeout-seconds", "1");
                ParleyClient ann = new ParleyClient(ParleyClient.Config.of("localhost", server.port())
                        .authorities(CertificateAuthorities.system()).trust(pins, (h, p, fingerprint, previous) -> {
                            asked.add(fingerprint + " previous=" + previous);
                            try {
                                Thread.sleep(2_500);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return previous == null;
                        }))) {
            ann.register("ann", "password-ann", "Ann").get(30, TimeUnit.SECONDS);
            assertThat(ann.state()).isEqualTo(ConnectionState.ONLINE);
        }
        assertThat(asked).as("asked once: the second connection found the pin").containsExactly(
                Fingerprints.sha256(encoded(own)) + " previous=null");
    }

    @Test
    void anOrganizationCaFileThatCannotBeUsedSaysWhy() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> CertificateAuthorities.system().plusPemFile(missing))
                .isInstanceOf(IOException.class).hasMessageContaining("does not exist").hasMessageContaining(
                        missing.toString());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertThatThrownBy(() -> CertificateAuthorities.system().plusPemFile(garbage))
                .isInstanceOf(IOException.class).hasMessageContaining(garbage.toString());
        Path good = Files.writeString(dir.resolve("ca.pem"), TestCa.pem(ca));
        assertThat(CertificateAuthorities.system().plusPemFile(good).organization()).containsExactly(ca);
    }

    // ---------------------------------------------------------------- helpers

    private ParleyServer start(Path tls, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir",
                dir.resolve("data").toString(), "--registration", "open", "--argon2-memory-kib", "256",
                "--argon2-iterations", "1", "--tls-cert", tls.resolve("fullchain.pem").toString(), "--tls-key",
                tls.resolve("privkey.pem").toString(), "--tls-reload-seconds", "1"));
        args.addAll(List.of(more));
        return ParleyServer.start(ServerConfig.parse(args));
    }

    /** A client trusting the system's CAs and the test CA as its organization's, recording every question. */
    private ParleyClient client(String host, int port, TrustStore pins) {
        return client(host, port, pins, new TlsSessions());
    }

    /** As {@link #client(String, int, TrustStore)}, keeping its TLS sessions in {@code kept}. */
    private ParleyClient client(String host, int port, TrustStore pins, TlsSessions kept) {
        return new ParleyClient(ParleyClient.Config.of(host, port).tlsSessions(kept)
                .authorities(CertificateAuthorities.system().plus(List.of(ca)))
                .trust(pins, (h, p, fingerprint, previous) -> {
                    asked.add(fingerprint + " previous=" + previous);
                    return previous == null;
                }));
    }

    /**
     * Waits until the server has reloaded its files (it checks them every second) and serves {@code cert} to new
     * connections: a handshake that only looks at the certificate (and sends nothing).
     */
    private static void awaitServed(ParleyServer server, X509Certificate cert) throws Exception {
        X509Certificate[] seen = new X509Certificate[1];
        javax.net.ssl.X509TrustManager look = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {look}, null);
        for (int i = 0; i < 300; i++) {
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(
                    "127.0.0.1", server.port())) {
                s.startHandshake();
            }
            if (cert.equals(seen[0])) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(seen[0]).as("the server reloaded its certificate").isEqualTo(cert);
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
