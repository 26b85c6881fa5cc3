package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

class TlsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().tls();

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

    @Test
    void plaintextIsOnlyOnWhenAskedFor() throws IOException {
        assertThat(server.isTls()).isTrue();
        assertThat(server.server().config().tls()).isTrue();
    }
}
