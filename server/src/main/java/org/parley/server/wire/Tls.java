package org.parley.server.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.parley.protocol.Fingerprints;
import org.parley.server.config.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS identity: a self-signed EC P-256 certificate made in-process on first start (Bouncy Castle's
 * PKIX: no keytool, so the keystore password is never on a command line), kept in
 * {@code <data-dir>/tls/server.p12} with its password in {@code keystore.password}, both readable by the owner
 * only. Clients pin its SHA-256 fingerprint on first use, so a self-signed certificate is safe and needs no CA.
 */
public final class Tls {

    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);

    /** How long a TLS session may be resumed by default (setting {@code tls-session-seconds}): 24 hours. */
    public static final int DEFAULT_SESSION_SECONDS = 86_400;

    /** The context new connections use; a reloaded certificate gets a new one (new session ticket keys). */
    private volatile SSLContext context;
    private final String fingerprint;
    private final PemIdentity pem;

    private Tls(SSLContext context, String fingerprint) {
        this(context, fingerprint, null);
    }

    private Tls(SSLContext context, String fingerprint, PemIdentity pem) {
        this.context = context;
        this.fingerprint = fingerprint;
        this.pem = pem;
    }

    /**
     * A server context whose TLS sessions may be resumed for {@code sessionSeconds} after their full handshake. The
     * JDK's server issues TLS 1.3 session tickets (and RFC 5077 tickets with TLS 1.2) that are stateless: the
     * session's secrets are in the ticket, encrypted with keys held in this context's memory only (rotated by the
     * JDK), so the server keeps nothing per session, a ticket works only with the process (and context) that issued
     * it, and a resumption keeps the first handshake's creation time, so that {@code sessionSeconds} bounds how long
     * a client goes without a full handshake.
     */
    private static SSLContext newContext(javax.net.ssl.KeyManager[] keys, int sessionSeconds)
            throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, null, new SecureRandom());
        ctx.getServerSessionContext().setSessionTimeout(sessionSeconds);
        return ctx;
    }

    /**
     * A CA-issued certificate chain and its key from PEM files (settings {@code tls-cert}, {@code tls-key}),
     * checked every {@code reloadSeconds} and reloaded when they change (see {@link PemIdentity}).
     */
    public static Tls fromPem(Path certFile, Path keyFile, int reloadSeconds) throws IOException,
            GeneralSecurityException {
        return fromPem(certFile, keyFile, reloadSeconds, DEFAULT_SESSION_SECONDS);
    }

    /**
     * As {@link #fromPem(Path, Path, int)}, TLS sessions resumable for {@code sessionSeconds}. A reloaded
     * certificate comes with a new context, whose new ticket keys cannot read the tickets issued before: every
     * client's next connection is a full handshake that shows it the new certificate (a client that pinned the old
     * one refuses it then, as it would without resumption).
     */
    public static Tls fromPem(Path certFile, Path keyFile, int reloadSeconds, int sessionSeconds) throws IOException,
            GeneralSecurityException {
        PemIdentity identity = new PemIdentity(certFile, keyFile, reloadSeconds);
        javax.net.ssl.KeyManager[] keys = {identity};
        LOG.atInfo().addKeyValue("cert", certFile).addKeyValue("subject", identity.leaf().getSubjectX500Principal())
                .addKeyValue("notAfter", identity.leaf().getNotAfter().toInstant()).log("TLS certificate loaded");
        Tls tls = new Tls(newContext(keys, sessionSeconds), Fingerprints.sha256(identity.leaf().getEncoded()),
                identity);
        identity.onReload(() -> {
            try {
                tls.context = newContext(keys, sessionSeconds);
            } catch (GeneralSecurityException e) {
                LOG.atWarn().addKeyValue("error", e.toString()).log("could not renew the TLS context after a "
                        + "certificate reload; sessions made before it may still be resumed");
            }
        });
        return tls;
    }

    /** Stops watching the PEM files (nothing to do for the self-signed certificate). */
    public void close() {
        if (pem != null) {
            pem.close();
        }
    }

    /** The context for a new connection (after a certificate reload, a new one). */
    public SSLContext context() {
        return context;
    }

    /** SHA-256 of the certificate (the one loaded now, for PEM files), colon-separated upper-case hex. */
    public String fingerprint() {
        if (pem == null) {
            return fingerprint;
        }
        try {
            return Fingerprints.sha256(pem.leaf().getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            return fingerprint;
        }
    }

    public static Tls loadOrCreate(Path dataDir) throws IOException, GeneralSecurityException {
        return loadOrCreate(dataDir, DEFAULT_SESSION_SECONDS);
    }

    /** The self-signed identity of {@code dataDir}, TLS sessions resumable for {@code sessionSeconds}. */
    public static Tls loadOrCreate(Path dataDir, int sessionSeconds) throws IOException, GeneralSecurityException {
        Path dir = dataDir.resolve("tls");
        Path store = dir.resolve("server.p12");
        Path passwordFile = dir.resolve("keystore.password");
        if (!Files.exists(store)) {
            create(dir, store, passwordFile);
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        Certificate cert = ks.getCertificate("parley");
        return new Tls(newContext(kmf.getKeyManagers(), sessionSeconds), Fingerprints.sha256(cert.getEncoded()));
    }

    private static void create(Path dir, Path store, Path passwordFile) throws IOException,
            GeneralSecurityException {
        DataDirectory.createPrivateDirectory(dir);
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        char[] password = HexFormat.of().formatHex(raw).toCharArray();
        String host = hostName();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(keys, host);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("parley", keys.getPrivate(), password, new Certificate[] {certificate});
        // Both files are 0600 from their first byte (DataDirectory), and the keystore, which says that a
        // certificate exists, is written last.
        DataDirectory.writePrivate(passwordFile, new String(password).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ks.store(bytes, password);
        DataDirectory.writePrivate(store, bytes.toByteArray());
        LOG.atInfo().addKeyValue("keystore", store).addKeyValue("cn", host).log("created a self-signed TLS certificate");
    }

    /** A self-signed certificate for {@code host}, localhost and 127.0.0.1, valid for ten years (Bouncy Castle). */
    static X509Certificate selfSigned(KeyPair keys, String host) throws GeneralSecurityException, IOException {
        X500Name name = new X500Name("CN=" + host);
        long now = System.currentTimeMillis();
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7F;
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(serial),
                new Date(now - TimeUnit.HOURS.toMillis(1)), new Date(now + TimeUnit.DAYS.toMillis(3650)), name,
                keys.getPublic());
        List<GeneralName> alternatives = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        if (!host.equals("localhost")) {
            alternatives.add(new GeneralName(GeneralName.dNSName, host));
        }
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(alternatives.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the TLS certificate", e);
        }
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.matches("[A-Za-z0-9.-]+") ? h : "localhost";
        } catch (IOException e) {
            return "localhost";
        }
    }
}
