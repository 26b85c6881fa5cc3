package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;

/**
 * Every way of not getting through says why in words, with the server named, never "null": an unknown host, a
 * refused port, a server that does not accept, TLS with a plaintext server.
 */
class ConnectErrorsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension(); // plaintext

    private static String failureOf(ParleyClient.Config config) {
        try (ParleyClient c = new ParleyClient(config.trust(new FileTrustStore(
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "parley-connect-errors-" + System.nanoTime())),
                TrustDecider.FIRST_USE))) {
            Throwable[] failure = new Throwable[1];
            assertThatThrownBy(() -> c.login("ann", "password-ann").get(60, TimeUnit.SECONDS))
                    .satisfies(e -> failure[0] = e.getCause()).cause().isInstanceOf(ParleyClientException.class);
            String message = failure[0].getMessage();
            assertThat(message).doesNotContainIgnoringCase("null");
            return message;
        }
    }

    @Test
    void anUnknownHostIsNamedAsSuch() {
        assertThat(failureOf(ParleyClient.Config.of("no-such-host.invalid", 7443).plaintext()))
                .startsWith("cannot connect to no-such-host.invalid:7443: ")
                .contains("unknown server name");
    }

    @Test
    void aRefusedPortSaysNothingListensThere() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(failureOf(ParleyClient.Config.of("127.0.0.1", closed).plaintext()))
                .startsWith("cannot connect to 127.0.0.1:" + closed + ": ")
                .contains("refused").contains("nothing listens on port " + closed);
    }

    @Test
    void tlsWithAPlaintextServerSaysTlsFailed() {
        assertThat(failureOf(ParleyClient.Config.of("127.0.0.1", server.port())))
                .contains("secure connection (TLS) with 127.0.0.1:" + server.port() + " failed")
                .contains("--plaintext");
    }

    /**
     * A server whose backlog is full and never accepts: the kernel drops further connection attempts, so the
     * connector's own time limit ends the attempt (a local stand-in for a host that does not answer).
     */
    @Test
    void aServerThatNeverAnswersTimesOutInWords() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> filling = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) { // fill the accept queue (backlog + 1 on Linux)
                    Socket k = new Socket();
                    try {
                        k.connect(s.getLocalSocketAddress(), 1_000);
                        filling.add(k);
                    } catch (java.io.IOException full) {
                        k.close();
                        break;
                    }
                }
                assertThat(failureOf(ParleyClient.Config.of("127.0.0.1", s.getLocalPort()).plaintext()))
                        .contains("no answer within");
            } finally {
                for (Socket k : filling) {
                    k.close();
                }
            }
        }
    }
}
