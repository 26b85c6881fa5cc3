package org.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ParleyServerExtension;
import org.parley.server.testing.TestConnection;

/** The admin requests: FORBIDDEN for everyone else, and each one written to the audit log. */
class AdminIT {

    @RegisterExtension
    final ParleyServerExtension server = onStorage(new ParleyServerExtension().with("--registration", "invite"));

    /** The storage the server runs on: H2 here; {@link AdminOnPostgresqlIT} runs these tests on PostgreSQL. */
    ParleyServerExtension onStorage(ParleyServerExtension extension) {
        return extension;
    }

    /** The first account of the fresh (invite) server: its administrator. */
    private TestConnection root() throws IOException {
        TestConnection root = server.connect();
        assertThat(root.request(new Accounts.Register("root", "password-root", "", ""), Accounts.LoggedIn.class)
                .admin()).isTrue();
        return root;
    }

    private TestConnection invite(TestConnection admin, String user) throws IOException {
        String code = admin.request(new Admin.CreateInvitation(), Admin.InvitationCreated.class).code();
        TestConnection c = server.connect();
        c.request(new Accounts.Register(user, "password-" + user, "", "", code), Accounts.LoggedIn.class);
        return c;
    }

    @Test
    void everyAdminRequestIsForbiddenToOthers() throws IOException {
        TestConnection root = root();
        TestConnection ann = invite(root, "ann");
        invite(root, "bob");
        long invitation = root.request(new Admin.CreateInvitation(), Admin.InvitationCreated.class).id();
        int audited = root.request(new Admin.ReadAuditLog(0, 200), Admin.AuditPage.class).entries().size();

        Map<String, Message> requests = Map.of("create invitation", new Admin.CreateInvitation(),
                "list invitations", new Admin.ListInvitations(), "revoke invitation",
                new Admin.RevokeInvitation(invitation), "create account",
                new Admin.CreateAccount("carol", "password-carol", ""), "reset password",
                new Admin.CreatePasswordReset("bob"), "make admin", new Admin.SetAdmin("ann", true),
                "enable", new Admin.EnableAccount("bob"), "disable", new Accounts.DisableAccount("bob"),
                "audit log", new Admin.ReadAuditLog(0, 10));
        requests.forEach((what, request) -> {
            Session.ErrorReply e = ann.error(request);
            assertThat(e.code()).as(what).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.message()).as(what).startsWith("only administrators can");
        });
        assertThat(root.request(new Admin.ReadAuditLog(0, 200), Admin.AuditPage.class).entries())
                .as("refusals change nothing").hasSize(audited);
        server.connect().request(new Accounts.Login("bob", "password-bob", ""), Accounts.LoggedIn.class);
        assertThat(server.connect().error(new Accounts.Login("carol", "password-carol", "")).code())
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    }

    @Test
    void everyAdminActionIsAuditedNewestFirstInPages() throws IOException {
        TestConnection root = root();
        TestConnection ann = invite(root, "ann");
        TestConnection bob = invite(root, "bob");
        long started = System.currentTimeMillis();
        long invitation = root.request(new Admin.CreateInvitation(), Admin.InvitationCreated.class).id();
        root.request(new Admin.RevokeInvitation(invitation), Session.Ok.class);
        root.request(new Admin.CreateAccount("carol", "password-carol", "Carol"), Session.Ok.class);
        root.request(new Admin.CreatePasswordReset("carol"), Admin.PasswordResetCode.class);
        root.request(new Admin.SetAdmin("ann", true), Session.Ok.class);
        root.request(new Accounts.DisableAccount("bob"), Session.Ok.class);
        assertThat(bob.awaitPush(Session.ErrorReply.class).code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
        root.request(new Admin.EnableAccount("bob"), Session.Ok.class);
        server.connect().request(new Accounts.Login("bob", "password-bob", ""), Accounts.LoggedIn.class);
        // ann is an administrator at once, without logging in again; and unmade at once.
        ann.request(new Admin.ListInvitations(), Admin.InvitationList.class);
        ann.request(new Admin.SetAdmin("ann", true), Session.Ok.class);
        root.request(new Admin.SetAdmin("ann", false), Session.Ok.class);
        assertThat(ann.error(new Admin.ListInvitations()).code()).isEqualTo(ErrorCode.FORBIDDEN);

        Admin.AuditPage first = root.request(new Admin.ReadAuditLog(0, 4), Admin.AuditPage.class);
        assertThat(first.more()).isTrue();
        Admin.AuditPage second = root.request(new Admin.ReadAuditLog(first.entries().get(3).id(), 200),
                Admin.AuditPage.class);
        assertThat(second.more()).isFalse();
        List<Admin.AuditEntry> all = new java.util.ArrayList<>(first.entries());
        all.addAll(second.entries());
        assertThat(all).extracting(e -> e.actor() + " " + e.action() + " " + e.target()).containsExactly(
                "root unmake-admin ann", "ann make-admin ann", "root enable-account bob",
                "root disable-account bob", "root make-admin ann", "root reset-password carol",
                "root create-account carol", "root revoke-invitation invitation " + invitation,
                "root create-invitation invitation " + invitation, "root create-invitation invitation 2",
                "root create-invitation invitation 1");
        assertThat(all.get(0).at()).isGreaterThanOrEqualTo(started);
        assertThat(all).extracting(Admin.AuditEntry::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));

        assertThat(root.error(new Admin.ReadAuditLog(0, 201)).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void anAdminCannotLockThemselvesOut() throws IOException {
        TestConnection root = root();
        assertThat(root.error(new Admin.SetAdmin("root", false)).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(root.error(new Accounts.DisableAccount("root")).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(root.error(new Admin.SetAdmin("nobody", true)).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
        assertThat(root.error(new Admin.CreatePasswordReset("nobody")).code()).isEqualTo(ErrorCode.UNKNOWN_USER);
        root.request(new Admin.ListInvitations(), Admin.InvitationList.class);
    }
}
