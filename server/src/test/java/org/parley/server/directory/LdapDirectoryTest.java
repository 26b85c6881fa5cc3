package org.parley.server.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.server.testing.TestDirectory;

/**
 * {@link LdapDirectory} against a real directory server ({@link TestDirectory}: UnboundID's in-memory server on
 * loopback, over StartTLS or ldaps:// with a certificate from a test CA).
 */
class LdapDirectoryTest {

    private TestDirectory ldap;

    @BeforeEach
    void start() throws Exception {
        ldap = new TestDirectory();
        ldap.addUser("ann", "Ann Archer");
        ldap.addUser("bob", null);
        ldap.makeAdmin(TestDirectory.dn("ann"));
    }

    @AfterEach
    void stop() {
        ldap.close();
    }

    private Map<String, String> flags(String... more) {
        Map<String, String> v = new LinkedHashMap<>();
        String[] base = ldap.serverFlags();
        for (int i = 0; i < base.length; i += 2) {
            v.put(base[i].substring(2), base[i + 1]);
        }
        for (int i = 0; i < more.length; i += 2) {
            v.put(more[i], more[i + 1]);
        }
        return v;
    }

    /** The settings as ServerConfig would read them (defaults, then these values). */
    private static DirectorySettings settings(Map<String, String> values) {
        Map<String, String[]> table = new LinkedHashMap<>();
        DirectorySettings.addSettings(table);
        Map<String, String> v = new LinkedHashMap<>();
        table.forEach((k, d) -> v.put(k, values.getOrDefault(k, d[0])));
        return DirectorySettings.from(v, (name, min, max) -> Long.parseLong(v.get(name)));
    }

    private LdapDirectory directory(String... more) throws Exception {
        return new LdapDirectory(settings(flags(more)));
    }

    @Test
    void aUserSignsInOverStartTlsWithTheDirectorysDisplayNameAndAdminGroup() throws Exception {
        LdapDirectory d = directory();
        assertThat(d.mapsAdmins()).isTrue();
        DirectoryUser ann = d.authenticate("ann", "dir-ann").orElseThrow();
        assertThat(ann.dn()).isEqualToIgnoringCase(TestDirectory.dn("ann"));
        assertThat(ann.displayName()).isEqualTo("Ann Archer");
        assertThat(ann.admin()).isTrue();
        DirectoryUser bob = d.authenticate("bob", "dir-bob").orElseThrow();
        assertThat(bob.displayName()).as("no displayName: the cn").isEqualTo("bob");
        assertThat(bob.admin()).isFalse();
    }

    @Test
    void ldapsWorksToo() throws Exception {
        LdapDirectory d = directory("ldap-url", ldap.ldapsUrl());
        assertThat(d.authenticate("ann", "dir-ann")).isPresent();
        assertThat(d.authenticate("ann", "wrong")).isEmpty();
    }

    @Test
    void aWrongPasswordAnUnknownUserAndAnEmptyPasswordAreRefused() throws Exception {
        LdapDirectory d = directory();
        assertThat(d.authenticate("ann", "dir-bob")).isEmpty();
        assertThat(d.authenticate("nobody", "dir-nobody")).isEmpty();
        assertThat(d.authenticate("ann", "")).isEmpty();
        assertThat(d.authenticate("ann", null)).isEmpty();
    }

    @Test
    void aLoginNameCannotChangeTheFilter() throws Exception {
        LdapDirectory d = directory();
        for (String name : List.of("*", "*)(uid=*", "ann)(|(uid=*", "a*", "ann\\", "ann)(objectClass=*")) {
            assertThat(d.authenticate(name, "dir-ann")).as(name).isEmpty();
            assertThat(d.lookup(List.of(name))).as(name).isEmpty();
        }
        assertThat(LdapDirectory.userFilter("(&(objectClass=person)(uid={0}))", "*)(uid=*").toString())
                .isEqualTo("(&(objectClass=person)(uid=\\2a\\29\\28uid=\\2a))");
    }

    @Test
    void aLockedOrDeletedUserIsNotFound() throws Exception {
        LdapDirectory d = directory();
        ldap.lock("bob");
        assertThat(d.authenticate("bob", "dir-bob")).as("the filter excludes pwdAccountLockedTime").isEmpty();
        assertThat(d.lookup(List.of("ann", "bob"))).containsOnlyKeys("ann");
        ldap.delete(TestDirectory.dn("ann"));
        assertThat(d.authenticate("ann", "dir-ann")).isEmpty();
        assertThat(d.lookup(List.of("ann", "bob"))).isEmpty();
    }

    @Test
    void lookupsFollowDisplayNameAndGroupChanges() throws Exception {
        LdapDirectory d = directory();
        ldap.set(TestDirectory.dn("ann"), "displayName", "Ann Baker");
        ldap.unmakeAdmin(TestDirectory.dn("ann"));
        DirectoryUser ann = d.lookup(List.of("ann")).get("ann");
        assertThat(ann.displayName()).isEqualTo("Ann Baker");
        assertThat(ann.admin()).isFalse();
    }

    @Test
    void memberOfOnTheUserEntryAlsoMakesAnAdmin() throws Exception {
        ldap.set(TestDirectory.dn("bob"), "memberOf", TestDirectory.ADMINS_DN.toUpperCase());
        assertThat(directory().authenticate("bob", "dir-bob").orElseThrow().admin()).isTrue();
        assertThat(directory("ldap-admin-group", "").mapsAdmins()).isFalse();
    }

    @Test
    void anAdminFilterReadOnTheEntryAlsoMakesAnAdmin() throws Exception {
        ldap.set(TestDirectory.dn("bob"), "employeeType", "parley-admin");
        LdapDirectory byFilter = directory("ldap-admin-group", "", "ldap-admin-filter", "(employeeType=parley-admin)");
        assertThat(byFilter.mapsAdmins()).isTrue();
        assertThat(byFilter.authenticate("bob", "dir-bob").orElseThrow().admin()).isTrue();
        assertThat(byFilter.authenticate("ann", "dir-ann").orElseThrow().admin()).as("the group is not set").isFalse();
        LdapDirectory both = directory("ldap-admin-filter", "(employeeType=parley-admin)");
        assertThat(both.lookup(List.of("ann", "bob"))).allSatisfy((name, user) -> assertThat(user.admin()).isTrue());
        assertThatThrownBy(() -> settings(flags("ldap-admin-filter", "(employeeType="))).hasMessageContaining(
                "ldap-admin-filter");
    }

    @Test
    void severalEntriesForOneNameAreRefused() throws Exception {
        ldap.addUser("cat", null);
        LdapDirectory d = directory("ldap-user-filter", "(|(uid={0})(uid=ann))");
        assertThat(d.authenticate("cat", "dir-cat")).isEmpty();
    }

    @Test
    void aWrongServiceAccountPasswordMakesTheDirectoryUnavailable() throws Exception {
        java.nio.file.Files.writeString(ldap.passwordFile(), "not the password");
        LdapDirectory d = directory();
        assertThatThrownBy(() -> d.authenticate("ann", "dir-ann")).isInstanceOf(DirectoryUnavailableException.class);
    }

    @Test
    void aDirectoryThatIsDownOrSilentIsUnavailable() throws Exception {
        LdapDirectory d = directory();
        ldap.stop();
        assertThatThrownBy(() -> d.authenticate("ann", "dir-ann")).isInstanceOf(DirectoryUnavailableException.class);
        assertThatThrownBy(() -> d.lookup(List.of("ann"))).isInstanceOf(DirectoryUnavailableException.class);
        // Accepts connections (the kernel's backlog) and never answers: the response timeout ends the wait.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            LdapDirectory s = directory("ldap-url", "ldap://localhost:" + silent.getLocalPort(),
                    "ldap-response-timeout-ms", "300");
            assertThatThrownBy(() -> s.authenticate("ann", "dir-ann"))
                    .isInstanceOf(DirectoryUnavailableException.class);
        }
    }

    @Test
    void aCertificateForAnotherHostOrFromAnUntrustedCaIsRefused() throws Exception {
        assertThatThrownBy(() -> directory("ldap-ca-file", "").authenticate("ann", "dir-ann"))
                .as("the system trust store does not know the test CA")
                .isInstanceOf(DirectoryUnavailableException.class);
        try (TestDirectory elsewhere = new TestDirectory("elsewhere.example")) {
            elsewhere.addUser("ann", null);
            List<String> urls = new ArrayList<>(List.of(elsewhere.ldapUrl(), elsewhere.ldapsUrl()));
            for (String url : urls) {
                LdapDirectory d = new LdapDirectory(settings(Map.of("ldap-url", url, "ldap-ca-file",
                        elsewhere.caFile().toString(), "ldap-bind-dn", TestDirectory.SERVICE_DN,
                        "ldap-bind-password-file", elsewhere.passwordFile().toString(), "ldap-search-base",
                        TestDirectory.BASE)));
                assertThatThrownBy(() -> d.authenticate("ann", "dir-ann")).as(url)
                        .isInstanceOf(DirectoryUnavailableException.class);
            }
        }
    }

    @Test
    void settingsRefusePlaintextUnlessAllowedAndNeedABaseAFilterWithTheNameAndAPasswordFile() throws Exception {
        assertThatThrownBy(() -> settings(flags("ldap-starttls", "false"))).hasMessageContaining("in clear");
        assertThat(settings(flags("ldap-starttls", "false", "ldap-allow-plaintext", "true")).startTls()).isFalse();
        assertThatThrownBy(() -> settings(flags("ldap-search-base", ""))).hasMessageContaining("ldap-search-base");
        assertThatThrownBy(() -> settings(flags("ldap-user-filter", "(uid=ann)"))).hasMessageContaining("{0}");
        assertThatThrownBy(() -> settings(flags("ldap-user-filter", "(uid={0}"))).hasMessageContaining("filter");
        assertThatThrownBy(() -> settings(flags("ldap-bind-password-file", ""))).hasMessageContaining(
                "ldap-bind-password-file");
        assertThatThrownBy(() -> settings(flags("ldap-url", "ldaps://a," + ldap.ldapUrl())))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> settings(flags("ldap-url", "http://x"))).hasMessageContaining("LDAP URL");
        assertThatThrownBy(() -> settings(Map.of("ldap-only", "true"))).hasMessageContaining("ldap-url");
        assertThat(settings(Map.of()).enabled()).isFalse();
        assertThat(settings(flags()).toString()).doesNotContain(TestDirectory.SERVICE_PASSWORD);
        java.nio.file.Files.writeString(ldap.passwordFile(), "\n");
        assertThatThrownBy(() -> settings(flags())).hasMessageContaining("empty");
    }
}
