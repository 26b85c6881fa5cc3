package org.parley.server.admin;

import org.parley.protocol.ErrorCode;
import org.parley.server.accounts.AccountService;
import org.parley.server.common.Caller;
import org.parley.server.common.ParleyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every admin request does first and last: checks that the caller is an administrator now (the account's
 * flag or the setting {@code admins}, read at each request, so that unmaking an admin takes effect at once;
 * FORBIDDEN otherwise), and writes each change to the audit log (who, what, when, to whom).
 */
public final class AdminGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AdminGuard.class);

    private final AccountService accounts;
    private final AuditStore audit;

    public AdminGuard(AccountService accounts, AuditStore audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    /** FORBIDDEN ("only administrators can {@code what}") unless the caller is an administrator now. */
    void requireAdmin(Caller caller, String what) {
        if (!accounts.isAdminNow(caller.accountId())) {
            throw new ParleyException(ErrorCode.FORBIDDEN, "only administrators can " + what);
        }
    }

    /** Writes an action to the audit log (and the server log). */
    void record(Caller caller, String action, String target, String detail) {
        audit.append(System.currentTimeMillis(), caller.userName(), action, target, detail);
        LOG.atInfo().addKeyValue("admin", caller.userName()).addKeyValue("action", action)
                .addKeyValue("target", target).log("admin action");
    }
}
