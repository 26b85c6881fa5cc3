package org.parley.server.accounts;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before any hashing, whether a password login may be checked and when: failures are counted per
 * account and per address; past a few, attempts are spaced out (a delay that doubles with each failure, so that one
 * account or one address gets about one check per delay however many connections ask), and past more the account
 * (for addresses it never signed in from) or the address is locked for a while. An address someone signed in from
 * is known: to that account it bypasses the account's spacing and lock (a stranger cannot lock the owner out of the
 * devices they use), and its checks get the hashing capacity kept for known addresses ({@link PasswordChecks}).
 * Token resumes are never throttled here. Everything is in memory (a restart forgets it), bounded by
 * {@link LoginLimits#trackedEntries}, except on several nodes: there the failures, their time and the locks of
 * accounts and addresses are also counted in {@link LoginFailures} (the shared database), read before each
 * admission and written with each failure, so that attempts spread over the nodes meet the limits of one node;
 * spacing slots, checks under way and known addresses stay per node. Thread-safe; every method is short (the
 * shared reads and writes run outside the lock).
 */
public final class LoginThrottle {

    /** The result of a password check, as the throttle counts it. */
    public enum Outcome {
        SUCCEEDED, FAILED, NOT_COUNTED
    }

    /** Failures and spacing for one account or one address. */
    private static final class Record {
        final String kind;
        final String key;
        int failures;
        long lastFailure;
        long nextSlot;
        long lockedUntil;
        int inFlight;
        long refused;

        Record(String kind, String key) {
            this.kind = kind;
            this.key = key;
        }
    }

    /** A check admitted by {@link #admit}: it may start after {@code delayMillis}; give it back to {@link #finish}. */
    public static final class Ticket {
        private final Record account;
        private final Record address;
        private final String pair;
        private final boolean knownAddress;
        private final long delayMillis;
        private boolean finished;

        private Ticket(Record account, Record address, String pair, boolean knownAddress, long delayMillis) {
            this.account = account;
            this.address = address;
            this.pair = pair;
            this.knownAddress = knownAddress;
            this.delayMillis = delayMillis;
        }

        /** Someone signed in from this address before: its check may use the reserved hashing capacity. */
        public boolean knownAddress() {
            return knownAddress;
        }

        /** How long the check must wait before it starts (0: at once). */
        public long delayMillis() {
            return delayMillis;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    private static final String ACCOUNT = "account";
    private static final String ADDRESS = "address";

    private final LoginLimits limits;
    private final LongSupplier clock;
    private final LoginFailures shared;
    private final Map<String, Record> accounts;
    private final Map<String, Record> addresses;
    /** "account address" and address → when someone last signed in that way. */
    private final Map<String, Long> knownPairs;
    private final Map<String, Long> knownAddresses;

    public LoginThrottle(LoginLimits limits) {
        this(limits, System::currentTimeMillis);
    }

    /** Counting failures in {@code shared} too (several nodes), or only here ({@link LoginFailures#NONE}). */
    public LoginThrottle(LoginLimits limits, LoginFailures shared) {
        this(limits, System::currentTimeMillis, shared);
    }

    /** With the clock given (the tests' seam: they move time instead of waiting). */
    public LoginThrottle(LoginLimits limits, LongSupplier clock) {
        this(limits, clock, LoginFailures.NONE);
    }

    /** With the clock and the shared count given. */
    public LoginThrottle(LoginLimits limits, LongSupplier clock, LoginFailures shared) {
        this.limits = limits;
        this.clock = clock;
        this.shared = shared;
        accounts = lru(limits.trackedEntries());
        addresses = lru(limits.trackedEntries());
        knownPairs = lru(limits.trackedEntries());
        knownAddresses = lru(limits.trackedEntries());
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /**
     * The key an address is counted under: an IPv4 address, or the /64 prefix of an IPv6 address (what one
     * subscriber usually gets, so that it cannot step around the limits by changing addresses inside it).
     */
    public static String addressKey(InetAddress address) {
        if (address == null) {
            return "unknown";
        }
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                s.append(String.format(Locale.ROOT, "%x:", ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF)));
            }
            return s.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    /**
     * Admits a password check for {@code account} (canonical name, existing or not) from {@code address} (an
     * {@link #addressKey}), or refuses it at once: LOGIN_LOCKED while the address or (for an address the account
     * never signed in from) the account is locked, or when it would wait longer than the longest delay;
     * RATE_LIMITED when the address already has its number of checks under way.
     */
    public Ticket admit(String account, String address) {
        LoginFailures.Tally sharedAddress = shared.read(ADDRESS, address);
        LoginFailures.Tally sharedAccount = shared.read(ACCOUNT, account);
        synchronized (this) {
            return admit(account, address, sharedAccount, sharedAddress);
        }
    }

    private Ticket admit(String account, String address, LoginFailures.Tally sharedAccount,
            LoginFailures.Tally sharedAddress) {
        long now = clock.getAsLong();
        Record addr = record(addresses, address, now);
        merge(addr, sharedAddress, now, limits.addressFreeFailures());
        if (addr.lockedUntil > now) {
            throw refused(addr, now, "too many failed logins from your address: password logins from it are paused"
                    + " for " + seconds(addr.lockedUntil - now) + " s");
        }
        if (addr.inFlight >= limits.checksPerAddress()) {
            throw new ParleyException(ErrorCode.RATE_LIMITED, "too many logins at once from your address; wait for"
                    + " their answers");
        }
        String pair = account + " " + address;
        boolean knownPair = known(knownPairs, pair, now);
        Record acct = record(accounts, account, now);
        merge(acct, sharedAccount, now, limits.accountFreeFailures());
        if (!knownPair && acct.lockedUntil > now) {
            throw refused(acct, now, "too many failed logins for this account: its password logins from addresses"
                    + " it has not signed in from are paused for " + seconds(acct.lockedUntil - now) + " s (a device"
                    + " that signed in before, or its session, still works)");
        }
        long start = Math.max(now, addr.nextSlot);
        if (!knownPair) {
            start = Math.max(start, acct.nextSlot);
        }
        long wait = start - now;
        if (wait > limits.maxDelayMillis()) {
            throw refused(knownPair ? addr : acct, now, "too many failed logins; try again in " + seconds(wait) + " s");
        }
        // Checks under way count as failures to come: a burst from many connections is spaced out at once.
        addr.nextSlot = start + spacing(addr.failures + addr.inFlight, limits.addressFreeFailures());
        if (!knownPair) {
            acct.nextSlot = start + spacing(acct.failures + acct.inFlight, limits.accountFreeFailures());
        }
        addr.inFlight++;
        acct.inFlight++;
        return new Ticket(acct, addr, pair, known(knownAddresses, address, now), wait);
    }

    /**
     * Admits the hash of a registration from {@code address}: refused while the address is locked
     * (LOGIN_LOCKED) or has its number of checks under way (RATE_LIMITED); never delayed, and never counted as a
     * success or a failure.
     */
    public Ticket admitRegistration(String address) {
        LoginFailures.Tally sharedAddress = shared.read(ADDRESS, address);
        synchronized (this) {
            return admitRegistration(address, sharedAddress);
        }
    }

    private Ticket admitRegistration(String address, LoginFailures.Tally sharedAddress) {
        long now = clock.getAsLong();
        Record addr = record(addresses, address, now);
        merge(addr, sharedAddress, now, limits.addressFreeFailures());
        if (addr.lockedUntil > now) {
            throw refused(addr, now, "too many failed logins from your address: it may not register for "
                    + seconds(addr.lockedUntil - now) + " s");
        }
        if (addr.inFlight >= limits.checksPerAddress()) {
            throw new ParleyException(ErrorCode.RATE_LIMITED, "too many logins at once from your address; wait for"
                    + " their answers");
        }
        addr.inFlight++;
        return new Ticket(null, addr, null, known(knownAddresses, address, now), 0);
    }

    /** Counts what a check admitted by {@link #admit} found; each ticket is finished once. */
    public void finish(Ticket ticket, Outcome outcome) {
        if (!finishHere(ticket, outcome) || shared == LoginFailures.NONE || ticket.account == null
                || outcome == Outcome.NOT_COUNTED) {
            return;
        }
        // The other nodes' view: written after this node's (a database round trip, outside the lock), and what
        // the others counted meanwhile comes back (a lock reached by failures on several nodes starts here too).
        long now = clock.getAsLong();
        Record acct = ticket.account;
        Record addr = ticket.address;
        try {
            if (outcome == Outcome.SUCCEEDED) {
                shared.succeeded(ACCOUNT, acct.key, now);
                return;
            }
            LoginFailures.Tally account = shared.failed(ACCOUNT, acct.key, now, limits.accountLockFailures(),
                    limits.lockMillis());
            LoginFailures.Tally address = shared.failed(ADDRESS, addr.key, now, limits.addressLockFailures(),
                    limits.lockMillis());
            synchronized (this) {
                merge(acct, account, now, limits.accountFreeFailures());
                merge(addr, address, now, limits.addressFreeFailures());
            }
        } catch (RuntimeException e) {
            // The database is away: this node's count still holds; the others learn of this failure no more.
            LOG.atWarn().setCause(e).log("failed login not counted for the other nodes");
        }
    }

    /** This node's count; false when the ticket was finished already. */
    private synchronized boolean finishHere(Ticket ticket, Outcome outcome) {
        if (ticket.finished) {
            return false;
        }
        ticket.finished = true;
        long now = clock.getAsLong();
        Record acct = ticket.account;
        Record addr = ticket.address;
        addr.inFlight--;
        if (acct == null) { // a registration
            forgetIfIdle(addresses, addr, now);
            return true;
        }
        acct.inFlight--;
        switch (outcome) {
            case SUCCEEDED -> {
                knownPairs.put(ticket.pair, now);
                knownAddresses.put(addr.key, now);
                // The account's owner got in: its failures are forgotten, unless it is locked (strangers are still
                // at it). The address's are not: an attacker could sign in to an account of its own to reset them.
                if (acct.lockedUntil <= now) {
                    acct.failures = 0;
                    acct.nextSlot = 0;
                }
            }
            case FAILED -> {
                failed(acct, now, limits.accountFreeFailures(), limits.accountLockFailures());
                failed(addr, now, limits.addressFreeFailures(), limits.addressLockFailures());
            }
            case NOT_COUNTED -> {
                // a disabled account, or a check the server was too busy to run: neither side learnt anything
            }
        }
        forgetIfIdle(accounts, acct, now);
        forgetIfIdle(addresses, addr, now);
        return true;
    }

    /**
     * Takes in what the other nodes counted for {@code r} ({@code t}: the shared tally, null for none): the larger
     * count and the later lock win (the shared count includes this node's own failures), and the spacing starts
     * from the last failure anywhere. Failures no longer remembered are left out, as {@link #record} does.
     */
    private void merge(Record r, LoginFailures.Tally t, long now, int free) {
        if (t == null || (t.lockedUntil() <= now && now - t.lastFailure() >= limits.lockMillis())) {
            return;
        }
        if (t.failures() > r.failures) {
            r.failures = t.failures();
        }
        r.lastFailure = Math.max(r.lastFailure, t.lastFailure());
        if (t.lockedUntil() > r.lockedUntil) {
            if (r.lockedUntil <= now && t.lockedUntil() > now) {
                r.refused = 0;
                LOG.atWarn().addKeyValue(r.kind, r.key).addKeyValue("failures", t.failures())
                        .addKeyValue("seconds", seconds(t.lockedUntil() - now))
                        .log("too many failed logins on the nodes together: password logins locked");
            }
            r.lockedUntil = t.lockedUntil();
        }
        r.nextSlot = Math.max(r.nextSlot, t.lastFailure() + spacing(t.failures(), free));
    }

    /** A token resume: the address becomes known, to the account too. Nothing else is counted. */
    public synchronized void resumed(String account, String address) {
        long now = clock.getAsLong();
        knownPairs.put(account + " " + address, now);
        knownAddresses.put(address, now);
    }

    /** Whether someone signed in from {@code address} (a key) within {@link LoginLimits#KNOWN_FOR_MILLIS}. */
    public synchronized boolean isKnown(String address) {
        return known(knownAddresses, address, clock.getAsLong());
    }

    private void failed(Record r, long now, int free, int lock) {
        r.failures++;
        r.lastFailure = now;
        r.nextSlot = Math.max(r.nextSlot, now + spacing(r.failures, free));
        if (r.failures >= lock && r.lockedUntil <= now) {
            r.lockedUntil = now + limits.lockMillis();
            r.refused = 0;
            LOG.atWarn().addKeyValue(r.kind, r.key).addKeyValue("failures", r.failures)
                    .addKeyValue("seconds", seconds(limits.lockMillis()))
                    .log("too many failed logins: password logins locked");
        }
    }

    private ParleyException refused(Record r, long now, String message) {
        r.refused++;
        if (r.refused == 1 || Long.bitCount(r.refused) == 1 && r.refused >= 1024) {
            LOG.atInfo().addKeyValue(r.kind, r.key).addKeyValue("refused", r.refused)
                    .log("password logins refused while throttled");
        }
        return new ParleyException(ErrorCode.LOGIN_LOCKED, message);
    }

    /** The spacing after {@code failures} failures: none up to {@code free}, then doubling up to the longest. */
    private long spacing(int failures, int free) {
        if (failures < free) {
            return 0;
        }
        int doublings = Math.min(failures - free, 30);
        return Math.min(limits.delayMillis() << doublings, limits.maxDelayMillis());
    }

    /** The record under {@code key}; failures older than the lock time (and an ended lock) are forgotten. */
    private Record record(Map<String, Record> map, String key, long now) {
        Record r = map.computeIfAbsent(key, k -> new Record(map == accounts ? "account" : "address", k));
        if (r.failures > 0 && r.lockedUntil <= now && now - r.lastFailure >= limits.lockMillis()) {
            r.failures = 0;
        }
        return r;
    }

    private static void forgetIfIdle(Map<String, Record> map, Record r, long now) {
        if (r.failures == 0 && r.inFlight == 0 && r.lockedUntil <= now && r.nextSlot <= now
                && map.get(r.key) == r) {
            map.remove(r.key);
        }
    }

    private static boolean known(Map<String, Long> map, String key, long now) {
        Long at = map.get(key);
        if (at == null) {
            return false;
        }
        if (now - at > LoginLimits.KNOWN_FOR_MILLIS) {
            map.remove(key);
            return false;
        }
        return true;
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
