package org.parley.server.accounts;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Admin;
import org.parley.server.common.Caller;
import org.parley.server.common.Names;
import org.parley.server.common.ParleyException;
import org.parley.server.directory.Directory;
import org.parley.server.directory.DirectoryUnavailableException;
import org.parley.server.directory.DirectoryUser;
import org.parley.server.common.ClientLink;
import org.parley.server.common.OnlineUsers;
import org.parley.server.common.DuplicateKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration, password login, session resumption, logout and disabling accounts. Password checks are throttled
 * per account and per address before any hashing ({@link LoginThrottle}: spacing, then a lock), held without a
 * thread while they wait, and hashed on {@link PasswordChecks} (bounded, with a share kept for known addresses);
 * resumption is a hash look-up and runs on the caller's thread. With a {@link Directory}, users the directory knows
 * sign in with their directory password: checked on the directory's own bounded threads (a slow or absent directory
 * never holds the hashing threads nor a request thread), their account made at the first login and refreshed at each
 * (display name, administrator), and looked up again every few minutes while they hold sessions
 * ({@link #recheckDirectoryAccounts}).
 */
public final class AccountService {

    /** A logged-in session: the account, the token the client keeps (only its hash is stored) and its expiry. */
    public record Session(Account account, boolean admin, String token, byte[] tokenHash, long expiresAt) {

        public Accounts.LoggedIn toMessage() {
            return new Accounts.LoggedIn(account.name(), account.displayName(), token, expiresAt, admin);
        }
    }

    public static final long TOKEN_LIFETIME_MS = 30L * 24 * 3600 * 1000;
    /**
     * A resumed session's expiry is moved forward only once it has less than this much of its lifetime left
     * (so at most about once a day per device): a resume is then a read, not a write, and a reconnect storm of
     * thousands of clients does not write thousands of commits.
     */
    static final long TOKEN_EXTEND_AFTER_MS = 24L * 3600 * 1000;
    private static final int MAX_PASSWORD = AccountPolicy.MAX_PASSWORD;
    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

    private final AccountStore store;
    private final PasswordHasher hasher;
    private final OnlineUsers online;
    private final Set<String> admins;
    private final LoginThrottle throttle;
    private final PasswordChecks checks;
    private final AccountPolicy policy;
    private final PasswordRules rules;
    /** The organization's directory, or null when directory login is off. */
    private final Directory directory;
    /** The threads directory logins run on (bounded like {@link #checks}); null without a directory. */
    private final PasswordChecks directoryChecks;
    /** Whether only directory accounts may sign in ({@code ldap-only}). */
    private final boolean directoryOnly;
    private final SecureRandom random = new SecureRandom();
    /** Held while a server without accounts registers its first one (who becomes the administrator). */
    private final Object firstAccount = new Object();
    /** Hears a directory account whose display name the directory changed (pushed to whoever shows it). */
    private volatile java.util.function.Consumer<Account> displayNameChanged = a -> { };

    public AccountService(AccountStore store, PasswordHasher hasher, OnlineUsers online, Set<String> admins,
            LoginThrottle throttle, PasswordChecks checks, AccountPolicy policy) {
        this(store, hasher, online, admins, throttle, checks, policy, null, null, false);
    }

    /**
     * With directory login: {@code directory} checks the passwords of directory users on {@code directoryChecks};
     * with {@code directoryOnly}, local accounts no longer sign in, register nor are created.
     */
    public AccountService(AccountStore store, PasswordHasher hasher, OnlineUsers online, Set<String> admins,
            LoginThrottle throttle, PasswordChecks checks, AccountPolicy policy, Directory directory,
            PasswordChecks directoryChecks, boolean directoryOnly) {
        this.store = store;
        this.hasher = hasher;
        this.online = online;
        this.admins = admins;
        this.throttle = throttle;
        this.checks = checks;
        this.policy = policy;
        this.rules = new PasswordRules(policy.minPasswordLength());
        this.directory = directory;
        this.directoryChecks = directoryChecks;
        this.directoryOnly = directoryOnly;
    }

    public AccountPolicy policy() {
        return policy;
    }

    /**
     * Tells {@code listener} of each directory account whose display name the directory changed (at a login or the
     * periodic look-up), with the account as it is now.
     */
    public void onDisplayNameChanged(java.util.function.Consumer<Account> listener) {
        this.displayNameChanged = listener;
    }

    /**
     * Whether the server has no account yet and its policy is not {@code open}: the first account to register then
     * becomes the administrator (said at start-up, in the log and on the console).
     */
    public boolean awaitingFirstAccount() {
        return !directoryOnly && policy.registration() != AccountPolicy.Registration.OPEN && !store.anyAccount();
    }

    /** The start-up line that says how to create the first (administrator) account. */
    public static final String FIRST_ACCOUNT_HINT = "this server has no accounts yet: the first account to register "
            + "becomes its administrator (sign up in the client, or send Accounts.Register without an invitation "
            + "code); it then creates invitation codes (Admin.CreateInvitation) for everyone else";

    /**
     * Registers an account, as the registration policy allows: anyone ({@code open}); with a usable invitation
     * code ({@code invite}, the code used up with the account's creation); or nobody ({@code closed}). With
     * {@code invite} or {@code closed}, a server without accounts lets its first one register, and makes it an
     * administrator. The hash takes the same threads as password checks, with the same per-address limit on
     * checks under way; a registration is not a login, so it does not make its address known.
     */
    public CompletableFuture<Session> register(Accounts.Register r, InetAddress from) {
        if (directoryOnly) {
            throw directoryOnlyRefusal();
        }
        String name = Names.requireValid(r.user());
        String display = Names.shown(r.displayName(), Names.MAX_DISPLAY_NAME, "the display name");
        String password = rules.check(r.password(), name);
        String shown = display.isEmpty() ? name : display;
        boolean first = policy.registration() != AccountPolicy.Registration.OPEN && !store.anyAccount();
        byte[] code = null;
        if (policy.registration() != AccountPolicy.Registration.OPEN && !first) {
            if (policy.registration() == AccountPolicy.Registration.CLOSED) {
                throw new ParleyException(ErrorCode.FORBIDDEN,
                        "registration on this server is closed: an administrator creates accounts");
            }
            if (r.invitation() == null || r.invitation().isBlank()) {
                throw new ParleyException(ErrorCode.FORBIDDEN,
                        "registration on this server needs an invitation code: ask an administrator for one");
            }
            code = Codes.hash(r.invitation());
            if (!store.invitationUsable(code, System.currentTimeMillis())) {
                throw badInvitation();
            }
        }
        byte[] invitation = code;
        LoginThrottle.Ticket ticket = throttle.admitRegistration(LoginThrottle.addressKey(from));
        return throttled(ticket, () -> {
            String hash = hasher.hash(password);
            Account account;
            try {
                if (invitation != null) {
                    account = store.createInvited(name, shown, hash, invitation, System.currentTimeMillis())
                            .orElseThrow(AccountService::badInvitation);
                } else if (first) {
                    account = createFirst(name, shown, hash);
                } else {
                    account = store.create(name, shown, hash, false, System.currentTimeMillis());
                }
            } catch (DuplicateKeyException e) {
                throw new ParleyException(ErrorCode.USER_EXISTS, "the user name '" + name + "' is taken");
            }
            LOG.atInfo().addKeyValue("user", name).addKeyValue("invited", invitation != null)
                    .log("account registered");
            return newSession(account, r.device());
        });
    }

    /** The first account of a server without accounts, an administrator; if another came first, the policy holds. */
    private Account createFirst(String name, String shown, String hash) {
        synchronized (firstAccount) {
            if (!store.anyAccount()) {
                Account account = store.create(name, shown, hash, true, System.currentTimeMillis());
                LOG.atWarn().addKeyValue("user", name)
                        .log("first account registered: it is the server's administrator");
                return account;
            }
        }
        throw new ParleyException(ErrorCode.FORBIDDEN, policy.registration() == AccountPolicy.Registration.CLOSED
                ? "registration on this server is closed: an administrator creates accounts"
                : "registration on this server needs an invitation code: ask an administrator for one");
    }

    private static ParleyException badInvitation() {
        return new ParleyException(ErrorCode.FORBIDDEN,
                "the invitation code is not valid: unknown, already used, revoked or expired");
    }

    /**
     * Creates an account for an administrator (any registration policy). The hash runs on the password-check
     * threads, in the share kept for known addresses.
     */
    public CompletableFuture<Account> create(String user, String displayName, String password, boolean admin) {
        if (directoryOnly) {
            throw new ParleyException(ErrorCode.FORBIDDEN, "this server signs users in through the organization's "
                    + "directory only (ldap-only): accounts are made there, not here");
        }
        String name = Names.requireValid(user);
        String display = Names.shown(displayName, Names.MAX_DISPLAY_NAME, "the display name");
        String checked = rules.check(password, name);
        return checks.run(true, () -> {
            try {
                return store.create(name, display.isEmpty() ? name : display, hasher.hash(checked), admin,
                        System.currentTimeMillis());
            } catch (DuplicateKeyException e) {
                throw new ParleyException(ErrorCode.USER_EXISTS, "the user name '" + name + "' is taken");
            }
        });
    }

    /**
     * Changes the caller's password after checking the current one (throttled like a login: a wrong current
     * password counts as a failed login). Every other session of the account is revoked: tokens deleted,
     * connections closed with INVALID_TOKEN. {@code keepToken} is the hash of the asking session's token.
     */
    public CompletableFuture<Void> changePassword(Caller caller, byte[] keepToken, Accounts.ChangePassword r,
            InetAddress from) {
        String old = r.oldPassword() == null ? "" : r.oldPassword();
        if (old.length() > AccountPolicy.MAX_PASSWORD) {
            throw new ParleyException(ErrorCode.AUTHENTICATION_FAILED, "the current password is wrong");
        }
        if (store.findById(caller.accountId()).map(Account::fromDirectory).orElse(false)) {
            throw passwordInDirectory();
        }
        String password = rules.check(r.newPassword(), caller.userName());
        String address = LoginThrottle.addressKey(from);
        LoginThrottle.Ticket ticket = throttle.admit(caller.userName(), address);
        return throttled(ticket, () -> {
            Account account = store.findById(caller.accountId()).orElseThrow(
                    () -> new ParleyException(ErrorCode.INVALID_TOKEN, "the session has expired: log in again"));
            if (!hasher.verify(old, account.passwordHash())) {
                LOG.atInfo().addKeyValue("user", account.name()).addKeyValue("remote", address)
                        .log("password change refused: wrong current password");
                throw new ParleyException(ErrorCode.AUTHENTICATION_FAILED, "the current password is wrong");
            }
            if (hasher.verify(password, account.passwordHash())) {
                throw new ParleyException(ErrorCode.INVALID_ARGUMENT,
                        "the new password is the same as the current one");
            }
            store.setPasswordHash(account.id(), hasher.hash(password));
            store.deleteTokensOfExcept(account.id(), keepToken);
            closeSessions(account.id(), caller.link(), "the password was changed on another device: log in again");
            LOG.atInfo().addKeyValue("user", account.name()).log("password changed; other sessions revoked");
            return null;
        });
    }

    /**
     * Before login: sets a new password with a reset code an administrator made, revokes every session of the
     * account and logs the connection in. Throttled like a login (a wrong code counts as a failed login).
     */
    public CompletableFuture<Session> resetPassword(Accounts.ResetPassword r, InetAddress from) {
        String name = Names.canonical(r.user());
        String password = rules.check(r.newPassword(), name);
        byte[] code = Codes.hash(r.code());
        String address = LoginThrottle.addressKey(from);
        LoginThrottle.Ticket ticket = throttle.admit(name.isEmpty() ? "-" : name, address);
        return throttled(ticket, () -> {
            Account account = store.findByName(name).orElse(null);
            if (account == null || account.fromDirectory()) {
                throw failedReset(name, address);
            }
            if (account.disabled()) {
                throw new ParleyException(ErrorCode.ACCOUNT_DISABLED, "this account has been disabled");
            }
            if (!store.usePasswordReset(account.id(), code, System.currentTimeMillis(), hasher.hash(password))) {
                throw failedReset(name, address);
            }
            closeSessions(account.id(), null, "the password was reset: log in again");
            LOG.atInfo().addKeyValue("user", name).log("password reset with a code; all sessions revoked");
            return newSession(account, r.device());
        });
    }

    private static ParleyException failedReset(String name, String address) {
        LOG.atInfo().addKeyValue("user", name).addKeyValue("remote", address).log("password reset code refused");
        return new ParleyException(ErrorCode.AUTHENTICATION_FAILED,
                "the user name or the reset code is wrong, or the code was used or has expired");
    }

    /** Admin: a new one-time reset code for the user (replacing an unused one). */
    public Admin.PasswordResetCode createPasswordReset(String user) {
        Account account = existing(user);
        if (account.fromDirectory()) {
            throw new ParleyException(ErrorCode.CONFLICT, "'" + account.name() + "' signs in through the "
                    + "organization's directory: their password is reset there, not with a code");
        }
        String code = Codes.newCode();
        long now = System.currentTimeMillis();
        long expires = now + policy.resetMillis();
        store.savePasswordReset(account.id(), Codes.hash(code), now, expires);
        return new Admin.PasswordResetCode(account.name(), code, expires);
    }

    /** The account of this name, or UNKNOWN_USER. */
    public Account existing(String user) {
        String name = Names.canonical(user);
        return store.findByName(name)
                .orElseThrow(() -> new ParleyException(ErrorCode.UNKNOWN_USER, "no user " + Names.quoted(name)));
    }

    /** Closes the account's connections except {@code except} (null: all), telling them their token is gone. */
    private void closeSessions(long accountId, ClientLink except, String reason) {
        online.closeAll(accountId, except, ErrorCode.INVALID_TOKEN, reason);
    }

    /**
     * Checks a password, after the throttle admitted it (LOGIN_LOCKED or RATE_LIMITED at once otherwise) and after
     * the delay it set, without holding a thread meanwhile.
     */
    public CompletableFuture<Session> login(Accounts.Login r, InetAddress from) {
        String name = Names.canonical(r.user());
        String password = r.password() == null ? "" : r.password();
        if (password.length() > MAX_PASSWORD) {
            throw new ParleyException(ErrorCode.AUTHENTICATION_FAILED, "wrong user name or password");
        }
        String address = LoginThrottle.addressKey(from);
        // Which check: a local account's password is Parley's; anyone else's (with a directory) is the directory's.
        // Read here, before the throttle's delay: an indexed look-up, as a resume does on this thread.
        boolean viaDirectory = directory != null && store.findByName(name)
                .map(a -> a.fromDirectory() || directoryOnly).orElse(true);
        LoginThrottle.Ticket ticket = throttle.admit(name.isEmpty() ? "-" : name, address);
        if (viaDirectory) {
            return throttled(ticket, directoryChecks, () -> directoryLogin(name, password, address, r.device()));
        }
        return throttled(ticket, checks, () -> {
            Account account = store.findByName(name).orElse(null);
            if (account == null) {
                hasher.verifyDummy(password);
                throw failed(name, address, "unknown user");
            }
            if (!hasher.verify(password, account.passwordHash())) {
                throw failed(name, address, "wrong password");
            }
            if (account.disabled()) {
                throw new ParleyException(ErrorCode.ACCOUNT_DISABLED, "this account has been disabled");
            }
            return newSession(account, r.device());
        });
    }

    /**
     * A login checked by the directory (on a directory thread): the password is the directory's; the account is
     * made at the first login and its display name and administrator flag follow the directory at each.
     */
    private Session directoryLogin(String name, String password, String address, String device) {
        if (password.isEmpty()) {
            throw failed(name, address, "empty password"); // never sent: it would be an anonymous bind
        }
        if (!Names.isValid(name)) {
            throw failed(name, address, "not a valid user name"); // no account could have it
        }
        Account existing = store.findByName(name).orElse(null);
        if (existing != null && !existing.fromDirectory()) {
            // ldap-only: local accounts no longer sign in.
            throw failed(name, address, "local account while ldap-only is set");
        }
        DirectoryUser user;
        try {
            user = directory.authenticate(name, password).orElse(null);
        } catch (DirectoryUnavailableException e) {
            throw new ParleyException(ErrorCode.UNAVAILABLE, "the organization's directory cannot be reached just "
                    + "now: try again in a few minutes (the server's administrator sees why in its log)");
        }
        if (user == null) {
            throw failed(name, address, "refused by the directory (unknown or disabled user, or wrong password)");
        }
        Account account = fromDirectory(name, user);
        if (account.disabled()) {
            throw new ParleyException(ErrorCode.ACCOUNT_DISABLED, "this account has been disabled");
        }
        return newSession(account, device);
    }

    /** The account of a user the directory just vouched for: made now if new, else brought up to date. */
    private Account fromDirectory(String name, DirectoryUser user) {
        String shown = shownName(name, user.displayName());
        Account account = store.findByName(name).orElse(null);
        if (account == null) {
            try {
                account = store.createFromDirectory(name, shown, user.dn(), directory.mapsAdmins() && user.admin(),
                        System.currentTimeMillis());
                LOG.atInfo().addKeyValue("user", name).addKeyValue("dn", user.dn())
                        .addKeyValue("admin", account.admin()).log("directory account created at its first login");
                return account;
            } catch (DuplicateKeyException e) {
                account = store.findByName(name).orElseThrow(() -> e);
            }
        }
        if (!account.fromDirectory()) {
            // A local account took the name meanwhile: the directory user does not take it over.
            throw new ParleyException(ErrorCode.CONFLICT, "the user name '" + name + "' belongs to a local account "
                    + "of this server, not to your directory entry: ask the server's administrator");
        }
        return refreshed(account, user);
    }

    /** The directory account with the directory's display name, DN and (if it says) administrator flag. */
    private Account refreshed(Account account, DirectoryUser user) {
        String shown = shownName(account.name(), user.displayName());
        boolean admin = directory.mapsAdmins() ? user.admin() : account.admin();
        if (shown.equals(account.displayName()) && user.dn().equals(account.directoryDn()) && admin == account.admin()) {
            return account;
        }
        store.updateFromDirectory(account.id(), shown, user.dn(), admin);
        LOG.atInfo().addKeyValue("user", account.name()).addKeyValue("admin", admin)
                .log("directory account updated from its entry");
        Account now = new Account(account.id(), account.name(), shown, account.passwordHash(), account.disabled(),
                admin, account.createdAt(), user.dn());
        if (!shown.equals(account.displayName())) {
            displayNameChanged.accept(now);
        }
        return now;
    }

    /** The directory's display name as Parley shows names (bounded, nothing invisible), else the user name. */
    private static String shownName(String name, String fromDirectory) {
        String s = fromDirectory == null ? "" : fromDirectory.strip();
        if (s.length() > Names.MAX_DISPLAY_NAME) {
            s = s.substring(0, Names.MAX_DISPLAY_NAME).strip();
        }
        if (s.isEmpty() || Names.hidden(s) >= 0) {
            return name;
        }
        return s;
    }

    /**
     * Looks the directory accounts that hold sessions up again: one the user filter no longer finds (disabled,
     * locked or deleted in the directory) loses every session and its connections close with ACCOUNT_DISABLED;
     * the others get the directory's display name and administrator flag. Runs every {@code ldap-recheck-seconds}
     * on its own thread; if the directory cannot be asked, nothing changes until the next round. Returns how many
     * accounts lost their sessions.
     */
    public int recheckDirectoryAccounts() {
        if (directory == null) {
            return 0;
        }
        int revoked = 0;
        long after = 0;
        while (true) {
            List<Account> page = store.directoryAccountsWithSessions(after, 100);
            if (page.isEmpty()) {
                return revoked;
            }
            Map<String, DirectoryUser> found;
            try {
                found = directory.lookup(page.stream().map(Account::name).toList());
            } catch (DirectoryUnavailableException e) {
                LOG.atWarn().addKeyValue("error", e.getMessage())
                        .log("directory accounts not checked again: the directory cannot be asked");
                return revoked;
            }
            for (Account a : page) {
                DirectoryUser user = found.get(a.name());
                if (user == null) {
                    store.deleteTokensOf(a.id());
                    online.closeAll(a.id(), null, ErrorCode.ACCOUNT_DISABLED, "your account was disabled or "
                            + "removed in the organization's directory");
                    LOG.atInfo().addKeyValue("user", a.name()).addKeyValue("dn", a.directoryDn())
                            .log("directory user no longer found: sessions revoked");
                    revoked++;
                } else {
                    refreshed(a, user);
                }
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private static ParleyException passwordInDirectory() {
        return new ParleyException(ErrorCode.FORBIDDEN, "your password is kept by your organization's directory: "
                + "change it there");
    }

    private static ParleyException directoryOnlyRefusal() {
        return new ParleyException(ErrorCode.FORBIDDEN, "this server signs users in through the organization's "
                + "directory only: sign in with your directory user name and password");
    }

    /** Runs {@code check} on the hashing threads once the ticket's delay has passed, and tells the throttle. */
    private <T> CompletableFuture<T> throttled(LoginThrottle.Ticket ticket, Supplier<T> check) {
        return throttled(ticket, checks, check);
    }

    /** Runs {@code check} on {@code pool} once the ticket's delay has passed, and tells the throttle. */
    private <T> CompletableFuture<T> throttled(LoginThrottle.Ticket ticket, PasswordChecks pool, Supplier<T> check) {
        CompletableFuture<T> result;
        try {
            CompletableFuture<Void> wait = new CompletableFuture<>();
            if (ticket.delayMillis() == 0) {
                wait.complete(null);
            } else {
                // The JDK's delay scheduler thread only completes the future; the check goes to the hashing queue.
                CompletableFuture.delayedExecutor(ticket.delayMillis(), TimeUnit.MILLISECONDS, Runnable::run)
                        .execute(() -> wait.complete(null));
            }
            result = wait.thenCompose(x -> pool.run(ticket.knownAddress(), check));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        // Counted before the client hears the answer: its next attempt sees this one's outcome.
        return result.whenComplete((x, error) -> throttle.finish(ticket, outcome(error)));
    }

    private static LoginThrottle.Outcome outcome(Throwable error) {
        if (error == null) {
            return LoginThrottle.Outcome.SUCCEEDED;
        }
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof ParleyException p && p.code() == ErrorCode.AUTHENTICATION_FAILED
                ? LoginThrottle.Outcome.FAILED : LoginThrottle.Outcome.NOT_COUNTED;
    }

    private static ParleyException failed(String name, String address, String why) {
        LOG.atInfo().addKeyValue("user", name).addKeyValue("remote", address).addKeyValue("reason", why)
                .log("login failed");
        return new ParleyException(ErrorCode.AUTHENTICATION_FAILED, "wrong user name or password");
    }

    /**
     * Resumes a session by its token and extends its expiry (sliding). Never throttled (a token is 256 random bits,
     * and checking one is a look-up): the owner of a locked account still gets in with it.
     */
    public Session resume(Accounts.Resume r, InetAddress from) {
        byte[] hash = hashToken(r.token());
        // One read for the token and its account (a token's account always exists: tokens go with it).
        AccountStore.TokenOwner owner = store.findTokenOwner(hash).orElse(null);
        long now = System.currentTimeMillis();
        if (owner == null || owner.token().expiresAt() < now) {
            throw new ParleyException(ErrorCode.INVALID_TOKEN, "the session has expired: log in again");
        }
        SessionToken token = owner.token();
        Account account = owner.account();
        if (account.disabled()) {
            throw new ParleyException(ErrorCode.ACCOUNT_DISABLED, "this account has been disabled");
        }
        if (directoryOnly && !account.fromDirectory()) {
            throw new ParleyException(ErrorCode.INVALID_TOKEN, "this server signs users in through the "
                    + "organization's directory only: sign in with your directory user name and password");
        }
        long expires = token.expiresAt();
        if (expires < now + TOKEN_LIFETIME_MS - TOKEN_EXTEND_AFTER_MS) {
            expires = now + TOKEN_LIFETIME_MS;
            store.extendToken(hash, expires);
        }
        throttle.resumed(account.name(), LoginThrottle.addressKey(from));
        return new Session(account, isAdmin(account), r.token(), hash, expires);
    }

    /** Revokes the token of a session that logs out. */
    public void logout(byte[] tokenHash) {
        store.deleteToken(tokenHash);
    }

    /** Disables an account (also used by the offline admin command). */
    public void disable(String user) {
        String name = Names.canonical(user);
        Account account = store.findByName(name)
                .orElseThrow(() -> new ParleyException(ErrorCode.UNKNOWN_USER, "no user " + Names.quoted(name)));
        store.setDisabled(account.id(), true);
        store.deleteTokensOf(account.id());
        online.closeAll(account.id(), null, ErrorCode.ACCOUNT_DISABLED,
                "this account has been disabled by an administrator");
        LOG.atInfo().addKeyValue("user", name).log("account disabled");
    }

    /** Enables a disabled account (its owner logs in again with the password). */
    public void enable(String user) {
        Account account = existing(user);
        store.setDisabled(account.id(), false);
        LOG.atInfo().addKeyValue("user", account.name()).log("account enabled");
    }

    /** Whether the account is an administrator now (its flag, or the {@code admins} setting). */
    public boolean isAdminNow(long accountId) {
        return store.findById(accountId).map(a -> !a.disabled() && isAdmin(a)).orElse(false);
    }

    /**
     * Whether the directory decides that this account is an administrator or not ({@code ldap-admin-group},
     * {@code ldap-admin-filter}).
     */
    public boolean adminByDirectory(Account account) {
        return account.fromDirectory() && directory != null && directory.mapsAdmins();
    }

    /** Whether the setting {@code admins} names the user (such an administrator cannot be unmade by a request). */
    public boolean adminBySetting(String name) {
        return admins.contains(name);
    }

    private boolean isAdmin(Account account) {
        return account.admin() || admins.contains(account.name());
    }

    private Session newSession(Account account, String device) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byte[] hash = hashToken(token);
        long now = System.currentTimeMillis();
        long expires = now + TOKEN_LIFETIME_MS;
        store.saveToken(new SessionToken(hash, account.id(), Names.text(device, 100, "the device name"), now,
                expires));
        return new Session(account, isAdmin(account), token, hash, expires);
    }

    static byte[] hashToken(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(
                    (token == null ? "" : token).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
