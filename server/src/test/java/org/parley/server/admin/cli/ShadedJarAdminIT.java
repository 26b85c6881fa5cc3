package org.parley.server.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.testing.ParleyServerExtension;

/**
 * {@code java -jar parley-server.jar admin …} as a script runs it: its own process, the password in the
 * environment or on standard input, the answer on standard output and the exit code of the process. Runs after
 * packaging (failsafe).
 */
class ShadedJarAdminIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().tls().with("--admins", "root");

    record Result(int exit, String out, String err) {
    }

    private Result admin(String password, String stdin, String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target", "parley-server.jar");
        assertThat(jar).as("run after package: mvn verify").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString(), "admin", "--host", "127.0.0.1", "--port",
                String.valueOf(server.port()), "--fingerprint", server.server().certificateFingerprint()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PARLEY_ADMIN_USER", "root");
        if (password != null) {
            pb.environment().put("PARLEY_ADMIN_PASSWORD", password);
        } else {
            pb.environment().remove("PARLEY_ADMIN_PASSWORD");
        }
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void scriptsRunTheJarsAdminCommandAndReadItsExitCode() throws Exception {
        server.register("root").close();
        server.register("ann").close();

        Result status = admin("password-root", "", "status", "--json");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(JsonParser.parseString(status.out()).getAsJsonObject().get("accounts").getAsLong()).isEqualTo(2);

        Result fromStdin = admin(null, "password-root\n", "--password-file", "-", "users", "list", "--json");
        assertThat(fromStdin.exit()).as(fromStdin.err()).isZero();
        assertThat(fromStdin.out()).contains("\"user\": \"ann\"");

        Result wrong = admin("wrong password", "", "status");
        assertThat(wrong.exit()).isEqualTo(4);
        assertThat(wrong.err()).contains("parley-server admin: wrong user name or password");

        Result noPassword = admin(null, "", "status");
        assertThat(noPassword.exit()).as("no terminal to ask on").isEqualTo(2);

        Result help = admin(null, "", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("exit codes:");
    }
}
