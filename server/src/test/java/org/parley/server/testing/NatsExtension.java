package org.parley.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real NATS server for tests (the messaging engine of several server nodes, cluster=nats), from Debian's
 * {@code nats-server} package (releng/scripts/test.sh installs it), on a free 127.0.0.1 port with user and password
 * authentication as in a deployment and {@code max_payload} large enough for the largest push; stopped and its
 * directory deleted after the class. Register it on a static field.
 */
public final class NatsExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String USER = "parley";
    private static final String PASSWORD = "nats-test-password";

    private Path root;
    private Process nats;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        root = Files.createTempDirectory("parley-nats");
        Files.writeString(passwordFile(), PASSWORD, StandardCharsets.UTF_8);
        port = freePort();
        Path conf = root.resolve("nats.conf");
        Files.writeString(conf, "listen: 127.0.0.1:" + port + "\n"
                + "max_payload: 4MB\n"
                + "authorization { user: " + USER + ", password: \"" + PASSWORD + "\" }\n", StandardCharsets.UTF_8);
        nats = new ProcessBuilder(binary(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(root.resolve("nats.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException e) {
                if (!nats.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("nats-server did not start: " + log());
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (nats != null) {
            nats.destroy();
            if (!nats.waitFor(30, TimeUnit.SECONDS)) {
                nats.destroyForcibly();
            }
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** A file holding {@link #USER}'s password (for {@code cluster-password-file}). */
    public Path passwordFile() {
        return root.resolve("nats-password");
    }

    /** The server flags of node {@code nodeId} on this NATS server (quick heartbeats, so that tests wait little). */
    public List<String> serverFlags(String nodeId) {
        return List.of("--cluster", "nats", "--node-id", nodeId, "--cluster-url", url(), "--cluster-user", USER,
                "--cluster-password-file", passwordFile().toString(), "--cluster-heartbeat-ms", "200",
                "--cluster-node-timeout-ms", "1500");
    }

    private String log() {
        try {
            return Files.readString(root.resolve("nats.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String binary() {
        for (String candidate : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("the cluster tests need nats-server: install Debian's nats-server package "
                + "(releng/scripts/test.sh does)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
