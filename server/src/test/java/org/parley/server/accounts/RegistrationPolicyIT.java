package org.parley.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ChildServer;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** The registration policies (setting {@code registration}), exercised as a client would, on a real server. */
class RegistrationPolicyIT {

    static Accounts.Register register(String user, String invitation) {
        return new Accounts.Register(user, "password-" + user, "", "test", invitation);
    }

    @Nested
    class Invite {

        @RegisterExtension
        final ParleyServerExtension server = new ParleyServerExtension().with("--registration", "invite");

        @Test
        void theFirstAccountBecomesTheAdminAndEveryoneElseNeedsAValidCode() throws IOException {
            TestConnection root = server.connect();
            assertThat(root.request(register("root", ""), Accounts.LoggedIn.class).admin())
                    .as("the first account of a fresh server is its administrator").isTrue();

            Session.ErrorReply none = server.connect().error(register("bob", ""));
            assertThat(none.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(none.message()).contains("invitation code");
            Session.ErrorReply forged = server.connect().error(register("bob", "AAAAA-BBBBB-CCCCC-DDDDD"));
            assertThat(forged.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(forged.message()).contains("not valid");

            Admin.InvitationCreated invitation = root.request(new Admin.CreateInvitation(),
                    Admin.InvitationCreated.class);
            assertThat(invitation.code()).matches("[A-Z2-9]{5}(-[A-Z2-9]{5}){3}");
            assertThat(invitation.expiresAt()).isGreaterThan(System.currentTimeMillis());
            // Typed by hand: lower case, without the dashes.
            String typed = " " + invitation.code().replace("-", "").toLowerCase() + " ";
            Accounts.LoggedIn bob = server.connect().request(register("bob", typed), Accounts.LoggedIn.class);
            assertThat(bob.admin()).isFalse();

            Session.ErrorReply again = server.connect().error(register("carol", invitation.code()));
            assertThat(again.code()).as("single use").isEqualTo(ErrorCode.FORBIDDEN);

            Admin.InvitationInfo used = root.request(new Admin.ListInvitations(), Admin.InvitationList.class)
                    .invitations().get(0);
            assertThat(used.id()).isEqualTo(invitation.id());
            assertThat(used.createdBy()).isEqualTo("root");
            assertThat(used.usedBy()).isEqualTo("bob");
            assertThat(used.usedAt()).isPositive();
        }

        @Test
        void aRevokedCodeRegistersNobodyAndATakenNameLeavesTheCodeUnused() throws IOException {
            TestConnection root = server.register("root");
            server.connect().request(register("bob", root.request(new Admin.CreateInvitation(),
                    Admin.InvitationCreated.class).code()), Accounts.LoggedIn.class);

            Admin.InvitationCreated second = root.request(new Admin.CreateInvitation(), Admin.InvitationCreated.class);
            assertThat(server.connect().error(register("bob", second.code())).code()).isEqualTo(ErrorCode.USER_EXISTS);
            root.request(new Admin.RevokeInvitation(second.id()), Session.Ok.class);
            assertThat(server.connect().error(register("carol", second.code())).code())
                    .isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(root.error(new Admin.RevokeInvitation(second.id())).code()).as("already revoked")
                    .isEqualTo(ErrorCode.CONFLICT);
            Admin.InvitationInfo revoked = root.request(new Admin.ListInvitations(), Admin.InvitationList.class)
                    .invitations().get(0);
            assertThat(revoked.revoked()).isTrue();
            assertThat(revoked.usedBy()).isEmpty();
        }

        @Test
        void onlyAdminsInviteUnlessTheSettingAllowsEveryone() throws IOException {
            TestConnection root = server.register("root");
            TestConnection bob = server.connect();
            bob.request(register("bob", root.request(new Admin.CreateInvitation(), Admin.InvitationCreated.class)
                    .code()), Accounts.LoggedIn.class);
            assertThat(bob.error(new Admin.CreateInvitation()).code()).isEqualTo(ErrorCode.FORBIDDEN);
        }

        @Test
        void aDataDirectoryWithAccountsGetsNoNewAdministrator() throws Exception {
            server.stop();
            // Accounts made while registration was open (an older server's data directory).
            server.restartWith("--registration", "open");
            assertThat(server.connect().request(register("ann", ""), Accounts.LoggedIn.class).admin()).isFalse();
            server.restartWith("--registration", "invite");
            assertThat(server.connect().error(register("bob", "")).code()).isEqualTo(ErrorCode.FORBIDDEN);
        }
    }

    @Nested
    class EveryoneMayInvite {

        @RegisterExtension
        final ParleyServerExtension server = new ParleyServerExtension().with("--registration", "invite",
                "--users-may-invite", "true");

        @Test
        void aUserInvitesAndTheLogSaysWho() throws IOException {
            TestConnection root = server.register("root");
            TestConnection bob = server.connect();
            bob.request(register("bob", root.request(new Admin.CreateInvitation(), Admin.InvitationCreated.class)
                    .code()), Accounts.LoggedIn.class);
            String code = bob.request(new Admin.CreateInvitation(), Admin.InvitationCreated.class).code();
            server.connect().request(register("carol", code), Accounts.LoggedIn.class);
            assertThat(bob.error(new Admin.ListInvitations()).code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(root.request(new Admin.ReadAuditLog(0, 10), Admin.AuditPage.class).entries().get(0).actor())
                    .isEqualTo("bob");
        }
    }

    @Nested
    class Closed {

        @RegisterExtension
        final ParleyServerExtension server = new ParleyServerExtension().with("--registration", "closed");

        @Test
        void onlyAdminsCreateAccounts() throws IOException {
            TestConnection root = server.connect();
            assertThat(root.request(register("root", ""), Accounts.LoggedIn.class).admin()).isTrue();
            Session.ErrorReply refused = server.connect().error(register("bob", ""));
            assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(refused.message()).contains("closed");
            // An invitation does not open a closed server.
            String code = root.request(new Admin.CreateInvitation(), Admin.InvitationCreated.class).code();
            assertThat(server.connect().error(register("bob", code)).code()).isEqualTo(ErrorCode.FORBIDDEN);

            root.request(new Admin.CreateAccount("Bob", "password-bob", "Bob Ray"), Session.Ok.class);
            Accounts.LoggedIn bob = server.connect().request(new Accounts.Login("bob", "password-bob", ""),
                    Accounts.LoggedIn.class);
            assertThat(bob.displayName()).isEqualTo("Bob Ray");
            assertThat(bob.admin()).isFalse();
            assertThat(root.error(new Admin.CreateAccount("bob", "password-bob", "")).code())
                    .isEqualTo(ErrorCode.USER_EXISTS);
            assertThat(root.error(new Admin.CreateAccount("carol", "password", "")).code())
                    .as("the password rules hold for admins too").isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }

    @Nested
    class Open {

        @RegisterExtension
        final ParleyServerExtension server = new ParleyServerExtension().with("--registration", "open");

        @Test
        void anyoneRegistersAndNobodyBecomesAdmin() throws IOException {
            assertThat(server.connect().request(register("ann", ""), Accounts.LoggedIn.class).admin()).isFalse();
            assertThat(server.connect().request(register("bob", "ignored"), Accounts.LoggedIn.class).admin())
                    .isFalse();
        }
    }

    /** A fresh server says, in its log and on the console, how its first (administrator) account is made. */
    @Test
    void aFreshServerSaysHowToCreateTheFirstAccount(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        try (ChildServer child = ChildServer.start(dir.resolve("data"), log, List.of(),
                List.of("--registration", "invite"))) {
            String hint = "the first account to register becomes its administrator";
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && !Files.readString(log).contains("First start: ")) {
                Thread.sleep(50);
            }
            String out = Files.readString(log);
            assertThat(out).contains("First start: this server has no accounts yet: " + hint);
            assertThat(out.split(hint, -1).length - 1).as("on the console and in the log (WARN)").isEqualTo(2);
        }
    }
}
