package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Fingerprints;
import org.parley.server.testing.ParleyServerExtension;

/**
 * TLS session resumption against a real server with its self-signed certificate: a reconnect, and a new sign-in in
 * the same process, resume the session of the connection before (no certificate, no question), and nothing kept
 * lets a connection past a pin: a server whose certificate changed is refused at the next full handshake, a
 * changed pin is not bypassed, a resumed session whose certificate is no longer the pinned one is not used, and
 * signing out forgets the sessions. Resumption is observed through the session's creation time (a resumed session
 * keeps that of its full handshake) and the store's handshake counts.
 */
class TlsResumptionIT {

    private static final String HOST = "127.0.0.1";

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().tls();

    private final TlsSessions sessions = new TlsSessions();
    private final Pins pins = new Pins();
    /** Every question the client asked about a certificate: its fingerprint and the one pinned before. */
    private final List<String> asked = new CopyOnWriteArrayList<>();

    /** Pins in memory; {@link #changeAfterNextRead} lets a test change the pin in the middle of a connection. */
    private static final class Pins implements TrustStore {
        private final Map<String, String> pins = new ConcurrentHashMap<>();
        private volatile String next;

        @Override
        public String pinned(String host, int port) {
            String pin = pins.get(host + ":" + port);
            String changed = next;
            if (changed != null) {
                next = null;
                pins.put(host + ":" + port, changed);
            }
            return pin;
        }

        @Override
        public void pin(String host, int port, String fingerprint) {
            pins.put(host + ":" + port, fingerprint);
        }

        /** The next read still answers the pin of now; every later one {@code fingerprint}. */
        void changeAfterNextRead(String fingerprint) {
            next = fingerprint;
        }
    }

    private ParleyClient client(TlsSessions kept) {
        return new ParleyClient(ParleyClient.Config.of(HOST, server.port()).backoff(50, 200).tlsSessions(kept)
                .trust(pins, (h, p, fingerprint, previous) -> {
                    asked.add(fingerprint + " previous=" + previous);
                    return previous == null;
                }));
    }

    private String serverFingerprint() {
        return server.server().certificateFingerprint();
    }

    /** Registers ann (a full handshake: the certificate is pinned already), drops her connection, waits for it. */
    private SSLSession[] registerAndReconnect(ParleyClient ann, Recorder events) throws Exception {
        ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
        SSLSession first = ann.tlsSession();
        assertThat(first).isNotNull();
        long resumedBefore = sessions.resumedHandshakes();
        events.states.clear();
        ann.dropConnection();
        Recorder.await("ann back online", () -> events.states.contains(ConnectionState.RECONNECTING)
                && ann.state() == ConnectionState.ONLINE && sessions.resumedHandshakes() > resumedBefore);
        return new SSLSession[] {first, ann.tlsSession()};
    }

    @Test
    void aReconnectAndANewSignInResumeTheSessionOfTheConnectionBefore() throws Exception {
        pins.pin(HOST, server.port(), serverFingerprint());
        try (ParleyClient ann = client(sessions)) {
            Recorder events = new Recorder();
            ann.addListener(events);
            SSLSession[] both = registerAndReconnect(ann, events);
            assertThat(both[1].getCreationTime()).as("the session resumed keeps its full handshake's creation time")
                    .isEqualTo(both[0].getCreationTime());
            assertThat(Fingerprints.sha256(both[1].getPeerCertificates()[0].getEncoded()))
                    .isEqualTo(serverFingerprint());
            assertThat(sessions.fullHandshakes()).isEqualTo(1);
            assertThat(sessions.resumedHandshakes()).isEqualTo(1);
        }
        try (ParleyClient again = client(sessions)) {
            assertThat(again.resume(loginToken()).get(20, TimeUnit.SECONDS).user()).isEqualTo("ann");
            assertThat(sessions.resumedHandshakes()).as("a new sign-in in the same process").isEqualTo(2);
        }
        assertThat(sessions.fullHandshakes()).isEqualTo(1);
        assertThat(asked).as("no question: the certificate is pinned").isEmpty();
    }

    /** A token of ann's, from a password login on a connection of its own (a full handshake, not counted). */
    private String loginToken() throws Exception {
        try (ParleyClient other = client(TlsSessions.none())) {
            return other.login("ann", "password-ann").get(20, TimeUnit.SECONDS).token();
        }
    }

    @Test
    void withoutKeptSessionsEveryConnectionIsAFullHandshake() throws Exception {
        pins.pin(HOST, server.port(), serverFingerprint());
        long full = TlsSessions.none().fullHandshakes();
        try (ParleyClient ann = client(TlsSessions.none())) {
            Recorder events = new Recorder();
            ann.addListener(events);
            ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
            SSLSession first = ann.tlsSession();
            events.states.clear();
            ann.dropConnection();
            Recorder.await("ann back online", () -> events.states.contains(ConnectionState.RECONNECTING)
                    && ann.state() == ConnectionState.ONLINE && ann.tlsSession() != null);
            assertThat(ann.tlsSession().getCreationTime()).as("a new session").isNotEqualTo(first.getCreationTime());
        }
        assertThat(TlsSessions.none().fullHandshakes() - full).isGreaterThanOrEqualTo(2);
        assertThat(TlsSessions.none().resumedHandshakes()).isZero();
    }

    @Test
    void aServerWhoseCertificateChangedIsRefusedAfterAResumedSession() throws Exception {
        String old = serverFingerprint();
        pins.pin(HOST, server.port(), old);
        try (ParleyClient ann = client(sessions)) {
            Recorder events = new Recorder();
            ann.addListener(events);
            registerAndReconnect(ann, events);
            // Another server on the same address, with another key (its tickets' keys are new too): ann, still
            // signed in, reconnects to it by herself.
            deleteTree(server.dataDir().resolve("tls"));
            server.restart();
            assertThat(serverFingerprint()).isNotEqualTo(old);
            Recorder.await("ann refused the server", () -> !events.problems.isEmpty());
            assertThat(events.problems.getLast()).isInstanceOf(ParleyClient.TrustRejectedException.class)
                    .hasMessageContaining("CHANGED");
            events.awaitState(ConnectionState.OFFLINE);
        }
        try (ParleyClient again = client(sessions)) {
            assertThatThrownBy(() -> again.login("ann", "password-ann").get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ParleyClient.TrustRejectedException.class).hasMessageContaining("CHANGED");
        }
        assertThat(asked).as("asked about the new certificate, never accepted").isNotEmpty()
                .allMatch(q -> q.equals(serverFingerprint() + " previous=" + old));
        assertThat(pins.pinned(HOST, server.port())).as("the old pin stays").isEqualTo(old);
        assertThat(sessions.resumedHandshakes()).isEqualTo(1);
    }

    @Test
    void aChangedPinIsNotBypassedByAKeptSession() throws Exception {
        pins.pin(HOST, server.port(), serverFingerprint());
        try (ParleyClient ann = client(sessions)) {
            registerAndReconnect(ann, recorder(ann));
        }
        // The user trusted another certificate for this address meanwhile (elsewhere in the process).
        pins.pin(HOST, server.port(), "00:11:22");
        try (ParleyClient again = client(sessions)) {
            assertThatThrownBy(() -> again.login("ann", "password-ann").get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ParleyClient.TrustRejectedException.class).hasMessageContaining("CHANGED");
        }
        assertThat(sessions.resumedHandshakes()).as("nothing resumed under the other pin").isEqualTo(1);
        assertThat(asked).containsExactly(serverFingerprint() + " previous=00:11:22");
    }

    @Test
    void aResumedSessionWhoseCertificateIsNoLongerPinnedIsNotUsed() throws Exception {
        pins.pin(HOST, server.port(), serverFingerprint());
        try (ParleyClient ann = client(sessions)) {
            registerAndReconnect(ann, recorder(ann));
        }
        // The pin changes while the next connection is made: it looks its session up under the old pin (and
        // resumes it), but the certificate must be the pinned one once the handshake is done.
        pins.changeAfterNextRead("00:11:22");
        try (ParleyClient again = client(sessions)) {
            assertThatThrownBy(() -> again.login("ann", "password-ann").get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ParleyClient.TrustRejectedException.class).hasMessageContaining("CHANGED");
        }
        assertThat(sessions.resumedHandshakes()).as("resumed, then not used").isEqualTo(2);
        assertThat(sessions.fullHandshakes()).as("the connection made again, with a full handshake")
                .isEqualTo(2);
        assertThat(asked).containsExactly(serverFingerprint() + " previous=00:11:22");
    }

    @Test
    void signingOutForgetsTheSessions() throws Exception {
        pins.pin(HOST, server.port(), serverFingerprint());
        try (ParleyClient ann = client(sessions)) {
            ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
            ann.logout().get(20, TimeUnit.SECONDS);
        }
        try (ParleyClient again = client(sessions)) {
            again.login("ann", "password-ann").get(20, TimeUnit.SECONDS);
            X509Certificate cert = (X509Certificate) again.tlsSession().getPeerCertificates()[0];
            assertThat(Fingerprints.sha256(cert.getEncoded())).isEqualTo(serverFingerprint());
        }
        assertThat(sessions.resumedHandshakes()).isZero();
        assertThat(sessions.fullHandshakes()).isEqualTo(2);
    }

    private static Recorder recorder(ParleyClient c) {
        Recorder r = new Recorder();
        c.addListener(r);
        return r;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
