package org.parley.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.parley.server.storage.postgresql.PostgresStorage;

/**
 * A real PostgreSQL server for tests, started from Debian's {@code postgresql} package (releng/scripts/test.sh
 * installs it) on a free 127.0.0.1 port with a throwaway data directory, and stopped and deleted afterwards. Register
 * it on a static field (before any {@link ParleyServerExtension} that uses it); it starts once for the class and its
 * {@code @Nested} classes.
 *
 * <p>Password authentication (SCRAM) as in a deployment: the superuser {@code postgres} makes one database per
 * {@link #newDatabase()}, owned by the role {@link #USER}, whose password is in {@link #passwordFile()}. Durability
 * is off ({@code fsync=off}): the tests are about behaviour, not power loss. As root (CI), PostgreSQL runs as the
 * package's {@code postgres} user, since it refuses to run as root.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    /** The role the server under test connects as. */
    public static final String USER = "parley";
    private static final String PASSWORD = "parley-test-password";
    private static final String SUPERUSER_PASSWORD = "postgres-test-password";

    private static final String TEMPLATE = "parley_template";

    private boolean templateReady;
    private final AtomicInteger databases = new AtomicInteger();
    private final Map<Path, String> byDirectory = new ConcurrentHashMap<>();
    private String startedIn;
    private Path root;
    private Path data;
    private Process postgres;
    private int port;
    private Thread shutdownHook;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (startedIn == null) { // nested classes see the enclosing class's extension again
            startedIn = context.getUniqueId();
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(startedIn)) {
            stop();
            templateReady = false;
            startedIn = null;
        }
    }

    /**
     * A new database owned by {@link #USER} with Parley's schema already in it (a copy of a template that the
     * PostgreSQL adapter migrated once, so that each test does not pay for the migrations); its JDBC URL.
     */
    public synchronized String newDatabase() {
        if (!templateReady) {
            createDatabase(TEMPLATE, "template0");
            PostgresStorage.open(url(TEMPLATE), USER, PASSWORD, 1).close();
            templateReady = true;
        }
        String name = "parley_test_" + databases.incrementAndGet();
        createDatabase(name, TEMPLATE);
        return url(name);
    }

    private void createDatabase(String name, String template) {
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", SUPERUSER_PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER " + USER + " TEMPLATE " + template);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
    }

    /** The database that stands for {@code dir} (the storage contract opens storage "on a directory"). */
    public String databaseFor(Path dir) {
        return byDirectory.computeIfAbsent(dir, d -> newDatabase());
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String password() {
        return PASSWORD;
    }

    /** A file holding {@link #USER}'s password (for {@code postgresql-password-file}). */
    public Path passwordFile() {
        return root.resolve("parley-password");
    }

    /** The server's flags for storage in a new database of this PostgreSQL. */
    public List<String> serverFlags() {
        return List.of("--storage", "postgresql", "--postgresql-url", newDatabase(), "--postgresql-user", USER,
                "--postgresql-password-file", passwordFile().toString(), "--postgresql-pool-size", "8");
    }

    private void start() throws Exception {
        Path bin = binaries();
        boolean root0 = "root".equals(System.getProperty("user.name"));
        root = Files.createTempDirectory("parley-pg-");
        Files.writeString(passwordFile(), PASSWORD + "\n", StandardCharsets.UTF_8);
        Path pwfile = root.resolve("superuser-password");
        Files.writeString(pwfile, SUPERUSER_PASSWORD + "\n", StandardCharsets.UTF_8);
        data = root.resolve("data");
        if (root0) {
            UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
            for (Path p : List.of(root, pwfile)) {
                Files.setOwner(p, users.lookupPrincipalByName("postgres"));
            }
        }
        run(root0, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
        shutdownHook = new Thread(this::stop, "postgres-test-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        for (int attempt = 1;; attempt++) {
            port = freePort();
            launch(bin, root0);
            if (awaitReady()) {
                break;
            }
            postgres.destroyForcibly().waitFor();
            if (attempt == 3) {
                throw new IllegalStateException("PostgreSQL did not start: " + log());
            }
        }
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", SUPERUSER_PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        }
    }

    private void launch(Path bin, boolean root0) throws IOException {
        List<String> cmd = asPostgres(root0, List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200", "-c", "shared_buffers=32MB"));
        postgres = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("postgres.log").toFile())).start();
    }

    /**
     * Stops PostgreSQL as an operator's restart would (fast shutdown: open sessions are ended), keeping its data;
     * {@link #startAgain()} starts it on the same port.
     */
    public synchronized void stopForRestart() throws InterruptedException, IOException {
        new ProcessBuilder("kill", "-INT", String.valueOf(postgres.pid())).start().waitFor();
        if (!postgres.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("PostgreSQL did not stop: " + log());
        }
    }

    /** Starts PostgreSQL again after {@link #stopForRestart()}, on the same port with the same data. */
    public synchronized void startAgain() throws IOException, InterruptedException {
        launch(binaries(), "root".equals(System.getProperty("user.name")));
        if (!awaitReady()) {
            throw new IllegalStateException("PostgreSQL did not start again: " + log());
        }
    }

    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!postgres.isAlive()) {
                return false; // the port was taken meanwhile, or it failed: the caller retries or reports the log
            }
            try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", SUPERUSER_PASSWORD)) {
                return true;
            } catch (SQLException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    private void stop() {
        if (postgres != null) {
            try {
                // SIGINT: PostgreSQL's fast shutdown (SIGTERM's smart one would wait for every client to leave).
                new ProcessBuilder("kill", "-INT", String.valueOf(postgres.pid())).start().waitFor();
                if (!postgres.waitFor(20, TimeUnit.SECONDS)) {
                    postgres.destroyForcibly().waitFor(); // children exit when the postmaster is gone
                }
            } catch (IOException e) {
                postgres.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            postgres = null;
        }
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            root = null;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
            shutdownHook = null;
        }
    }

    /** Debian's server binaries (the newest installed version), or PARLEY_TEST_PG_BIN. */
    private static Path binaries() throws IOException {
        String env = System.getenv("PARLEY_TEST_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                var newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                                .replaceAll("\\D", "0"))));
                if (newest.isPresent()) {
                    return newest.get();
                }
            }
        }
        throw new IllegalStateException("the PostgreSQL storage tests need PostgreSQL's server binaries: install "
                + "Debian's postgresql package (releng/scripts/test.sh does) or set PARLEY_TEST_PG_BIN");
    }

    private static List<String> asPostgres(boolean root0, List<String> cmd) {
        if (!root0) {
            return cmd;
        }
        List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
                "--init-groups"));
        out.addAll(cmd);
        return out;
    }

    private void run(boolean root0, List<String> cmd) throws IOException, InterruptedException {
        Path out = root.resolve("initdb.log");
        Process p = new ProcessBuilder(asPostgres(root0, cmd)).redirectErrorStream(true).redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(out));
        }
    }

    private String log() {
        try {
            return Files.readString(root.resolve("postgres.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
