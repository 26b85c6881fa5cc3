package org.parley.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.OperationType;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real LDAP directory for tests: the UnboundID LDAP SDK's in-memory directory server on 127.0.0.1 (ephemeral
 * ports), with a StartTLS-capable {@code ldap} listener and an {@code ldaps} listener, both serving a certificate
 * issued by a test CA made here (its PEM in {@link #caFile()}). Searching needs a bind (as a service account
 * {@value #SERVICE_DN}, password {@value #SERVICE_PASSWORD}): anonymous searches are refused, as in most
 * organizations. The schema is not enforced, so that tests may set {@code pwdAccountLockedTime} or
 * {@code memberOf} like OpenLDAP's ppolicy and memberof overlays or Active Directory would.
 *
 * <p>Users are {@code uid=NAME,ou=people,dc=example,dc=org} with password {@code "dir-" + NAME}; the group
 * {@value #ADMINS_DN} (groupOfNames) lists the administrators.
 */
public final class TestDirectory implements AutoCloseable {

    public static final String BASE = "dc=example,dc=org";
    public static final String PEOPLE = "ou=people," + BASE;
    public static final String ADMINS_DN = "cn=parley-admins,ou=groups," + BASE;
    public static final String SERVICE_DN = "cn=parley,ou=services," + BASE;
    public static final String SERVICE_PASSWORD = "service-secret";
    /** The OpenLDAP-style filter the tests use: a person with this uid whose account is not locked. */
    public static final String FILTER = "(&(objectClass=person)(uid={0})(!(pwdAccountLockedTime=*)))";

    private final InMemoryDirectoryServer server;
    private final Path dir;
    private final Path caFile;
    private final Path passwordFile;

    /** A directory whose certificate names {@code localhost} and 127.0.0.1. */
    public TestDirectory() throws Exception {
        this("localhost");
    }

    /** A directory whose certificate names only {@code certificateHost} (another host name tests the check). */
    public TestDirectory(String certificateHost) throws Exception {
        dir = Files.createTempDirectory("parley-ldap-");
        KeyPair caKeys = keys();
        X509Certificate ca = certificate("CN=Parley Test Directory CA", caKeys, "CN=Parley Test Directory CA",
                caKeys, true, null);
        KeyPair leafKeys = keys();
        X509Certificate leaf = certificate("CN=" + certificateHost, leafKeys, "CN=Parley Test Directory CA", caKeys,
                false, certificateHost);
        caFile = dir.resolve("directory-ca.pem");
        Files.writeString(caFile, pem(ca));
        passwordFile = dir.resolve("bind-password");
        Files.writeString(passwordFile, SERVICE_PASSWORD + "\n");

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("ldap", leafKeys.getPrivate(), new char[0], new Certificate[] {leaf, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setSchema(null);
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig("ldap", loopback, 0, tls.getSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, tls.getServerSocketFactory(), null));
        config.setAuthenticationRequiredOperationTypes(OperationType.SEARCH, OperationType.COMPARE,
                OperationType.ADD, OperationType.MODIFY, OperationType.DELETE, OperationType.MODIFY_DN);
        server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: domain", "dc: example");
        server.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
        server.add("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups");
        server.add("dn: ou=services," + BASE, "objectClass: organizationalUnit", "ou: services");
        server.add("dn: " + SERVICE_DN, "objectClass: person", "cn: parley", "sn: service",
                "userPassword: " + SERVICE_PASSWORD);
        server.add("dn: " + ADMINS_DN, "objectClass: groupOfNames", "cn: parley-admins",
                "member: " + SERVICE_DN);
        server.startListening();
    }

    /** Adds a person {@code uid=name} with password {@code "dir-" + name}. */
    public String addUser(String name, String displayName) {
        String dn = "uid=" + name + "," + PEOPLE;
        try {
            List<Attribute> attributes = new ArrayList<>(List.of(new Attribute("objectClass", "top", "person",
                    "organizationalPerson", "inetOrgPerson"), new Attribute("uid", name), new Attribute("cn",
                    name), new Attribute("sn", name), new Attribute("userPassword", password(name))));
            if (displayName != null) {
                attributes.add(new Attribute("displayName", displayName));
            }
            server.add(dn, attributes);
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
        return dn;
    }

    /** The directory password of a user made by {@link #addUser}. */
    public static String password(String name) {
        return "dir-" + name;
    }

    public static String dn(String name) {
        return "uid=" + name + "," + PEOPLE;
    }

    /** Replaces (or, with no values, removes) an attribute of an entry. */
    public void set(String dn, String attribute, String... values) {
        try {
            server.modify(dn, new Modification(ModificationType.REPLACE, attribute, values));
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds {@code dn} to the administrators' group. */
    public void makeAdmin(String dn) {
        modifyGroup(ModificationType.ADD, dn);
    }

    /** Removes {@code dn} from the administrators' group. */
    public void unmakeAdmin(String dn) {
        modifyGroup(ModificationType.DELETE, dn);
    }

    private void modifyGroup(ModificationType type, String dn) {
        try {
            server.modify(ADMINS_DN, new Modification(type, "member", dn));
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Locks a user the way OpenLDAP's ppolicy overlay does (what {@link #FILTER} excludes). */
    public void lock(String name) {
        set(dn(name), "pwdAccountLockedTime", "000001010000Z");
    }

    public void delete(String dn) {
        try {
            server.delete(dn);
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ldap:// URL of the StartTLS-capable listener. */
    public String ldapUrl() {
        return "ldap://localhost:" + server.getListenPort("ldap");
    }

    /** ldaps:// URL. */
    public String ldapsUrl() {
        return "ldaps://localhost:" + server.getListenPort("ldaps");
    }

    public Path caFile() {
        return caFile;
    }

    public Path passwordFile() {
        return passwordFile;
    }

    /** Parley server flags for this directory over StartTLS (more flags may follow and win). */
    public String[] serverFlags() {
        return new String[] {"--ldap-url", ldapUrl(), "--ldap-ca-file", caFile.toString(), "--ldap-bind-dn",
            SERVICE_DN, "--ldap-bind-password-file", passwordFile.toString(), "--ldap-search-base", BASE,
            "--ldap-user-filter", FILTER, "--ldap-admin-group", ADMINS_DN, "--ldap-connect-timeout-ms", "2000",
            "--ldap-response-timeout-ms", "5000"};
    }

    /** Stops listening (the directory is down); {@link #close} deletes its files. */
    public void stop() {
        server.shutDown(true);
    }

    @Override
    public void close() {
        server.shutDown(true);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer,
            KeyPair issuerKeys, boolean ca, String host) throws Exception {
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now), new Date(now - TimeUnit.HOURS.toMillis(1)),
                new Date(now + TimeUnit.DAYS.toMillis(30)), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (host != null) {
            List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, host)));
            if (host.equals("localhost")) {
                names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(
                    new GeneralName[0])));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                "SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
