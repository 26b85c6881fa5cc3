package org.parley.server.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.admin.cli.AdminCliIT.FakeTerminal;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestCa;

/**
 * {@code parley-server admin} trusts a CA-issued server certificate as the desktop client does: verified by the
 * organization's CA of {@code --ca-file} and issued for the host name given, with no pin; the same certificate
 * reached under another name is refused.
 */
class AdminCliCaIT {

    private static final Path TLS;
    private static final TestCa CA = new TestCa("CN=Parley Test CA");

    static {
        try {
            TLS = Files.createTempDirectory("parley-admin-ca-");
            CA.writeLeaf(TLS, 2, "localhost");
            Files.writeString(TLS.resolve("ca.pem"), TestCa.pem(CA.certificate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static final ParleyServerExtension SERVER = new ParleyServerExtension().tls().with("--admins", "root",
            "--tls-cert", TLS.resolve("fullchain.pem").toString(), "--tls-key", TLS.resolve("privkey.pem").toString());

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void root() throws Exception {
        SERVER.register("root").close();
    }

    private AdminCliIT.Run run(String host, String... more) throws Exception {
        FakeTerminal t = new FakeTerminal();
        t.env.put(AdminCli.USER_ENV, "root");
        t.env.put(AdminCli.PASSWORD_ENV, "password-root");
        List<String> args = new java.util.ArrayList<>(List.of("--host", host, "--port", String.valueOf(SERVER.port()),
                "--known-servers", dir.resolve("known_servers").toString()));
        args.addAll(List.of(more));
        args.add("status");
        int exit = AdminCli.run(args, t);
        return new AdminCliIT.Run(exit, t.out.toString(), t.err.toString());
    }

    @Test
    void theOrganizationsCaVerifiesTheServerForTheNameItIsIssuedFor() throws Exception {
        AdminCliIT.Run ok = run("localhost", "--ca-file", TLS.resolve("ca.pem").toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("version:");
    }

    @Test
    void anotherNameIsRefusedWithTheReason() throws Exception {
        AdminCliIT.Run wrongName = run("127.0.0.1", "--ca-file", TLS.resolve("ca.pem").toString());
        assertThat(wrongName.exit()).isEqualTo(Exit.CONNECTION.code());
        assertThat(wrongName.err()).contains("issued by a trusted certificate authority but not for the name "
                + "127.0.0.1");
    }

    @Test
    void withoutTheCaTheCertificateMustBePinned() throws Exception {
        AdminCliIT.Run unknown = run("localhost");
        assertThat(unknown.exit()).isEqualTo(Exit.CONNECTION.code());
        assertThat(unknown.err()).contains("not verified by a trusted certificate authority and not pinned");
        Files.writeString(dir.resolve("not-pem"), "hello");
        AdminCliIT.Run badFile = run("localhost", "--ca-file", dir.resolve("not-pem").toString());
        assertThat(badFile.exit()).isEqualTo(Exit.USAGE.code());
        assertThat(badFile.err()).contains("cannot set up TLS trust: the CA file " + dir.resolve("not-pem"));
    }
}
