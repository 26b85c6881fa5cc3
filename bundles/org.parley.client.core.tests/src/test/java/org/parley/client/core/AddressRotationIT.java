package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.message.Chat;
import org.parley.server.testing.ParleyServerExtension;

/**
 * A client given several server addresses uses the next one when an address refuses connections, at sign-in and
 * when its connection is lost; when none can be used it says why for each.
 */
class AddressRotationIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension(); // plaintext

    private static int refusedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again: nothing listens there
        }
    }

    private ParleyClient.Config config(List<ServerAddress> servers) {
        return ParleyClient.Config.of(servers).plaintext().backoff(50, 500).device("test");
    }

    @Test
    void theFirstAddressRefusesConnectionsAndTheSecondIsUsed() throws Exception {
        ServerAddress dead = new ServerAddress("127.0.0.1", refusedPort());
        ServerAddress alive = new ServerAddress("127.0.0.1", server.port());
        Recorder r = new Recorder();
        try (ParleyClient ann = new ParleyClient(config(List.of(dead, alive)));
                ParleyClient bob = new ParleyClient(config(List.of(alive)))) {
            ann.addListener(r);
            bob.register("bob", "password-bob", "Bob").get(20, TimeUnit.SECONDS);
            ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
            assertThat(ann.config().host()).isEqualTo(dead.host());
            assertThat(ann.config().port()).as("the settings' name: the first address").isEqualTo(dead.port());

            // A lost connection: the reconnect starts at the next address (the refusing one), then comes back.
            long c = ann.openDirect("bob").get(20, TimeUnit.SECONDS).id();
            ann.dropConnection();
            Recorder.await("back online", () -> r.states.contains(ConnectionState.RECONNECTING)
                    && r.states.getLast() == ConnectionState.ONLINE);
            Chat.Sent sent = ann.send(c, "after the rotation").get(20, TimeUnit.SECONDS);
            assertThat(sent.seq()).isEqualTo(1);
            assertThat(r.problems).isEmpty();
        }
    }

    @Test
    void whenNoAddressCanBeUsedEachSaysWhy() throws Exception {
        int one = refusedPort();
        int two = refusedPort();
        try (ParleyClient ann = new ParleyClient(config(List.of(new ServerAddress("127.0.0.1", one),
                new ServerAddress("127.0.0.1", two))))) {
            assertThatThrownBy(() -> ann.login("ann", "password-ann").get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ParleyClientException.class)
                    .hasMessageStartingWith("none of the 2 server addresses could be used: ")
                    .hasMessageContaining("cannot connect to 127.0.0.1:" + one + ": the connection was refused")
                    .hasMessageContaining("cannot connect to 127.0.0.1:" + two + ": the connection was refused");
        }
    }

    @Test
    void aWrongPasswordIsNotTriedOnTheNextAddress() throws Exception {
        ServerAddress alive = new ServerAddress("127.0.0.1", server.port());
        ServerAddress dead = new ServerAddress("127.0.0.1", refusedPort());
        try (ParleyClient ann = new ParleyClient(config(List.of(alive, dead)))) {
            ann.register("ann", "password-ann", "Ann").get(20, TimeUnit.SECONDS);
            ann.logout().get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> ann.login("ann", "wrong-password").get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ParleyClientException.class)
                    .satisfies(e -> assertThat(((ParleyClientException) e).code())
                            .isEqualTo(org.parley.protocol.ErrorCode.AUTHENTICATION_FAILED));
        }
    }
}
