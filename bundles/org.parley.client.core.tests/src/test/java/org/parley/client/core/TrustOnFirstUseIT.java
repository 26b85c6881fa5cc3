package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.testing.ParleyServerExtension;

/** TLS with the server's certificate pinned on first use. */
class TrustOnFirstUseIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().tls();

    @TempDir
    Path home;

    private ParleyClient client(TrustStore store, TrustDecider decider) {
        return new ParleyClient(ParleyClient.Config.of("127.0.0.1", server.port()).trust(store, decider));
    }

    @Test
    void theFirstContactPinsTheCertificateAndLaterOnesNeedNoQuestion() throws Exception {
        FileTrustStore store = new FileTrustStore(home.resolve("known_servers"));
        String[] asked = new String[1];
        try (ParleyClient first = client(store, (h, p, fp, previous) -> {
            asked[0] = fp;
            return previous == null;
        })) {
            first.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
        }
        String fingerprint = server.server().certificateFingerprint();
        assertThat(asked[0]).isEqualTo(fingerprint);
        assertThat(store.pinned("127.0.0.1", server.port())).isEqualTo(fingerprint);

        try (ParleyClient second = client(store, TrustDecider.PINNED_ONLY)) {
            assertThat(second.login("ann", "password-ann").get(20, TimeUnit.SECONDS).user()).isEqualTo("ann");
        }
    }

    @Test
    void anUnknownServerIsRefusedWhenTheUserSaysNo() {
        FileTrustStore store = new FileTrustStore(home.resolve("known_servers"));
        try (ParleyClient c = client(store, TrustDecider.PINNED_ONLY)) {
            assertThatThrownBy(() -> c.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ParleyClient.TrustRejectedException.class).hasMessageContaining("not trusted");
        }
        assertThat(store.pinned("127.0.0.1", server.port())).isNull();
    }

    @Test
    void aChangedCertificateIsRefusedLoudly() {
        FileTrustStore store = new FileTrustStore(home.resolve("known_servers"));
        store.pin("127.0.0.1", server.port(), "00:11:22");
        try (ParleyClient c = client(store, TrustDecider.FIRST_USE)) {
            assertThatThrownBy(() -> c.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ParleyClient.TrustRejectedException.class).hasMessageContaining("CHANGED");
        }
        assertThat(store.pinned("127.0.0.1", server.port())).isEqualTo("00:11:22");
    }
}
