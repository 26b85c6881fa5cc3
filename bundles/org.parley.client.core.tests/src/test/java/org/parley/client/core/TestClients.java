package org.parley.client.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.parley.server.testing.ParleyServerExtension;

/**
 * The clients a test opens against a real server, each closed after the test: plaintext to the server's loopback
 * port, device "test", a short reconnect back-off (50 ms growing to 500 ms) unless the test gives its own config.
 * Register it after the server's extension, so that the clients close before the server stops:
 *
 * <pre>
 * &#64;RegisterExtension
 * final ParleyServerExtension server = new ParleyServerExtension();
 * &#64;RegisterExtension
 * final TestClients clients = new TestClients(server);
 * ...
 * ParleyClient ann = clients.open(recorder);
 * TestClients.get(ann.register("ann", "password-ann", "Ann"), 20);
 * </pre>
 */
final class TestClients implements AfterEachCallback {

    private final IntSupplier port;
    private final List<ParleyClient> open = new CopyOnWriteArrayList<>();

    TestClients(ParleyServerExtension server) {
        this.port = server::port;
    }

    /** The config of {@link #open}: plaintext to the server, device "test", back-off from 50 to 500 ms. */
    ParleyClient.Config config() {
        return ParleyClient.Config.of("127.0.0.1", port.getAsInt()).plaintext().backoff(50, 500).device("test");
    }

    /** A client of {@link #config()} that tells {@code listeners}, closed after the test. */
    ParleyClient open(ClientListener... listeners) {
        return open(config(), listeners);
    }

    /** A client of {@code config} that tells {@code listeners}, closed after the test. */
    ParleyClient open(ParleyClient.Config config, ClientListener... listeners) {
        ParleyClient c = new ParleyClient(config);
        for (ClientListener l : listeners) {
            c.addListener(l);
        }
        open.add(c);
        return c;
    }

    /** What {@code f} completes with, failing the test after {@code seconds}. */
    static <T> T get(CompletableFuture<T> f, int seconds) throws Exception {
        return f.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(ParleyClient::close);
        open.clear();
    }
}
