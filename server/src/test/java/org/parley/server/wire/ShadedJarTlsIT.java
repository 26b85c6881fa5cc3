package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Session;
import org.parley.server.testing.TestConnection;

/**
 * The packaged server (target/parley-server.jar, shaded) makes its TLS certificate with Bouncy Castle's PKIX
 * classes on first start and serves TLS with it. Runs after packaging (failsafe).
 */
class ShadedJarTlsIT {

    @Test
    void theShadedJarMakesItsCertificateAndServesTls() throws Exception {
        Path jar = Path.of("target", "parley-server.jar");
        assertThat(jar).as("run after package: mvn verify").exists();
        Path parent = Files.createTempDirectory("parley-shaded-tls-");
        Path data = parent.resolve("data");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--host", "127.0.0.1", "--port", "0",
                "--data-dir", data.toString(), "--argon2-memory-kib", "256", "--argon2-iterations", "1")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) \\(TLS; certificate SHA-256 "
                    + "([0-9A-F:]{95})\\)");
            StringBuilder seen = new StringBuilder();
            Matcher m = null;
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher candidate = listening.matcher(line);
                if (candidate.find()) {
                    m = candidate;
                    break;
                }
            }
            assertThat(m).as(seen.toString()).isNotNull();
            try (TestConnection c = TestConnection.open("127.0.0.1", Integer.parseInt(m.group(1)), true)) {
                assertThat(c.request(new Session.Hello(1, 1, "test"), Session.Welcome.class).version()).isEqualTo(1);
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("tls/server.p12"))))
                    .isEqualTo("rw-------");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(parent)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
