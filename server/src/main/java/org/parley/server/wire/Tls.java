package org.parley.server.wire;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.parley.protocol.Fingerprints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS identity: a self-signed EC P-256 certificate made on first start with the running JDK's
 * {@code keytool} (no extra library), kept in {@code <data-dir>/tls/server.p12}. Clients pin its SHA-256
 * fingerprint on first use, so a self-signed certificate is safe and needs no CA.
 */
public final class Tls {

    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);

    private final SSLContext context;
    private final String fingerprint;

    private Tls(SSLContext context, String fingerprint) {
        this.context = context;
        this.fingerprint = fingerprint;
    }

    public SSLContext context() {
        return context;
    }

    /** SHA-256 of the certificate, as colon-separated upper-case hex (what clients show). */
    public String fingerprint() {
        return fingerprint;
    }

    public static Tls loadOrCreate(Path dataDir) throws IOException, GeneralSecurityException {
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
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        Certificate cert = ks.getCertificate("parley");
        return new Tls(ctx, Fingerprints.sha256(cert.getEncoded()));
    }

    private static void create(Path dir, Path store, Path passwordFile) throws IOException {
        Files.createDirectories(dir);
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String password = HexFormat.of().formatHex(raw);
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the data directory's own permissions protect it
        }
        String host = hostName();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "parley", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg",
                "SHA256withECDSA", "-validity", "3650", "-dname", "CN=" + host, "-ext",
                "SAN=dns:localhost,ip:127.0.0.1" + (host.equals("localhost") ? "" : ",dns:" + host), "-keystore",
                store.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                Files.deleteIfExists(store);
                throw new IOException("keytool could not create the TLS certificate: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the TLS certificate", e);
        }
        LOG.atInfo().addKeyValue("keystore", store).addKeyValue("cn", host).log("created a self-signed TLS certificate");
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
