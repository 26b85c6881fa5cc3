package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;
import org.parley.server.testing.TestDirectory;

/**
 * Directory login end to end: a real Parley server signing users in through a real directory server
 * ({@link TestDirectory}, over StartTLS with a test CA), as a user, an attacker and an administrator exercise it.
 */
class LdapLoginIT {

    private static final TestDirectory LDAP = directory();

    private static TestDirectory directory() {
        try {
            TestDirectory d = new TestDirectory();
            for (String name : new String[] {"ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal"}) {
                d.addUser(name, "Directory " + name);
            }
            d.set(TestDirectory.dn("ann"), "displayName", "Ann Archer");
            d.makeAdmin(TestDirectory.dn("ann"));
            return d;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with(LDAP.serverFlags());

    @AfterAll
    static void stopDirectory() {
        LDAP.close();
    }

    private Accounts.LoggedIn login(String name, String password) throws IOException {
        return server.connect().request(new Accounts.Login(name, password, "test"), Accounts.LoggedIn.class);
    }

    private Session.ErrorReply loginError(String name, String password) throws IOException {
        return server.connect().error(new Accounts.Login(name, password, "test"));
    }

    @Test
    void theFirstLoginCreatesTheAccountWithTheDirectorysDisplayNameAndAdminGroup() throws IOException {
        Accounts.LoggedIn ann = login("ann", "dir-ann");
        assertThat(ann.user()).isEqualTo("ann");
        assertThat(ann.displayName()).isEqualTo("Ann Archer");
        assertThat(ann.admin()).as("member of " + TestDirectory.ADMINS_DN).isTrue();
        Accounts.LoggedIn bob = login("BOB", "dir-bob");
        assertThat(bob.user()).as("the canonical name").isEqualTo("bob");
        assertThat(bob.admin()).isFalse();
        assertThat(server.server().accounts().existing("bob").directoryDn()).isEqualToIgnoringCase(
                TestDirectory.dn("bob"));

        TestConnection c = server.connect();
        c.request(new Accounts.Resume(bob.token(), "test"), Accounts.LoggedIn.class);
        Contacts.UserList found = c.request(new Contacts.SearchUsers("archer", 10), Contacts.UserList.class);
        assertThat(found.users()).extracting(Contacts.UserInfo::user).containsExactly("ann");
    }

    @Test
    void aWrongPasswordAnUnknownUserAndAnEmptyPasswordFailAlike() throws IOException {
        Session.ErrorReply wrong = loginError("ann", "dir-bob");
        Session.ErrorReply unknown = loginError("nobody", "dir-nobody");
        Session.ErrorReply empty = loginError("ann", "");
        for (Session.ErrorReply e : new Session.ErrorReply[] {wrong, unknown, empty}) {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.message()).isEqualTo(wrong.message());
        }
        assertThatThrownBy(() -> server.server().accounts().existing("nobody")).as("no account was made")
                .isInstanceOf(org.parley.server.common.ParleyException.class);
        login("ann", "dir-ann");
    }

    @Test
    void aLoginNameThatTriesToWidenTheFilterFindsNobody() throws IOException {
        for (String name : new String[] {"*", "*)(uid=*", "ann)(|(uid=*", "a*"}) {
            assertThat(loginError(name, "dir-ann").code()).as(name).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void aDisplayNameOrGroupChangeInTheDirectoryIsPickedUpAtTheNextLoginAndByTheRecheck() throws Exception {
        login("cat", "dir-cat");
        LDAP.set(TestDirectory.dn("cat"), "displayName", "Cat Renamed");
        LDAP.makeAdmin(TestDirectory.dn("cat"));
        try {
            Accounts.LoggedIn again = login("cat", "dir-cat");
            assertThat(again.displayName()).isEqualTo("Cat Renamed");
            assertThat(again.admin()).isTrue();

            LDAP.set(TestDirectory.dn("cat"), "displayName", "Cat Again");
            LDAP.unmakeAdmin(TestDirectory.dn("cat"));
            assertThat(server.server().accounts().recheckDirectoryAccounts()).isZero();
            Account cat = server.server().accounts().existing("cat");
            assertThat(cat.displayName()).isEqualTo("Cat Again");
            assertThat(cat.admin()).isFalse();
            assertThat(server.server().accounts().isAdminNow(cat.id())).isFalse();
        } finally {
            LDAP.set(TestDirectory.dn("cat"), "displayName", "Directory cat");
        }
    }

    @Test
    void aUserLockedInTheDirectoryCannotSignInAndLosesTheirSessionsAtTheRecheck() throws IOException {
        Accounts.LoggedIn dan = login("dan", "dir-dan");
        TestConnection online = server.connect();
        online.request(new Accounts.Resume(dan.token(), "laptop"), Accounts.LoggedIn.class);
        String offlineToken = login("dan", "dir-dan").token();

        LDAP.lock("dan");
        assertThat(loginError("dan", "dir-dan").code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(server.server().accounts().recheckDirectoryAccounts()).isEqualTo(1);

        Session.ErrorReply pushed = online.awaitPush(Session.ErrorReply.class);
        assertThat(pushed.code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
        assertThat(pushed.message()).contains("directory");
        online.awaitClosed();
        assertThat(server.connect().error(new Accounts.Resume(offlineToken, "")).code())
                .isEqualTo(ErrorCode.INVALID_TOKEN);

        LDAP.set(TestDirectory.dn("dan"), "pwdAccountLockedTime");
        assertThat(login("dan", "dir-dan").user()).as("unlocked in the directory: signs in again").isEqualTo("dan");
    }

    @Test
    void aUserDeletedFromTheDirectoryCannotSignInAndLosesTheirSessions() throws IOException {
        LDAP.addUser("zed", "Zed");
        Accounts.LoggedIn zed = login("zed", "dir-zed");
        LDAP.delete(TestDirectory.dn("zed"));
        assertThat(loginError("zed", "dir-zed").code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(server.server().accounts().recheckDirectoryAccounts()).isEqualTo(1);
        assertThat(server.connect().error(new Accounts.Resume(zed.token(), "")).code())
                .isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    @Test
    void passwordsOfDirectoryAccountsAreChangedAndResetInTheDirectoryOnly() throws IOException {
        TestConnection ann = server.connect();
        ann.request(new Accounts.Login("ann", "dir-ann", "test"), Accounts.LoggedIn.class);
        Session.ErrorReply change = ann.error(new Accounts.ChangePassword("dir-ann", "a brand new passphrase"));
        assertThat(change.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(change.message()).contains("directory");
        Session.ErrorReply reset = ann.error(new Admin.CreatePasswordReset("ann"));
        assertThat(reset.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(reset.message()).contains("directory");
        assertThat(ann.error(new Admin.SetAdmin("ann", false)).code()).as("the group decides")
                .isEqualTo(ErrorCode.CONFLICT);
        Session.ErrorReply taken = server.connect().error(new Accounts.Register("ann", "a local passphrase", "",
                "", ""));
        assertThat(taken.code()).isEqualTo(ErrorCode.USER_EXISTS);
        assertThat(loginError("ann", "a local passphrase").code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        login("ann", "dir-ann");
    }

    @Test
    void localAccountsKeepWorkingBesideTheDirectoryAndAreNotTakenOver() throws IOException {
        server.register("eve"); // a local account with the name of a directory user
        assertThat(loginError("eve", "dir-eve").code()).as("the local password decides")
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(login("eve", "password-eve").displayName()).isEqualTo("EVE");
        assertThat(server.server().accounts().existing("eve").fromDirectory()).isFalse();
        TestConnection eve = server.login("eve");
        eve.request(new Accounts.ChangePassword("password-eve", "a new local passphrase"), Session.Ok.class);
    }

    @Test
    void directoryOnlyRefusesLocalLoginsRegistrationsAndSessions() throws Exception {
        server.register("root");
        String rootToken = login("root", "password-root").token();
        server.restartWith("--ldap-only", "true");

        assertThat(loginError("root", "password-root").code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        Session.ErrorReply resume = server.connect().error(new Accounts.Resume(rootToken, ""));
        assertThat(resume.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(resume.message()).contains("directory");
        Session.ErrorReply register = server.connect().error(new Accounts.Register("newbie", "a long passphrase",
                "", "", ""));
        assertThat(register.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(register.message()).contains("directory");
        assertThat(login("fay", "dir-fay").user()).isEqualTo("fay");
        TestConnection ann = server.connect();
        assertThat(ann.request(new Accounts.Login("ann", "dir-ann", "test"), Accounts.LoggedIn.class).admin())
                .isTrue();
        Session.ErrorReply create = ann.error(new Admin.CreateAccount("newbie", "a long passphrase", "Newbie"));
        assertThat(create.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(create.message()).contains("directory");
    }

    @Test
    void theLoginThrottleCountsDirectoryFailures() throws Exception {
        server.restartWith("--login-account-free-failures", "10", "--login-account-lock-failures", "3");
        for (int i = 0; i < 3; i++) {
            assertThat(loginError("gus", "wrong-" + i).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        }
        Session.ErrorReply locked = loginError("gus", "dir-gus");
        assertThat(locked.code()).isEqualTo(ErrorCode.LOGIN_LOCKED);
    }

    @Test
    void aDirectoryThatIsDownGivesUnavailableAndLocalAccountsStillSignIn() throws Exception {
        server.register("root");
        TestDirectory gone = new TestDirectory();
        gone.addUser("hal", null);
        String[] flags = gone.serverFlags();
        server.restartWith(flags);
        login("hal", "dir-hal");
        gone.close();

        TestConnection c = server.connect();
        Session.ErrorReply down = c.error(new Accounts.Login("hal", "dir-hal", "test"));
        assertThat(down.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(down.message()).contains("directory");
        assertThat(login("root", "password-root").user()).isEqualTo("root");
        assertThat(server.server().accounts().recheckDirectoryAccounts()).as("nothing revoked while down").isZero();
    }

    @Test
    void aSilentDirectoryHoldsNeitherTheRequestThreadsNorLocalLogins() throws Exception {
        server.register("root");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            server.restartWith("--ldap-url", "ldap://localhost:" + silent.getLocalPort(),
                    "--ldap-connect-timeout-ms", "60000", "--ldap-response-timeout-ms", "60000", "--ldap-threads",
                    "1");
            TestConnection waiting = server.connect();
            CompletableFuture<Message> pending = waiting.callAsync(new Accounts.Login("hal", "dir-hal", "test"));
            // While that login waits for the directory (on the one directory thread), a local account signs in,
            // and other connections are served.
            assertThat(login("root", "password-root").user()).isEqualTo("root");
            assertThat(server.connect().call(new Session.Ping(7))).isInstanceOf(Session.Pong.class);
            assertThat(pending).isNotDone();
            silent.close();
            Message answer = pending.get(TestConnection.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer).isInstanceOf(Session.ErrorReply.class);
            assertThat(((Session.ErrorReply) answer).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        }
    }

    @Test
    void ldapsWorksEndToEnd() throws Exception {
        server.restartWith("--ldap-url", LDAP.ldapsUrl());
        assertThat(login("hal", "dir-hal").displayName()).isEqualTo("Directory hal");
    }
}
