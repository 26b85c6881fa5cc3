package org.parley.server.accounts;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Accounts;
import org.parley.server.common.Caller;
import org.parley.server.common.Names;
import org.parley.server.common.ParleyException;
import org.parley.server.presence.ClientLink;
import org.parley.server.presence.OnlineUsers;
import org.parley.server.storage.DuplicateKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration, password login, session resumption, logout and disabling accounts. Password checks are throttled
 * per account and per address before any hashing ({@link LoginThrottle}: spacing, then a lock), held without a
 * thread while they wait, and hashed on {@link PasswordChecks} (bounded, with a share kept for known addresses);
 * resumption is a hash look-up and runs on the caller's thread.
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
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

    private final AccountStore store;
    private final PasswordHasher hasher;
    private final OnlineUsers online;
    private final Set<String> admins;
    private final LoginThrottle throttle;
    private final PasswordChecks checks;
    private final SecureRandom random = new SecureRandom();

    public AccountService(AccountStore store, PasswordHasher hasher, OnlineUsers online, Set<String> admins,
            LoginThrottle throttle, PasswordChecks checks) {
        this.store = store;
        this.hasher = hasher;
        this.online = online;
        this.admins = admins;
        this.throttle = throttle;
        this.checks = checks;
    }

    /**
     * Registers an account. Its hash takes the same threads as password checks, with the same per-address limit
     * on checks under way; a registration is not a login, so it does not make its address known.
     */
    public CompletableFuture<Session> register(Accounts.Register r, InetAddress from) {
        String name = Names.requireValid(r.user());
        String display = Names.shown(r.displayName(), Names.MAX_DISPLAY_NAME, "the display name");
        String password = checkPassword(r.password());
        LoginThrottle.Ticket ticket = throttle.admitRegistration(LoginThrottle.addressKey(from));
        return throttled(ticket, () -> {
            String hash = hasher.hash(password);
            Account account;
            try {
                account = store.create(name, display.isEmpty() ? name : display, hash, false,
                        System.currentTimeMillis());
            } catch (DuplicateKeyException e) {
                throw new ParleyException(ErrorCode.USER_EXISTS, "the user name '" + name + "' is taken");
            }
            LOG.atInfo().addKeyValue("user", name).log("account registered");
            return newSession(account, r.device());
        });
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
        LoginThrottle.Ticket ticket = throttle.admit(name.isEmpty() ? "-" : name, address);
        return throttled(ticket, () -> {
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

    /** Runs {@code check} once the ticket's delay has passed, and tells the throttle what it found. */
    private <T> CompletableFuture<T> throttled(LoginThrottle.Ticket ticket, Supplier<T> check) {
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
            result = wait.thenCompose(x -> checks.run(ticket.knownAddress(), check));
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
        SessionToken token = store.findToken(hash).orElse(null);
        long now = System.currentTimeMillis();
        if (token == null || token.expiresAt() < now) {
            throw new ParleyException(ErrorCode.INVALID_TOKEN, "the session has expired: log in again");
        }
        Account account = store.findById(token.accountId()).orElseThrow(
                () -> new ParleyException(ErrorCode.INVALID_TOKEN, "the session has expired: log in again"));
        if (account.disabled()) {
            throw new ParleyException(ErrorCode.ACCOUNT_DISABLED, "this account has been disabled");
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

    /** Admin request: disables an account, revokes its tokens, closes its connections. */
    public void disable(Caller caller, String user) {
        if (!caller.admin()) {
            throw new ParleyException(ErrorCode.FORBIDDEN, "only administrators can disable accounts");
        }
        disable(user);
    }

    /** Disables an account (also used by the offline admin command). */
    public void disable(String user) {
        String name = Names.canonical(user);
        Account account = store.findByName(name)
                .orElseThrow(() -> new ParleyException(ErrorCode.UNKNOWN_USER, "no user '" + name + "'"));
        store.setDisabled(account.id(), true);
        store.deleteTokensOf(account.id());
        for (ClientLink link : online.linksOf(account.id())) {
            link.close(ErrorCode.ACCOUNT_DISABLED, "this account has been disabled by an administrator");
        }
        LOG.atInfo().addKeyValue("user", name).log("account disabled");
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

    private static String checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT,
                    "a password needs at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "a password may have at most " + MAX_PASSWORD
                    + " characters");
        }
        return password;
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
