package org.parley.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Session;
import org.parley.server.testing.TestConnection;
import org.parley.server.testing.TestDirectory;

/**
 * The packaged server (target/parley-server.jar, shaded, in its own JVM) signs a user in through a real directory
 * over StartTLS: the LDAP SDK works from the shaded jar. Runs after packaging (failsafe).
 */
class ShadedJarLdapIT {

    @Test
    void theShadedJarSignsADirectoryUserIn() throws Exception {
        Path jar = Path.of("target", "parley-server.jar");
        assertThat(jar).as("run after package: mvn verify").exists();
        Path data = Files.createTempDirectory("parley-shaded-ldap-");
        try (TestDirectory ldap = new TestDirectory()) {
            ldap.addUser("ann", "Ann Archer");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString(), "--host",
                    "127.0.0.1", "--port", "0", "--data-dir", data.toString(), "--plaintext", "--argon2-memory-kib",
                    "256", "--argon2-iterations", "1"));
            command.addAll(List.of(ldap.serverFlags()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
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
                try (TestConnection c = TestConnection.open("127.0.0.1", Integer.parseInt(m.group(1)), false)) {
                    c.request(new Session.Hello(1, 1, "test"), Session.Welcome.class);
                    Accounts.LoggedIn ann = c.request(new Accounts.Login("ann", "dir-ann", "test"),
                            Accounts.LoggedIn.class);
                    assertThat(ann.displayName()).isEqualTo("Ann Archer");
                }
            } finally {
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
