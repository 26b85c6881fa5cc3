package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

class AccountsIT {

    @RegisterExtension
    final ParleyServerExtension server = onStorage(new ParleyServerExtension().with("--admins", "root"));

    /** The storage the server runs on: H2 here; {@link AccountsOnPostgresqlIT} runs these tests on PostgreSQL. */
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension;
    }

    @Test
    void registerThenLoginElsewhere() throws IOException {
        TestConnection c = server.connect();
        Accounts.LoggedIn in = c.request(new Accounts.Register("Ann", "correct horse", "Ann Lee", "laptop"),
                Accounts.LoggedIn.class);
        assertThat(in.user()).isEqualTo("ann");
        assertThat(in.displayName()).isEqualTo("Ann Lee");
        assertThat(in.token()).hasSizeGreaterThan(40);
        assertThat(in.admin()).isFalse();

        Accounts.LoggedIn again = server.connect().request(new Accounts.Login("ANN", "correct horse", "phone"),
                Accounts.LoggedIn.class);
        assertThat(again.user()).isEqualTo("ann");
        assertThat(again.token()).isNotEqualTo(in.token());
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() throws IOException {
        server.register("ann");
        Session.ErrorReply wrong = server.connect().error(new Accounts.Login("ann", "wrong password", ""));
        Session.ErrorReply unknown = server.connect().error(new Accounts.Login("nobody", "whatever1", ""));
        assertThat(wrong.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(unknown.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(unknown.message()).isEqualTo(wrong.message());
    }

    @Test
    void aFailedLoginCanBeRetriedOnTheSameConnection() throws IOException {
        server.register("ann");
        TestConnection c = server.connect();
        c.error(new Accounts.Login("ann", "wrong password", ""));
        assertThat(c.request(new Accounts.Login("ann", "password-ann", ""), Accounts.LoggedIn.class).user())
                .isEqualTo("ann");
    }

    @Test
    void duplicateNamesAndBadInputAreRefusedClearly() throws IOException {
        server.register("ann");
        TestConnection c = server.connect();
        assertThat(c.error(new Accounts.Register("ANN", "long enough", "", "")).code()).isEqualTo(ErrorCode.USER_EXISTS);
        assertThat(c.error(new Accounts.Register("a", "long enough", "", "")).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(c.error(new Accounts.Register("bad name!", "long enough", "", "")).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        Session.ErrorReply shortPassword = c.error(new Accounts.Register("bob", "short", "", ""));
        assertThat(shortPassword.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(shortPassword.message()).contains("8");
    }

    @Test
    void aTokenResumesTheSessionUntilLogout() throws IOException {
        TestConnection first = server.connect();
        String token = first.request(new Accounts.Register("ann", "password-ann", "", "laptop"),
                Accounts.LoggedIn.class).token();
        first.close();

        TestConnection second = server.connect();
        Accounts.LoggedIn resumed = second.request(new Accounts.Resume(token, "laptop"), Accounts.LoggedIn.class);
        assertThat(resumed.user()).isEqualTo("ann");
        second.request(new Accounts.Logout(), Session.Ok.class);
        second.awaitClosed();

        assertThat(server.connect().error(new Accounts.Resume(token, "laptop")).code())
                .isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(server.connect().error(new Accounts.Resume("forged", "")).code()).isEqualTo(ErrorCode.INVALID_TOKEN);
    }

    /**
     * A resume moves the token's expiry forward only once it has used up a day of its lifetime: resuming is then a
     * read, and a reconnect storm writes nothing for tokens in daily use.
     */
    @Test
    void aResumeExtendsTheTokenOnlyOnceADayOfItsLifetimeIsUsed() throws Exception {
        Accounts.LoggedIn first = server.connect().request(new Accounts.Register("ann", "password-ann", "", ""),
                Accounts.LoggedIn.class);
        Accounts.LoggedIn fresh = server.connect().request(new Accounts.Resume(first.token(), ""),
                Accounts.LoggedIn.class);
        assertThat(fresh.tokenExpiresAt()).as("resumed within the day: unchanged").isEqualTo(first.tokenExpiresAt());

        long aged = first.tokenExpiresAt() - AccountService.TOKEN_EXTEND_AFTER_MS - 60_000;
        server.stop();
        try (org.parley.server.storage.jdbc.JdbcStorage storage = server.openStorage()) {
            assertThat(storage.jdbc().update("UPDATE session_tokens SET expires_at = ?", ps -> ps.setLong(1, aged)))
                    .isEqualTo(1);
        }
        server.restart();
        long before = System.currentTimeMillis();
        Accounts.LoggedIn old = server.connect().request(new Accounts.Resume(first.token(), ""),
                Accounts.LoggedIn.class);
        assertThat(old.tokenExpiresAt()).as("a day used up: a full lifetime from now")
                .isGreaterThanOrEqualTo(before + AccountService.TOKEN_LIFETIME_MS);
        server.restart();
        assertThat(server.connect().request(new Accounts.Resume(first.token(), ""), Accounts.LoggedIn.class)
                .tokenExpiresAt()).as("the extension was stored").isEqualTo(old.tokenExpiresAt());
    }

    @Test
    void tokensSurviveARestart() throws Exception {
        String token = server.connect().request(new Accounts.Register("ann", "password-ann", "", ""),
                Accounts.LoggedIn.class).token();
        server.restart();
        assertThat(server.connect().request(new Accounts.Resume(token, ""), Accounts.LoggedIn.class).user())
                .isEqualTo("ann");
    }

    @Test
    void anAdminDisablesAnAccount() throws IOException {
        TestConnection root = server.register("root");
        TestConnection mallory = server.register("mallory");
        TestConnection ann = server.register("ann");

        assertThat(ann.error(new Accounts.DisableAccount("mallory")).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(root.error(new Accounts.DisableAccount("nobody")).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
        root.request(new Accounts.DisableAccount("mallory"), Session.Ok.class);

        assertThat(mallory.awaitPush(Session.ErrorReply.class).code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
        mallory.awaitClosed();
        assertThat(server.connect().error(new Accounts.Login("mallory", "password-mallory", "")).code())
                .isEqualTo(ErrorCode.ACCOUNT_DISABLED);
        assertThat(ann.request(new Contacts.SearchUsers("mallory", 10), Contacts.UserList.class).users()).isEmpty();
    }
}
