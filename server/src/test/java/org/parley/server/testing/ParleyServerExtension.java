package org.parley.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.server.ParleyServer;
import org.parley.server.config.ServerConfig;
import org.parley.server.media.MediaPipeline;

/**
 * Starts a real Parley server on 127.0.0.1 (ephemeral port, fresh data directory) for each test, or once for a
 * class when registered on a static field, and stops it afterwards. Plaintext unless {@link #tls()} is called;
 * light Argon2 parameters so that tests that register many users stay fast.
 *
 * <pre>
 * &#64;RegisterExtension
 * final ParleyServerExtension server = new ParleyServerExtension();
 * ...
 * TestConnection ann = server.register("ann");
 * </pre>
 */
public final class ParleyServerExtension implements BeforeEachCallback, AfterEachCallback, BeforeAllCallback,
        AfterAllCallback {

    private final List<String> extraArgs = new ArrayList<>();
    private MediaPipeline media;
    private PostgresExtension postgresql;
    private List<String> storageArgs = List.of();
    private ServerConfig config;
    private final List<TestConnection> connections = new ArrayList<>();
    private boolean tls;
    private boolean perClass;
    private Path dataDir;
    private ParleyServer server;
    private int port;

    /** Serve TLS (a self-signed certificate is made in the data directory). */
    public ParleyServerExtension tls() {
        tls = true;
        return this;
    }

    /** Extra server flags, e.g. {@code "--max-message-bytes", "100"}. */
    public ParleyServerExtension with(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /**
     * Keep the data in a new database of {@code pg} (storage=postgresql) instead of H2; a restart finds the same
     * database. {@code pg} must be registered before this extension (a static field declared first).
     */
    public ParleyServerExtension postgresql(PostgresExtension pg) {
        postgresql = pg;
        return this;
    }

    /** Examine finished uploads with this pipeline instead of the server's default. */
    public ParleyServerExtension media(MediaPipeline pipeline) {
        media = pipeline;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAndDelete();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (connections) {
            connections.forEach(TestConnection::close);
            connections.clear();
        }
        if (!perClass) {
            stopAndDelete();
        }
    }

    private void start() throws Exception {
        dataDir = Files.createTempDirectory("parley-test-");
        port = 0;
        storageArgs = postgresql == null ? List.of() : postgresql.serverFlags();
        startOnSameData();
    }

    private void startOnSameData() throws Exception {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(port),
                "--data-dir", dataDir.toString(), "--tls", String.valueOf(tls), "--argon2-memory-kib", "256",
                "--argon2-iterations", "1", "--registration", "open"));
        args.addAll(storageArgs);
        args.addAll(extraArgs);
        config = ServerConfig.parse(args);
        server = media == null ? ParleyServer.start(config) : ParleyServer.start(config, media);
        port = server.port();
    }

    /** Stops the server and starts it again on the same data directory and port (a restart keeps the data). */
    public void restart() throws Exception {
        server.close();
        startOnSameData();
    }

    /** Stops the server and starts it again on the same data directory with more flags (later flags win). */
    public void restartWith(String... args) throws Exception {
        server.close();
        extraArgs.addAll(List.of(args));
        startOnSameData();
    }

    /** Stops the server (for tests of what clients do while it is gone); {@link #restart()} brings it back. */
    public void stop() {
        server.close();
    }

    private void stopAndDelete() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public int port() {
        return port;
    }

    public ParleyServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Opens the server's storage as the server does (H2 in its data directory, or its PostgreSQL database), for a
     * test to look at what was stored; with H2, only while the server is stopped.
     */
    public org.parley.server.storage.jdbc.JdbcStorage openStorage() {
        return config.storage().open(dataDir, true);
    }

    public boolean isTls() {
        return tls;
    }

    /** A connection that has done the handshake but not logged in; closed after the test. */
    public TestConnection connect() throws IOException {
        return connectFrom(null);
    }

    /**
     * As {@link #connect()}, from the local address {@code from} (a 127.x.y.z address plays another client
     * address); thread-safe.
     */
    public TestConnection connectFrom(String from) throws IOException {
        return connect(from, Protocol.MAX_VERSION);
    }

    /** As {@link #connect()}, offering the versions 1 to {@code maxVersion} only (1: a version 1 client). */
    public TestConnection connect(String from, int maxVersion) throws IOException {
        TestConnection c = TestConnection.open("127.0.0.1", port, tls, from);
        synchronized (connections) {
            connections.add(c);
        }
        c.hello(Protocol.MIN_VERSION, maxVersion);
        return c;
    }

    /** As {@link #login(String)}, on a client that speaks versions 1 to {@code maxVersion} only. */
    public TestConnection login(String user, int maxVersion) throws IOException {
        TestConnection c = connect(null, maxVersion);
        c.request(new Accounts.Login(user, "password-" + user, "test"), Accounts.LoggedIn.class);
        return c;
    }

    /** Registers {@code user} (password "password-" + user) and returns the logged-in connection. */
    public TestConnection register(String user) throws IOException {
        TestConnection c = connect();
        c.request(new Accounts.Register(user, "password-" + user, user.toUpperCase(), "test"),
                Accounts.LoggedIn.class);
        return c;
    }

    /** Logs {@code user} in on a new connection (a second device, or after a restart). */
    public TestConnection login(String user) throws IOException {
        TestConnection c = connect();
        c.request(new Accounts.Login(user, "password-" + user, "test"), Accounts.LoggedIn.class);
        return c;
    }
}
