package org.parley.server.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.admin.cli.AdminCliIT.FakeTerminal;
import org.parley.server.testing.ParleyServerExtension;

/**
 * {@code parley-server admin} trusts a CA-issued server certificate as the desktop client does: verified by the
 * organization's CA of {@code --ca-file} and issued for the host name given, with no pin; the same certificate
 * reached under another name is refused.
 */
class AdminCliCaIT {

    private static final Path TLS;
    private static final KeyPair CA_KEYS = keys();
    private static final X509Certificate CA = certificate("CN=Parley Test CA", CA_KEYS, CA_KEYS, true);

    static {
        try {
            TLS = Files.createTempDirectory("parley-admin-ca-");
            KeyPair leafKeys = keys();
            X509Certificate leaf = certificate("CN=localhost", leafKeys, CA_KEYS, false);
            Files.writeString(TLS.resolve("fullchain.pem"), pem(leaf, CA));
            Files.writeString(TLS.resolve("privkey.pem"), pem(new JcaPKCS8Generator(leafKeys.getPrivate(), null)));
            Files.writeString(TLS.resolve("ca.pem"), pem(CA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    static final ParleyServerExtension SERVER = new ParleyServerExtension().tls().with("--admins", "root",
            "--tls-cert", TLS.resolve("fullchain.pem").toString(), "--tls-key", TLS.resolve("privkey.pem").toString());

    @TempDir
    Path dir;

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca) {
        try {
            long now = System.currentTimeMillis();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=Parley Test CA"),
                    BigInteger.valueOf(ca ? 1 : 2), new Date(now - TimeUnit.HOURS.toMillis(1)),
                    new Date(now + TimeUnit.DAYS.toMillis(90)), new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (!ca) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                        GeneralName.dNSName, "localhost")));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                    "SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object... objects) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return out.toString();
    }

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
