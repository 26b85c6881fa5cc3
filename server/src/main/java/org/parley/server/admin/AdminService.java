package org.parley.server.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.accounts.Account;
import org.parley.server.accounts.AccountService;
import org.parley.server.accounts.AccountStore;
import org.parley.server.accounts.Codes;
import org.parley.server.accounts.Invitation;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.Names;
import org.parley.server.common.ParleyException;

/**
 * The admin requests about accounts, invitations and the audit log ({@link AdminConsole} has those about users,
 * groups and the server's status). Each checks that the caller is an administrator now ({@link AdminGuard}) and
 * answers FORBIDDEN otherwise; {@link Admin.CreateInvitation} is open to every user when {@code users-may-invite} is set. Every
 * change is written to the audit log (who, what, when, to whom).
 */
public final class AdminService {

    static final int MAX_INVITATIONS_LISTED = 500;
    static final int MAX_AUDIT_PAGE = 200;

    private final AccountService accounts;
    private final AccountStore store;
    private final AuditStore audit;
    private final AdminGuard guard;

    public AdminService(AccountService accounts, AccountStore store, AuditStore audit, AdminGuard guard) {
        this.accounts = accounts;
        this.store = store;
        this.audit = audit;
        this.guard = guard;
    }

    public void register(Handlers h) {
        h.on(Admin.CreateInvitation.class, (c, r) -> done(createInvitation(c)));
        h.on(Admin.ListInvitations.class, (c, r) -> done(listInvitations(c)));
        h.on(Admin.RevokeInvitation.class, (c, r) -> done(revokeInvitation(c, r.id())));
        h.on(Admin.CreateAccount.class, this::createAccount);
        h.on(Admin.CreatePasswordReset.class, (c, r) -> done(createPasswordReset(c, r.user())));
        h.on(Admin.SetAdmin.class, (c, r) -> done(setAdmin(c, r.user(), r.admin())));
        h.on(Admin.EnableAccount.class, (c, r) -> done(enable(c, r.user())));
        h.on(Accounts.DisableAccount.class, (c, r) -> done(disable(c, r.user())));
        h.on(Admin.ReadAuditLog.class, (c, r) -> done(readAuditLog(c, r.beforeId(), r.limit())));
    }

    private static <T extends Message> CompletableFuture<Message> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private void requireAdmin(Caller caller, String what) {
        guard.requireAdmin(caller, what);
    }

    private void record(Caller caller, String action, String target, String detail) {
        guard.record(caller, action, target, detail);
    }

    private Admin.InvitationCreated createInvitation(Caller caller) {
        if (!accounts.policy().usersMayInvite()) {
            requireAdmin(caller, "create invitations");
        }
        String code = Codes.newCode();
        long now = System.currentTimeMillis();
        Invitation i = store.createInvitation(Codes.hash(code), caller.accountId(), now,
                now + accounts.policy().invitationMillis());
        record(caller, "create-invitation", "invitation " + i.id(), "expires " + java.time.Instant.ofEpochMilli(
                i.expiresAt()));
        return new Admin.InvitationCreated(i.id(), code, i.expiresAt());
    }

    private Admin.InvitationList listInvitations(Caller caller) {
        requireAdmin(caller, "list invitations");
        List<Invitation> list = store.invitations(MAX_INVITATIONS_LISTED);
        Set<Long> ids = new HashSet<>();
        for (Invitation i : list) {
            ids.add(i.createdBy());
            if (i.usedBy() != 0) {
                ids.add(i.usedBy());
            }
        }
        Map<Long, Account> byId = store.findByIds(ids);
        List<Admin.InvitationInfo> out = new ArrayList<>();
        for (Invitation i : list) {
            out.add(new Admin.InvitationInfo(i.id(), name(byId, i.createdBy()), i.createdAt(), i.expiresAt(),
                    i.usedBy() == 0 ? "" : name(byId, i.usedBy()), i.usedAt(), i.revoked()));
        }
        return new Admin.InvitationList(out);
    }

    private static String name(Map<Long, Account> byId, long id) {
        Account a = byId.get(id);
        return a == null ? "" : a.name();
    }

    private Session.Ok revokeInvitation(Caller caller, long id) {
        requireAdmin(caller, "revoke invitations");
        if (!store.revokeInvitation(id)) {
            throw new ParleyException(ErrorCode.CONFLICT,
                    "no usable invitation " + id + " (unknown, used or revoked already)");
        }
        record(caller, "revoke-invitation", "invitation " + id, "");
        return new Session.Ok();
    }

    private CompletionStage<Message> createAccount(Caller caller, Admin.CreateAccount r) {
        requireAdmin(caller, "create accounts");
        return accounts.create(r.user(), r.displayName(), r.password(), false).thenApply(a -> {
            record(caller, "create-account", a.name(), "");
            return new Session.Ok();
        });
    }

    private Admin.PasswordResetCode createPasswordReset(Caller caller, String user) {
        requireAdmin(caller, "reset passwords");
        Admin.PasswordResetCode code = accounts.createPasswordReset(user);
        record(caller, "reset-password", code.user(), "code expires " + java.time.Instant.ofEpochMilli(
                code.expiresAt()));
        return code;
    }

    private Session.Ok setAdmin(Caller caller, String user, boolean admin) {
        requireAdmin(caller, "make or unmake administrators");
        Account account = accounts.existing(user);
        if (!admin && account.id() == caller.accountId()) {
            throw new ParleyException(ErrorCode.CONFLICT,
                    "you cannot remove your own administrator rights (another administrator can)");
        }
        if (!admin && accounts.adminBySetting(account.name())) {
            throw new ParleyException(ErrorCode.CONFLICT, "'" + account.name()
                    + "' is an administrator by the server setting admins: change the setting instead");
        }
        if (accounts.adminByDirectory(account)) {
            throw new ParleyException(ErrorCode.CONFLICT, "'" + account.name() + "' signs in through the "
                    + "organization's directory, which decides who is an administrator (ldap-admin-group, "
                    + "ldap-admin-filter): change it there instead");
        }
        store.setAdmin(account.id(), admin);
        record(caller, admin ? "make-admin" : "unmake-admin", account.name(), "");
        return new Session.Ok();
    }

    private Session.Ok enable(Caller caller, String user) {
        requireAdmin(caller, "enable accounts");
        accounts.enable(user);
        record(caller, "enable-account", Names.canonical(user), "");
        return new Session.Ok();
    }

    private Session.Ok disable(Caller caller, String user) {
        requireAdmin(caller, "disable accounts");
        if (Names.canonical(user).equals(caller.userName())) {
            throw new ParleyException(ErrorCode.CONFLICT,
                    "you cannot disable your own account (another administrator can)");
        }
        accounts.disable(user);
        record(caller, "disable-account", Names.canonical(user), "");
        return new Session.Ok();
    }

    private Admin.AuditPage readAuditLog(Caller caller, long beforeId, int limit) {
        requireAdmin(caller, "read the audit log");
        if (limit < 0 || limit > MAX_AUDIT_PAGE) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT,
                    "limit must be between 1 and " + MAX_AUDIT_PAGE + " (0 = 50)");
        }
        int n = limit == 0 ? 50 : limit;
        List<AuditEntry> rows = audit.page(beforeId, n + 1);
        List<Admin.AuditEntry> out = new ArrayList<>();
        for (AuditEntry e : rows.subList(0, Math.min(n, rows.size()))) {
            out.add(new Admin.AuditEntry(e.id(), e.at(), e.actor(), e.action(), e.target(), e.detail()));
        }
        return new Admin.AuditPage(out, rows.size() > n);
    }
}
