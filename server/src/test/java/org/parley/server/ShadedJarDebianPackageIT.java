package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/parley-server.deb (jdeb, after the shaded jar), read with Debian's own dpkg-deb: its fields, every file
 * with its owner and mode, the files' contents equal to what they are built from, the command and the unit
 * pointing at the packaged jar, and maintainer scripts that the shell accepts. Runs after packaging (failsafe).
 */
class ShadedJarDebianPackageIT {

    private static final Path DEB = Path.of("target", "parley-server.deb");

    @TempDir
    Path dir;

    private static String dpkgDeb(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("dpkg-deb"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    @Test
    void thePackageHoldsTheJarTheCommandTheUnitAndTheGuide() throws Exception {
        assertThat(DEB).as("run after package: mvn verify").exists();
        assertThat(dpkgDeb("--field", DEB.toString(), "Package").strip()).isEqualTo("parley-server");
        assertThat(dpkgDeb("--field", DEB.toString(), "Architecture").strip()).isEqualTo("all");
        assertThat(dpkgDeb("--field", DEB.toString(), "Version").strip()).startsWith("0.1.0");
        assertThat(dpkgDeb("--field", DEB.toString(), "Depends")).contains("java21-runtime-headless");

        String listing = dpkgDeb("--contents", DEB.toString());
        assertThat(listing).containsPattern("-rw-r--r-- root/root +\\d+ \\S+ \\S+ \\./opt/parley/parley-server\\.jar")
                .containsPattern("-rwxr-xr-x root/root +\\d+ \\S+ \\S+ \\./usr/bin/parley-server")
                .containsPattern("-rw-r--r-- root/root +\\d+ \\S+ \\S+ "
                        + "\\./usr/lib/systemd/system/parley-server\\.service")
                .containsPattern("-rw-r--r-- root/root +\\d+ \\S+ \\S+ \\./opt/parley/docs/operations\\.md");

        Path root = dir.resolve("root");
        dpkgDeb("--extract", DEB.toString(), root.toString());
        assertThat(root.resolve("opt/parley/parley-server.jar")).hasSameBinaryContentAs(Path.of("target",
                "parley-server.jar"));
        Path unit = root.resolve("usr/lib/systemd/system/parley-server.service");
        assertThat(unit).hasSameTextualContentAs(Path.of("..", "releng", "deploy", "parley-server.service"));
        assertThat(Files.readString(unit)).contains("-jar /opt/parley/parley-server.jar", "User=parley",
                "StateDirectory=parley", "file:///opt/parley/docs/operations.md");
        assertThat(Files.readString(root.resolve("usr/bin/parley-server")))
                .contains("-jar /opt/parley/parley-server.jar \"$@\"");

        Path control = dir.resolve("control");
        dpkgDeb("--control", DEB.toString(), control.toString());
        assertThat(Files.readString(control.resolve("postinst"))).contains("adduser --system --group",
                "parley");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(Files.isExecutable(control.resolve(script))).as(script).isTrue();
            Process sh = new ProcessBuilder("sh", "-n", control.resolve(script).toString()).redirectErrorStream(true)
                    .start();
            String why = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(sh.exitValue()).as(script + ": " + why).isZero();
        }
        // The packaged command, with the jar's path pointed at the built jar, and this JVM's java on the PATH.
        ProcessBuilder command = new ProcessBuilder("sh", "-c", "sed 's|/opt/parley/parley-server.jar|'\"$1\"'|' "
                + "\"$2\" | sh -s -- --help", "sh", Path.of("target", "parley-server.jar").toAbsolutePath().toString(),
                root.resolve("usr/bin/parley-server").toString()).redirectErrorStream(true);
        command.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        Process help = command.start();
        String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(usage).as("the command runs the jar with its arguments").contains("parley-server admin");
    }
}
