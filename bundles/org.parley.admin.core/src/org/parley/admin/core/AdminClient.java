package org.parley.admin.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.parley.client.core.ParleyClient;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;

/**
 * The server's admin requests over a {@link ParleyClient}'s connection (docs/protocol.md, "Admin"). Every future
 * completes on a client thread; it fails with the server's error (FORBIDDEN for a caller who is not an
 * administrator) as {@link ParleyClient#request} does.
 */
public final class AdminClient {

    private final ParleyClient client;

    public AdminClient(ParleyClient client) {
        this.client = client;
    }

    /** Whether the signed-in account is an administrator (as the server said at login). */
    public boolean isAdmin() {
        Accounts.LoggedIn session = client.session();
        return session != null && session.admin();
    }

    private <T extends Message> CompletableFuture<T> call(Message request, Class<T> reply) {
        return client.request(request).thenApply(reply::cast);
    }

    private CompletableFuture<Void> ok(Message request) {
        return call(request, Session.Ok.class).thenApply(x -> null);
    }

    // ---- users

    /** A page of accounts (disabled ones included), by name, after {@code afterUser} ("" = from the first). */
    public CompletableFuture<Admin.UserPage> users(String query, String afterUser, int limit) {
        return call(new Admin.ListUsers(query, afterUser, limit), Admin.UserPage.class);
    }

    public CompletableFuture<Void> createAccount(String user, String password, String displayName) {
        return ok(new Admin.CreateAccount(user, password, displayName));
    }

    /** Disables an account: its sessions are revoked and its connections closed at once. */
    public CompletableFuture<Void> disable(String user) {
        return ok(new Accounts.DisableAccount(user));
    }

    public CompletableFuture<Void> enable(String user) {
        return ok(new Admin.EnableAccount(user));
    }

    /** A one-time password reset code for the user (shown only this once). */
    public CompletableFuture<Admin.PasswordResetCode> resetPassword(String user) {
        return call(new Admin.CreatePasswordReset(user), Admin.PasswordResetCode.class);
    }

    public CompletableFuture<Void> setAdmin(String user, boolean admin) {
        return ok(new Admin.SetAdmin(user, admin));
    }

    // ---- invitations

    public CompletableFuture<Admin.InvitationCreated> createInvitation() {
        return call(new Admin.CreateInvitation(), Admin.InvitationCreated.class);
    }

    public CompletableFuture<List<Admin.InvitationInfo>> invitations() {
        return call(new Admin.ListInvitations(), Admin.InvitationList.class).thenApply(Admin.InvitationList::invitations);
    }

    public CompletableFuture<Void> revokeInvitation(long id) {
        return ok(new Admin.RevokeInvitation(id));
    }

    // ---- groups, status, audit log

    /** A page of groups with their members, by id, after {@code afterId} (0 = from the first). */
    public CompletableFuture<Admin.GroupPage> groups(long afterId, int limit) {
        return call(new Admin.ListGroups(afterId, limit), Admin.GroupPage.class);
    }

    /** Deletes a group for everyone, with its messages and files. */
    public CompletableFuture<Void> deleteGroup(long id) {
        return ok(new Admin.DeleteGroup(id));
    }

    public CompletableFuture<Admin.ServerStatus> status() {
        return call(new Admin.GetServerStatus(), Admin.ServerStatus.class);
    }

    /** A page of the audit log, newest first, before {@code beforeId} (0 = from the newest). */
    public CompletableFuture<Admin.AuditPage> auditLog(long beforeId, int limit) {
        return call(new Admin.ReadAuditLog(beforeId, limit), Admin.AuditPage.class);
    }
}
