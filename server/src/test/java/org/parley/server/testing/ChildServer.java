package org.parley.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.parley.server.Main;

/**
 * A Parley server in a child JVM ({@code Main}, plaintext, any free port) on a given data directory, so that a test
 * can kill it with SIGKILL (no shutdown hook, no database close) and start another on the same data.
 */
public final class ChildServer implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    private final Process process;
    private final int port;

    private ChildServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ChildServer start(Path dataDir, Path log, String... jvmOptions)
            throws IOException, InterruptedException {
        return start(dataDir, log, List.of(jvmOptions), List.of());
    }

    /** As {@link #start(Path, Path, String...)}, with server flags after the defaults (later flags win). */
    public static ChildServer start(Path dataDir, Path log, List<String> jvmOptions, List<String> serverArgs)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dparley.log.level=WARN"));
        command.addAll(jvmOptions);
        command.addAll(List.of(Main.class.getName(), "--host", "127.0.0.1", "--port", "0", "--data-dir",
                dataDir.toString(), "--tls", "false", "--argon2-memory-kib", "256", "--argon2-iterations", "1",
                "--registration", "open"));
        command.addAll(serverArgs);
        // Output to a file, not a pipe: a pipe nobody drains would block the child.
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return new ChildServer(p, Integer.parseInt(m.group(1)));
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the child server died: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the child server did not start: " + Files.readString(log));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int port() {
        return port;
    }

    /** SIGKILL: the server gets no chance to close anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the server stops cleanly. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
