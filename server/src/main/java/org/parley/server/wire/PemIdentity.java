package org.parley.server.wire;

import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.parley.protocol.Fingerprints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS identity from PEM files as a CA's client writes them (Let's Encrypt: {@code fullchain.pem}, leaf first,
 * and {@code privkey.pem}, PKCS#8, SEC1 EC or PKCS#1 RSA), read with Bouncy Castle's PEM parser. It is a key
 * manager that serves the newest good pair: the files are checked every {@code reloadSeconds} and, when either
 * changed, read again; new handshakes then get the new certificate, and a pair that does not load (half-written,
 * key not matching) is logged and the old one kept.
 */
final class PemIdentity extends X509ExtendedKeyManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PemIdentity.class);

    private record Loaded(X509ExtendedKeyManager manager, X509Certificate leaf, String stamp) {
    }

    private final Path certFile;
    private final Path keyFile;
    private final ScheduledExecutorService timer;
    private volatile Loaded current;
    private volatile Runnable onReload = () -> { };

    PemIdentity(Path certFile, Path keyFile, int reloadSeconds) throws IOException, GeneralSecurityException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        current = load();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-tls-reload");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reloadIfChanged, reloadSeconds, reloadSeconds, TimeUnit.SECONDS);
    }

    /** Told after a new certificate was loaded (the server then makes a new TLS context: see {@link Tls}). */
    void onReload(Runnable r) {
        onReload = r;
    }

    X509Certificate leaf() {
        return current.leaf;
    }

    private String stamp() throws IOException {
        FileTime c = Files.getLastModifiedTime(certFile);
        FileTime k = Files.getLastModifiedTime(keyFile);
        return c.toMillis() + "/" + Files.size(certFile) + "/" + k.toMillis() + "/" + Files.size(keyFile) + "/"
                + java.util.Arrays.hashCode(Files.readAllBytes(certFile));
    }

    private void reloadIfChanged() {
        try {
            if (stamp().equals(current.stamp)) {
                return;
            }
            Loaded next = load();
            current = next;
            onReload.run();
            LOG.atInfo().addKeyValue("cert", certFile).addKeyValue("subject", next.leaf.getSubjectX500Principal())
                    .addKeyValue("notAfter", next.leaf.getNotAfter().toInstant())
                    .addKeyValue("fingerprint", Fingerprints.sha256(next.leaf.getEncoded()))
                    .log("TLS certificate reloaded");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.atWarn().addKeyValue("cert", certFile).addKeyValue("key", keyFile).addKeyValue("error", e.toString())
                    .log("could not reload the TLS certificate; keeping the current one");
        }
    }

    private Loaded load() throws IOException, GeneralSecurityException {
        String stamp = stamp();
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(certFile, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(certs.getCertificate(h));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certFile);
        }
        PrivateKey key = null;
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null && key == null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    key = keys.getKeyPair(pair).getPrivate();
                } else if (o instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info);
                }
            }
        }
        if (key == null) {
            throw new GeneralSecurityException("no private key in " + keyFile + " (an encrypted key is not supported)");
        }
        if (!matches(chain.get(0), key)) {
            throw new GeneralSecurityException("the key in " + keyFile + " is not the key of the first certificate in "
                    + certFile);
        }
        char[] password = new char[0];
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("parley", key, password, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, password);
        return new Loaded((X509ExtendedKeyManager) kmf.getKeyManagers()[0], chain.get(0), stamp);
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(X509Certificate cert, PrivateKey key) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        byte[] probe = "parley key check".getBytes(StandardCharsets.US_ASCII);
        java.security.Signature s = java.security.Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(probe);
        byte[] signature = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(probe);
        return s.verify(signature);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return current.manager.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return current.manager.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.manager.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.manager.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.manager.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.manager.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.manager.getPrivateKey(alias);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
