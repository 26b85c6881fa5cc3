package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Session;
import org.parley.server.testing.LogCapture;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.RawPeer;
import org.parley.server.testing.TestConnection;

class TlsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().tls().with("--hello-timeout-seconds", "2");

    @Test
    void theProtocolRunsOverTlsWithACertificateMadeOnFirstStart() throws Exception {
        assertThat(Files.exists(server.dataDir().resolve("tls/server.p12"))).isTrue();
        String fingerprint = server.server().certificateFingerprint();
        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        TestConnection ann = server.register("ann");
        assertThat(ann.request(new Contacts.ListContacts(), Contacts.ContactList.class).contacts()).isEmpty();

        server.restart();
        assertThat(server.server().certificateFingerprint()).as("the certificate is kept").isEqualTo(fingerprint);
    }

    @Test
    void aPlaintextClientOnTheTlsPortFailsWithoutHarm() throws Exception {
        try (TestConnection plain = TestConnection.open("127.0.0.1", server.port(), false)) {
            assertThatThrownBy(() -> plain.request(new Session.Hello(1, 1, "x"), Session.Welcome.class))
                    .isInstanceOf(AssertionError.class);
        }
        assertThat(server.register("bob").request(new Session.Ping(1), Session.Pong.class).nonce()).isEqualTo(1);
    }

    /**
     * The server lets a client resume its TLS session (a second connection from the same client context needs no
     * certificate: the session keeps its full handshake's creation time), for {@code tls-session-seconds}.
     */
    @Test
    void aSecondConnectionOfTheSameClientResumesItsTlsSession() throws Exception {
        assertThat(server.server().config().ops().tlsSessionSeconds()).isEqualTo(86_400);
        javax.net.ssl.SSLContext client = javax.net.ssl.SSLContext.getInstance("TLS");
        int[] certificates = new int[1];
        client.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                certificates[0]++;
            }

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        long[] created = new long[2];
        for (int i = 0; i < 2; i++) {
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) client.getSocketFactory().createSocket(
                    "127.0.0.1", server.port())) {
                s.startHandshake();
                created[i] = s.getSession().getCreationTime();
                // the server sends its session tickets after the handshake: read until it closes (no Hello sent)
                s.setSoTimeout(10_000);
                try {
                    while (s.getInputStream().read() >= 0) {
                        // nothing to read but the tickets, then the Hello deadline's close
                    }
                } catch (IOException closed) {
                    // closed by the server
                }
            }
        }
        assertThat(certificates[0]).as("one certificate check: the second handshake resumed").isEqualTo(1);
        assertThat(created[1]).isEqualTo(created[0]);
    }

    @Test
    void theTlsSessionLifetimeIsASettingWithLimits() {
        assertThat(org.parley.server.config.ServerConfig.parse(List.of("--tls-session-seconds", "3600")).ops()
                .tlsSessionSeconds()).isEqualTo(3600);
        assertThatThrownBy(() -> org.parley.server.config.ServerConfig.parse(List.of("--tls-session-seconds", "0")))
                .hasMessageContaining("tls-session-seconds must be between 1 and 604800");
        assertThatThrownBy(() -> org.parley.server.config.ServerConfig.parse(List.of("--tls-session-seconds",
                "604801"))).hasMessageContaining("tls-session-seconds must be between 1 and 604800");
    }

    @Test
    void plaintextIsOnlyOnWhenAskedFor() throws IOException {
        assertThat(server.isTls()).isTrue();
        assertThat(server.server().config().tls()).isTrue();
    }

    /**
     * Malformed TLS handshakes (garbage, a ClientHello cut short and then garbage, plaintext Hello) are logged as
     * one line each without a stack trace, and repeated ones from one address are rate-limited (6 a minute). Those
     * the TLS layer waits on (a record cut short) are closed at the Hello deadline.
     */
    @Test
    void badHandshakesAreLoggedBrieflyAndRateLimited() throws Exception {
        byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        // A TLS record header announcing a handshake, then a ClientHello whose lengths lie.
        byte[] brokenHello = {0x16, 0x03, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x7f, 0x03, 0x03, 1, 2, 3, 4, 5, 6, 7, 8,
            9, 10};
        byte[] plaintextHello = RawPeer.encode(new org.parley.protocol.Frame(1, new Session.Hello(1, 1, "x")));
        // Well-formed ClientHellos the server refuses while processing them: no cipher suite in common (a scanner),
        // and a real one with bytes in its middle damaged.
        byte[] noCommonSuite = clientHello(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
        byte[] damaged = clientHello(null);
        for (int i = 60; i < Math.min(damaged.length, 120); i++) {
            damaged[i] = (byte) 0xAA;
        }
        List<byte[]> attacks = List.of(garbage, brokenHello, plaintextHello, new byte[] {0x16, 0x03, 0x03, 0x7f,
            0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, noCommonSuite, damaged);
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 24; i++) {
                try (RawPeer peer = RawPeer.connect("127.0.0.7", server.port())) {
                    peer.write(attacks.get(i % attacks.size()));
                    assertThat(peer.awaitClosed()).isTrue();
                }
            }
            assertThat(server.register("bob").request(new Session.Ping(1), Session.Pong.class).nonce()).isEqualTo(1);
            List<ILoggingEvent> events = log.events();
            assertThat(events).allSatisfy(e -> {
                assertThat(e.getLevel().isGreaterOrEqual(Level.ERROR)).as(e.getFormattedMessage()).isFalse();
                assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull();
            });
            List<ILoggingEvent> aboutThem = events.stream()
                    .filter(e -> String.valueOf(e.getKeyValuePairs()).contains("127.0.0.7")).toList();
            assertThat(aboutThem).isNotEmpty().hasSizeLessThanOrEqualTo(6);
        }
    }

    /** The first flight of a TLS 1.2 client (its ClientHello record), offering {@code suites} (null: defaults). */
    private static byte[] clientHello(String[] suites) throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        javax.net.ssl.SSLEngine engine = ctx.createSSLEngine("localhost", 7443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.2"});
        if (suites != null) {
            engine.setEnabledCipherSuites(suites);
        }
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        while (out.position() == 0) {
            engine.wrap(java.nio.ByteBuffer.allocate(0), out);
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
