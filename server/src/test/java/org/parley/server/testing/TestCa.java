package org.parley.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

/**
 * A certificate authority for tests (EC P-256 keys, SHA256withECDSA, certificates valid from an hour ago for 90
 * days) that issues server certificates for DNS names and writes them as PEM files the way Let's Encrypt does:
 * {@code fullchain.pem} (the leaf, then the CA) and {@code privkey.pem} (PKCS #8), each replaced at once, which is
 * what a server given {@code --tls-cert} and {@code --tls-key} reads and reloads.
 *
 * <pre>
 * TestCa ca = new TestCa("CN=Parley Test CA");
 * X509Certificate leaf = ca.writeLeaf(tls, 10, "localhost");   // tls/fullchain.pem, tls/privkey.pem
 * </pre>
 */
public final class TestCa {

    private final String name;
    private final KeyPair keys = keys();
    private final X509Certificate certificate;

    /** A new CA whose self-signed certificate (serial 1) names it {@code name}, e.g. "CN=Parley Test CA". */
    public TestCa(String name) {
        this.name = name;
        this.certificate = certificate(name, keys, name, keys, true, 1, List.of());
    }

    /** The CA's own certificate (what a client that trusts this CA is given). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A leaf certificate for {@code dnsName} (also its CN) and {@code leafKeys}, signed by this CA. */
    public X509Certificate issue(KeyPair leafKeys, long serial, String dnsName) {
        return certificate("CN=" + dnsName, leafKeys, name, keys, false, serial, List.of(dnsName));
    }

    /**
     * Writes {@code fullchain.pem} and {@code privkey.pem} into {@code dir} for a new leaf of this CA for
     * {@code dnsName} with new keys, each file replaced at once; returns the leaf.
     */
    public X509Certificate writeLeaf(Path dir, long serial, String dnsName) throws IOException {
        KeyPair leafKeys = keys();
        X509Certificate leaf = issue(leafKeys, serial, dnsName);
        write(dir, leafKeys, leaf, certificate);
        return leaf;
    }

    /** The same for a self-signed certificate for {@code dnsName} of {@code ownKeys} (no CA vouches for it). */
    public static X509Certificate writeSelfSigned(Path dir, KeyPair ownKeys, long serial, String dnsName)
            throws IOException {
        X509Certificate own = certificate("CN=" + dnsName, ownKeys, "CN=" + dnsName, ownKeys, false, serial,
                List.of(dnsName));
        write(dir, ownKeys, own);
        return own;
    }

    /** Writes {@code chain} as fullchain.pem and the private key of {@code leafKeys} as privkey.pem, each at once. */
    private static void write(Path dir, KeyPair leafKeys, X509Certificate... chain) throws IOException {
        Path fullchain = dir.resolve("fullchain.pem.new");
        Path key = dir.resolve("privkey.pem.new");
        Files.writeString(fullchain, pem((Object[]) chain));
        Files.writeString(key, pem(new JcaPKCS8Generator(leafKeys.getPrivate(), null)));
        Files.move(key, dir.resolve("privkey.pem"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.move(fullchain, dir.resolve("fullchain.pem"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** A new EC P-256 key pair. */
    public static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate of {@code subject} signed with {@code issuerKeys}, with the DNS names as alternative names. */
    public static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
            boolean isCa, long serial, List<String> dnsNames) {
        try {
            long now = System.currentTimeMillis();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(serial), new Date(now - TimeUnit.HOURS.toMillis(1)),
                    new Date(now + TimeUnit.DAYS.toMillis(90)), new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (!dnsNames.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(dnsNames.stream()
                        .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                    "SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text of certificates, keys or key generators, one after the other. */
    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
