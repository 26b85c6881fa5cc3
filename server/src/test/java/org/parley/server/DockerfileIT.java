package org.parley.server;

import org.parley.server.config.ServerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.Protocol;
import org.parley.server.testing.ParleyServerExtension;

/**
 * releng/deploy/Dockerfile, read where no container runtime runs: two stages, the server started as a non-root
 * user with its data on the volume, with arguments the server's own parser accepts, and a health check that
 * answers "healthy" from a real server's readiness endpoint (run with bash as Docker would, on the test
 * server's port) and "unhealthy" when nothing answers.
 */
class DockerfileIT {

    private static final Path DOCKERFILE = Path.of("..", "releng", "deploy", "Dockerfile");

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--metrics-address", "127.0.0.1:0");

    /** A Dockerfile's instructions, continuation lines joined, comments left out. */
    private static List<String> instructions() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            if (line.stripLeading().startsWith("#") || (line.isBlank() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            out.add(current.toString().strip());
            current.setLength(0);
        }
        return out;
    }

    private static List<String> withKeyword(List<String> instructions, String keyword) {
        return instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
    }

    /** The JSON array of an exec-form instruction ({@code ENTRYPOINT [...]}, {@code CMD [...]}). */
    private static List<String> execForm(String instruction) {
        String json = instruction.substring(instruction.indexOf('['));
        List<String> out = new ArrayList<>();
        JsonParser.parseString(json).getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static List<String> finalStage(List<String> instructions) {
        int last = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith("FROM ")) {
                last = i;
            }
        }
        return instructions.subList(last, instructions.size());
    }

    @Test
    void theImageRunsTheServerAsANonRootUserWithItsDataOnTheVolume() throws IOException {
        List<String> all = instructions();
        assertThat(withKeyword(all, "FROM")).as("multi-stage: a build stage and a runtime stage").hasSize(2);
        assertThat(withKeyword(all, "FROM").get(0)).contains(" AS build");
        List<String> run = finalStage(all);
        assertThat(run.get(0)).as("the runtime stage is a JRE").contains("-jre");

        List<String> users = withKeyword(run, "USER");
        assertThat(users).hasSize(1);
        String user = users.get(0).substring(5).strip();
        assertThat(user).isNotIn("root", "0", "0:0");
        assertThat(run.indexOf(users.get(0))).as("USER before the ENTRYPOINT").isLessThan(run.indexOf(
                withKeyword(run, "ENTRYPOINT").get(0)));
        assertThat(withKeyword(run, "RUN").get(0)).contains("useradd --system", user, "chmod 0700 /var/lib/parley");

        List<String> entrypoint = execForm(withKeyword(run, "ENTRYPOINT").get(0));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        int jar = entrypoint.indexOf("-jar") + 1;
        assertThat(jar).isPositive();
        String copied = withKeyword(run, "COPY").get(0);
        assertThat(copied).startsWith("COPY --from=build ").endsWith(" " + entrypoint.get(jar));
        assertThat(withKeyword(all, "RUN").get(0)).as("the build stage makes the shaded jar it copies")
                .contains("-pl server -am package", "server/target/parley-server.jar");

        List<String> serverArgs = entrypoint.subList(jar + 1, entrypoint.size());
        assertThat(serverArgs.get(0)).as("Main runs the server for arguments that start with an option")
                .startsWith("--");
        ServerConfig config = ServerConfig.parse(serverArgs);
        assertThat(withKeyword(run, "VOLUME")).containsExactly("VOLUME " + config.dataDir());
        assertThat(withKeyword(run, "EXPOSE").get(0)).contains(" " + config.port()).contains(" " + config.ops()
                .metricsAddress().getPort());
        assertThat(config.port()).isEqualTo(Protocol.DEFAULT_PORT);
        assertThat(config.tls()).isTrue();
        assertThat(config.ops().metricsAddress().getHostString()).as("metrics and health inside the container only")
                .isEqualTo("127.0.0.1");

        // The documented way to publish the metrics: an argument after the image name wins over the default.
        List<String> published = new ArrayList<>(serverArgs);
        published.addAll(List.of("--metrics-address", "0.0.0.0:9464"));
        assertThat(ServerConfig.parse(published).ops().metricsAddress().getAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void theHealthCheckAsksTheReadinessEndpoint() throws Exception {
        List<String> run = finalStage(instructions());
        List<String> checks = withKeyword(run, "HEALTHCHECK");
        assertThat(checks).hasSize(1);
        assertThat(checks.get(0)).contains("--start-period=");
        List<String> command = execForm(checks.get(0));
        int port = ServerConfig.parse(entrypointArgs(run)).ops().metricsAddress().getPort();
        assertThat(String.join(" ", command)).contains("/health/ready", "127.0.0.1/" + port);

        int live = server.server().opsAddress().getPort();
        assertThat(runCheck(command, port, live)).as("a ready server is healthy").isZero();

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(runCheck(command, port, closed)).as("nothing listening: unhealthy").isNotZero();
        server.stop();
        assertThat(runCheck(command, port, live)).as("a stopped server: unhealthy").isNotZero();
    }

    /**
     * The image, the systemd unit and the commands in docs/operations.md start the JVM with the options the launch
     * scripts use (releng/scripts/server-jvm.sh, as bench/run.sh measures them), so that one change reaches all.
     */
    @Test
    void theImageTheServiceAndTheDocsStartTheJvmAsTheLaunchScriptsDo() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                ". ../releng/scripts/server-jvm.sh && printf '%s\\n' \"${PARLEY_SERVER_JVM_OPTS[@]}\"");
        pb.environment().remove("PARLEY_SERVER_GC");
        Process p = pb.redirectErrorStream(true).start();
        List<String> scripts = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(scripts).contains("-XX:+ExitOnOutOfMemoryError");

        List<String> entrypoint = execForm(withKeyword(finalStage(instructions()), "ENTRYPOINT").get(0));
        assertThat(entrypoint.subList(1, entrypoint.indexOf("-jar"))).as("the image's ENTRYPOINT")
                .isEqualTo(scripts);
        List<String> unit = Files.readAllLines(Path.of("..", "releng", "deploy", "parley-server.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).toList();
        assertThat(unit).hasSize(1);
        assertThat(jvmOptions(unit.get(0))).as("the systemd unit").isEqualTo(scripts);
        List<String> documented = Files.readAllLines(Path.of("..", "docs", "operations.md")).stream()
                .filter(l -> l.startsWith("java -X") || l.startsWith("ExecStart=/usr/bin/java")).toList();
        assertThat(documented).as("operations.md, Start and stop").hasSize(2);
        documented.forEach(l -> assertThat(jvmOptions(l)).as(l).isEqualTo(scripts));
    }

    /** The words of a command line between its {@code java} and its {@code -jar}. */
    private static List<String> jvmOptions(String commandLine) {
        List<String> words = List.of(commandLine.strip().split("\\s+"));
        int java = 0;
        while (!words.get(java).endsWith("java")) {
            java++;
        }
        return words.subList(java + 1, words.indexOf("-jar"));
    }

    private static List<String> entrypointArgs(List<String> run) {
        List<String> entrypoint = execForm(withKeyword(run, "ENTRYPOINT").get(0));
        return entrypoint.subList(entrypoint.indexOf("-jar") + 2, entrypoint.size());
    }

    /** Runs the check as Docker runs its exec form, aimed at {@code actual} instead of the image's port. */
    private static int runCheck(List<String> command, int imagePort, int actual) throws Exception {
        List<String> aimed = command.stream().map(a -> a.replace("127.0.0.1/" + imagePort, "127.0.0.1/" + actual))
                .toList();
        Process p = new ProcessBuilder(aimed).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        p.getInputStream().readAllBytes();
        return p.exitValue();
    }
}
