package org.parley.server.common;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.message.Message;

/**
 * Who is online: account id → its live connections (an account may be connected from several devices).
 * Thread-safe. Listeners hear when an account gets its first connection and loses its last one, which is
 * what presence is derived from.
 */
public final class OnlineUsers {

    private final Map<Long, Set<ClientLink>> links = new ConcurrentHashMap<>();
    private final List<LongConsumer> onFirstConnect = new CopyOnWriteArrayList<>();
    private final List<LongConsumer> onLastDisconnect = new CopyOnWriteArrayList<>();

    public void addListener(LongConsumer firstConnect, LongConsumer lastDisconnect) {
        onFirstConnect.add(firstConnect);
        onLastDisconnect.add(lastDisconnect);
    }

    public void add(ClientLink link) {
        boolean[] first = {false};
        links.compute(link.accountId(), (id, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                first[0] = true;
            }
            set.add(link);
            return set;
        });
        if (first[0]) {
            onFirstConnect.forEach(l -> l.accept(link.accountId()));
        }
    }

    public void remove(ClientLink link) {
        boolean[] last = {false};
        links.computeIfPresent(link.accountId(), (id, set) -> {
            set.remove(link);
            if (set.isEmpty()) {
                last[0] = true;
                return null;
            }
            return set;
        });
        if (last[0]) {
            onLastDisconnect.forEach(l -> l.accept(link.accountId()));
        }
    }

    public boolean isOnline(long accountId) {
        return links.containsKey(accountId);
    }

    /** The live connections of an account (empty when offline). */
    public Set<ClientLink> linksOf(long accountId) {
        Set<ClientLink> set = links.get(accountId);
        return set == null ? Set.of() : set;
    }

    /** Runs {@code action} for every connection of the account except {@code except} (may be null). */
    public void forEachLink(long accountId, ClientLink except, Consumer<ClientLink> action) {
        for (ClientLink link : linksOf(accountId)) {
            if (link != except) {
                action.accept(link);
            }
        }
    }

    /** Pushes to every connection of the account except {@code except} (may be null). */
    public void push(long accountId, Message message, ClientLink except) {
        forEachLink(accountId, except, link -> link.push(message));
    }

    /** The same for a push encoded once for all its recipients. */
    public void push(long accountId, EncodedFrame frame, ClientLink except) {
        forEachLink(accountId, except, link -> link.push(frame));
    }

    public int connectionCount() {
        return links.values().stream().mapToInt(Set::size).sum();
    }

    /** How many accounts have at least one connection. */
    public int accountCount() {
        return links.size();
    }

    /** How many connections the account has. */
    public int connectionsOf(long accountId) {
        return linksOf(accountId).size();
    }
}
