package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** Changing a password, an administrator's reset code, and the rules a new password must meet. */
class PasswordsIT {

    @RegisterExtension
    final ParleyServerExtension server = new ParleyServerExtension().with("--admins", "root");

    @Test
    void changingThePasswordRevokesEveryOtherSession() throws IOException {
        TestConnection laptop = server.register("ann");
        TestConnection phoneConnection = server.connect();
        String phoneToken = phoneConnection.request(new Accounts.Login("ann", "password-ann", "phone"),
                Accounts.LoggedIn.class).token();
        String idleToken = server.connect().request(new Accounts.Login("ann", "password-ann", "tablet"),
                Accounts.LoggedIn.class).token();

        laptop.request(new Accounts.ChangePassword("password-ann", "a new passphrase"), Session.Ok.class);

        Session.ErrorReply pushed = phoneConnection.awaitPush(Session.ErrorReply.class);
        assertThat(pushed.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(pushed.message()).contains("password was changed");
        phoneConnection.awaitClosed();
        assertThat(server.connect().error(new Accounts.Resume(phoneToken, "")).code())
                .isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(server.connect().error(new Accounts.Resume(idleToken, "")).code())
                .as("a session not connected right now").isEqualTo(ErrorCode.INVALID_TOKEN);

        assertThat(laptop.request(new Contacts.ListContacts(), Contacts.ContactList.class)).as("this session stays")
                .isNotNull();
        assertThat(server.connect().error(new Accounts.Login("ann", "password-ann", "")).code())
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        server.connect().request(new Accounts.Login("ann", "a new passphrase", ""), Accounts.LoggedIn.class);
    }

    @Test
    void aWrongCurrentPasswordChangesNothing() throws IOException {
        TestConnection ann = server.register("ann");
        TestConnection other = server.login("ann");
        Session.ErrorReply wrong = ann.error(new Accounts.ChangePassword("not my password", "a new passphrase"));
        assertThat(wrong.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(wrong.message()).contains("current password");
        assertThat(other.request(new Contacts.ListContacts(), Contacts.ContactList.class)).isNotNull();
        server.connect().request(new Accounts.Login("ann", "password-ann", ""), Accounts.LoggedIn.class);
        assertThat(ann.error(new Accounts.ChangePassword("password-ann", "password-ann")).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void shortAndCommonPasswordsAreRefusedClearly() throws IOException {
        TestConnection c = server.connect();
        Session.ErrorReply common = c.error(new Accounts.Register("ann", "Password1", "", ""));
        assertThat(common.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(common.message()).contains("most common passwords");
        assertThat(c.error(new Accounts.Register("ann", "QWERTYUIOP", "", "")).code()).as("case-insensitively")
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        Session.ErrorReply name = c.error(new Accounts.Register("annabelle", "AnnaBelle", "", ""));
        assertThat(name.message()).contains("user name");
        assertThat(c.error(new Accounts.Register("ann", "1234567", "", "")).message()).contains("at least 8");

        TestConnection ann = server.register("ann");
        Session.ErrorReply change = ann.error(new Accounts.ChangePassword("password-ann", "iloveyou"));
        assertThat(change.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(change.message()).contains("most common passwords");
        server.connect().request(new Accounts.Login("ann", "password-ann", ""), Accounts.LoggedIn.class);
    }

    @Test
    void anAdminsResetCodeSetsANewPasswordOnceAndEndsEverySession() throws IOException {
        TestConnection root = server.register("root");
        TestConnection bob = server.register("bob");
        Admin.PasswordResetCode reset = root.request(new Admin.CreatePasswordReset("BOB"),
                Admin.PasswordResetCode.class);
        assertThat(reset.user()).isEqualTo("bob");
        assertThat(reset.expiresAt()).isGreaterThan(System.currentTimeMillis());
        assertThat(bob.request(new Contacts.ListContacts(), Contacts.ContactList.class))
                .as("a code alone changes nothing").isNotNull();

        assertThat(server.connect().error(new Accounts.ResetPassword("bob", "WRONG-CODE", "a new passphrase", ""))
                .code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(server.connect().error(new Accounts.ResetPassword("root", reset.code(), "a new passphrase", ""))
                .code()).as("another user's code").isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(server.connect().error(new Accounts.ResetPassword("bob", reset.code(), "letmein1", "")).code())
                .as("the rules hold").isEqualTo(ErrorCode.INVALID_ARGUMENT);

        TestConnection fresh = server.connect();
        Accounts.LoggedIn in = fresh.request(new Accounts.ResetPassword("bob", reset.code(), "a new passphrase",
                "phone"), Accounts.LoggedIn.class);
        assertThat(in.user()).isEqualTo("bob");
        assertThat(bob.awaitPush(Session.ErrorReply.class).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
        bob.awaitClosed();
        assertThat(fresh.request(new Contacts.ListContacts(), Contacts.ContactList.class)).isNotNull();

        assertThat(server.connect().error(new Accounts.ResetPassword("bob", reset.code(), "another passphrase",
                "")).code()).as("single use").isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        server.connect().request(new Accounts.Login("bob", "a new passphrase", ""), Accounts.LoggedIn.class);

        String second = root.request(new Admin.CreatePasswordReset("bob"), Admin.PasswordResetCode.class).code();
        String third = root.request(new Admin.CreatePasswordReset("bob"), Admin.PasswordResetCode.class).code();
        assertThat(server.connect().error(new Accounts.ResetPassword("bob", second, "another passphrase", ""))
                .code()).as("replaced by a newer code").isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        server.connect().request(new Accounts.ResetPassword("bob", third, "another passphrase", ""),
                Accounts.LoggedIn.class);
    }

    @Test
    void aResetNeedsNoLoginButIsRefusedAfterOne() throws IOException {
        TestConnection root = server.register("root");
        server.register("bob");
        String code = root.request(new Admin.CreatePasswordReset("bob"), Admin.PasswordResetCode.class).code();
        assertThat(root.error(new Accounts.ResetPassword("bob", code, "a new passphrase", "")).code())
                .isEqualTo(ErrorCode.CONFLICT);
    }
}
