package org.parley.server.presence;

import org.parley.server.common.OnlineUsers;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Contacts.Presence;
import org.parley.protocol.message.Session;
import org.parley.server.accounts.NameCache;
import org.parley.server.common.Handlers;
import org.parley.server.common.Names;
import org.parley.server.common.ParleyException;
import org.parley.server.contacts.ContactStore;
import org.parley.server.contacts.PresenceLookup;

/**
 * Presence: ONLINE when an account's first connection logs in, OFFLINE when its last one closes, AWAY/ONLINE and
 * a status text when its user says so. Changes are pushed to the account's online contacts only, at most once per
 * {@code minIntervalMs} per account: changes in between are coalesced and the latest state is pushed when the
 * interval ends, so a flapping client cannot flood its contacts and the final state is never lost. The time of an
 * account's last push is kept for that interval only: after it, an account holds nothing here unless its user set a
 * presence other than plain ONLINE (a server that saw a million accounts sign in and out does not keep a million
 * times, nor an entry for each account online).
 */
public final class PresenceService implements PresenceLookup {

    private static final State OFFLINE = new State(Presence.OFFLINE, "");
    private static final State ONLINE = new State(Presence.ONLINE, "");

    private final OnlineUsers online;
    private final ContactStore contacts;
    private final NameCache names;
    private final ScheduledExecutorService timer;
    private final long minIntervalMs;
    private final Map<Long, State> states = new ConcurrentHashMap<>();
    /** Account id → when its presence was last pushed: what spaces its pushes {@code minIntervalMs} apart. */
    private final Map<Long, Long> lastPush;
    private final Map<Long, Boolean> pending = new ConcurrentHashMap<>();
    /** Where a state pushed to contacts is also told to the other nodes (several nodes: the cluster adapter). */
    private volatile BiConsumer<Long, State> share = (id, s) -> { };

    public PresenceService(OnlineUsers online, ContactStore contacts, NameCache names,
            ScheduledExecutorService timer, long minIntervalMs) {
        this(online, contacts, names, timer, minIntervalMs, new ConcurrentHashMap<>());
    }

    /** As above, keeping the times of the last pushes in {@code lastPush} (the tests' seam: they count it). */
    PresenceService(OnlineUsers online, ContactStore contacts, NameCache names, ScheduledExecutorService timer,
            long minIntervalMs, Map<Long, Long> lastPush) {
        this.lastPush = lastPush;
        this.online = online;
        this.contacts = contacts;
        this.names = names;
        this.timer = timer;
        this.minIntervalMs = minIntervalMs;
        online.addListener(id -> {
            // Online with no status text: what stateOf says of an online account without an entry, so none is kept
            // (an entry per online account was a node, a key and a state: about 70 bytes each).
            states.remove(id);
            publish(id);
        }, id -> {
            states.remove(id);
            publish(id);
        });
    }

    public void register(Handlers handlers) {
        handlers.on(Contacts.SetPresence.class, (caller, r) -> {
            if (r.presence() == Presence.OFFLINE) {
                throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "presence OFFLINE is set by disconnecting");
            }
            String status = Names.shown(r.statusText(), Names.MAX_STATUS, "the status");
            states.put(caller.accountId(), new State(r.presence(), status));
            publish(caller.accountId());
            return CompletableFuture.completedFuture(new Session.Ok());
        });
    }

    /** What contacts see of {@code accountId} now (on any node). */
    @Override
    public State stateOf(long accountId) {
        return online.isOnline(accountId) ? states.getOrDefault(accountId, ONLINE) : OFFLINE;
    }

    /** Tells {@code share} each state this node pushes to contacts (the cluster adapter passes it on). */
    public void share(BiConsumer<Long, State> share) {
        this.share = share;
    }

    /** A state another node pushed for an account whose connections it holds (no push from here). */
    public void peerState(long accountId, State state) {
        if (state.presence() == Presence.OFFLINE || state.equals(ONLINE)) {
            states.remove(accountId);
        } else {
            states.put(accountId, state);
        }
    }

    private void publish(long accountId) {
        long now = System.currentTimeMillis();
        long last = lastPush.getOrDefault(accountId, 0L);
        if (now - last >= minIntervalMs) {
            pushNow(accountId);
        } else if (pending.putIfAbsent(accountId, Boolean.TRUE) == null) {
            timer.schedule(() -> {
                pending.remove(accountId);
                pushNow(accountId);
            }, last + minIntervalMs - now, TimeUnit.MILLISECONDS);
        }
    }

    private void pushNow(long accountId) {
        long now = System.currentTimeMillis();
        lastPush.put(accountId, now);
        State s = stateOf(accountId);
        share.accept(accountId, s);
        var change = new Contacts.PresenceChanged(names.name(accountId), s.presence(), s.statusText());
        for (long contact : contacts.contactsOf(accountId)) {
            online.push(contact, change, null);
        }
        try {
            timer.schedule(() -> forget(accountId, now), minIntervalMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: nothing to forget for
        }
    }

    /**
     * Drops the time of an account's last push once the interval it spaces pushes by is over (a time that old holds
     * no push back, online or not): unless it was pushed again or has a push waiting since.
     */
    private void forget(long accountId, long pushedAt) {
        if (!pending.containsKey(accountId)) {
            lastPush.remove(accountId, pushedAt);
        }
    }
}
