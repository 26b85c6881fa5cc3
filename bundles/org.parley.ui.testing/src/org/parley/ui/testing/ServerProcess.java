package org.parley.ui.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real Parley server in its own process (the server is plain Java, not an OSGi bundle), on a free loopback
 * port with a fresh data directory, plaintext.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    public final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ServerProcess start(Path dataDir, String... extraArgs) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return start(dataDir, port, extraArgs);
    }

    /** A server on {@code port}: one {@link #close() closed} started again, where its clients reconnect. */
    public static ServerProcess start(Path dataDir, int port, String... extraArgs) throws Exception {
        String jar = jar();
        String java = java();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar, "--plaintext", "--host",
                "127.0.0.1", "--port", String.valueOf(port), "--data-dir", dataDir.toString(), "--argon2-memory-kib",
                "256", "--argon2-iterations", "1", "--registration", "open"));
        command.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("listening on")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            listening.completeExceptionally(new IllegalStateException("the server exited before listening"));
        }, "parley-server-output");
        reader.setDaemon(true);
        reader.start();
        // A test runtime that ends without closing it (a crash, a timeout) must not leave the server running.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }, "parley-server-stop"));
        listening.get(60, TimeUnit.SECONDS);
        return new ServerProcess(p, port);
    }

    private static String jar() {
        String jar = System.getProperty("parley.server.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the server jar is not built: " + jar);
        }
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Runs an SQL statement on the embedded H2 database of a {@link #close() stopped} server in {@code dataDir}
     * (through H2's shell in the server jar): a change the server makes only in ways a test cannot drive, such as
     * a display name renamed by the organization's directory.
     */
    public static void sql(Path dataDir, String statement) throws Exception {
        Path db;
        try (var files = Files.walk(dataDir)) {
            db = files.filter(f -> f.getFileName().toString().equals("parley.mv.db")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no database in " + dataDir));
        }
        String url = "jdbc:h2:file:" + db.getParent().resolve("parley").toAbsolutePath();
        Process p = new ProcessBuilder(java(), "-cp", jar(), "org.h2.tools.Shell", "-url", url, "-user", "parley",
                "-password", "", "-sql", statement).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // H2's shell says an error ("Error: ...") and still exits with 0
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("Error:")) {
            throw new IllegalStateException("SQL failed: " + statement + "\n" + out);
        }
    }

    /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, like a server under load. */
    public void suspend() throws Exception {
        signal("-STOP");
    }

    /** Lets a suspended server go on (SIGCONT). */
    public void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        int exit = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill " + signal + " failed with " + exit);
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            resume(); // a suspended server could not act on SIGTERM
        }
        process.destroy(); // SIGTERM: the server shuts down cleanly
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
