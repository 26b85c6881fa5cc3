package org.parley.server.storage.h2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM (this test class path) killed with SIGKILL once it has printed enough {@code ACK } lines: what the
 * kill -9 durability tests run their writers in. Its stdout goes to a file, not a pipe: destroying a Process closes
 * its pipes, and the lines printed just before the kill are acknowledgements that must be counted too.
 */
final class KilledChild {

    /** The child's complete lines and its exit value (not 0 when it was killed). */
    record Outcome(List<String> lines, int exitValue) {
    }

    private KilledChild() {
    }

    /** Runs {@code main} with {@code args} in {@code dir} and kills it after {@code acks} acknowledgements. */
    static Outcome runUntilAcked(Path dir, long acks, Class<?> main, String... args)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("child.out");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dparley.log.level=WARN", main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            while (child.isAlive() && acks(lines(log)) < acks) {
                Thread.sleep(5);
            }
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no H2 close
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        return new Outcome(lines(log), child.exitValue());
    }

    static long acks(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("ACK ")).count();
    }

    /** The child's complete lines: one cut off by the kill (no newline yet) acknowledged nothing. */
    private static List<String> lines(Path log) throws IOException {
        String text = Files.readString(log);
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (!text.isEmpty() && !text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
