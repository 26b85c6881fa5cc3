package org.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Session;
import org.parley.server.ParleyServer;
import org.parley.server.testing.TestConnection;

/**
 * The data directory (database, TLS key and its password, scratch files) is the server account's alone: 0700
 * directories and 0600 files, from the first start on, and an older installation is tightened at start.
 */
class DataDirectoryIT {

    private Path parent;
    private Path data;

    @BeforeEach
    void makeParent() throws IOException {
        parent = Files.createTempDirectory("parley-modes-");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        data = parent.resolve("srv").resolve("parley-data"); // neither exists yet
    }

    @AfterEach
    void deleteAll() throws IOException {
        try (Stream<Path> files = Files.walk(parent)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private ParleyServer start() throws Exception {
        return ParleyServer.start(ServerConfig.parse(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir",
                data.toString(), "--argon2-memory-kib", "256", "--argon2-iterations", "1", "--registration", "open")));
    }

    @Test
    void aFirstStartMakesEverythingPrivateAndItsCertificateWorks() throws Exception {
        try (ParleyServer server = start()) {
            use(server);
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("tls"))).isEqualTo("rwx------");
            assertThat(mode(data.resolve("parley.mv.db"))).isEqualTo("rw-------");
            assertThat(mode(data.resolve("tls/server.p12"))).isEqualTo("rw-------");
            assertThat(mode(data.resolve("tls/keystore.password"))).isEqualTo("rw-------");
            assertThat(loose(data)).isEmpty();

            // The certificate is made in-process: a usable EC key for this host, localhost and 127.0.0.1.
            KeyStore ks = KeyStore.getInstance("PKCS12");
            char[] password = Files.readString(data.resolve("tls/keystore.password")).strip().toCharArray();
            try (InputStream in = Files.newInputStream(data.resolve("tls/server.p12"))) {
                ks.load(in, password);
            }
            X509Certificate cert = (X509Certificate) ks.getCertificate("parley");
            cert.checkValidity();
            cert.verify(cert.getPublicKey());
            assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
            List<Object> names = new ArrayList<>();
            cert.getSubjectAlternativeNames().forEach(san -> names.add(san.get(1)));
            assertThat(names).contains("localhost", "127.0.0.1");
            assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // TLS server
        }
        // Nothing was left behind by writing the key (no temporary files).
        assertThat(data.resolve("tls").toFile().list()).containsExactlyInAnyOrder("server.p12",
                "keystore.password");
    }

    @Test
    void anOlderInstallationIsTightenedAtStart() throws Exception {
        String fingerprint;
        try (ParleyServer server = start()) {
            fingerprint = server.certificateFingerprint();
            use(server);
        }
        // As an older server left it: directories 0755, files 0644.
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
        assertThat(loose(data)).isNotEmpty();
        try (ParleyServer server = start()) {
            assertThat(loose(data)).isEmpty();
            assertThat(mode(data.resolve("parley.mv.db"))).isEqualTo("rw-------");
            assertThat(server.certificateFingerprint()).as("the same certificate").isEqualTo(fingerprint);
            use(server);
        }
        assertThat(mode(parent)).as("nothing outside the data directory is touched").isEqualTo("rwxr-xr-x");
    }

    private static void use(ParleyServer server) throws IOException {
        try (TestConnection c = TestConnection.open("127.0.0.1", server.port(), true)) {
            c.request(new Session.Hello(1, 1, "test"), Session.Welcome.class);
            c.call(new Accounts.Register("ann", "password-ann", "Ann", "test"));
            assertThat(c.request(new Session.Ping(7), Session.Pong.class).nonce()).isEqualTo(7);
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Everything under {@code root} that others may read, write or enter. */
    private static List<String> loose(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String m = mode(p);
                if (!m.endsWith("------")) {
                    out.add(root.relativize(p) + " " + m);
                }
            }
        }
        return out;
    }
}
