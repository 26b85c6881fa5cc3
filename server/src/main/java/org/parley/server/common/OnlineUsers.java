package org.parley.server.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Message;

/**
 * Who is online: account id → its live connections (an account may be connected from several devices).
 * Thread-safe. Listeners hear when an account gets its first connection and loses its last one, which is
 * what presence is derived from.
 *
 * <p>With several server nodes ({@code cluster}, docs/scale-out.md) it also knows which other nodes hold
 * connections of which accounts (told by the cluster adapter through {@link #remoteConnected} and
 * {@link #remoteDisconnected}), sends pushes for those accounts to those nodes through {@link Peers}, and counts an
 * account as online while any node holds a connection of it: the listeners hear the first connection and the
 * last one in the whole cluster, on the node where it happened. A single node has no peers and no remote entries,
 * and each push costs one look-up in an empty map more than before.
 */
public final class OnlineUsers {

    /**
     * Account id → its connections here, as an immutable set replaced on each change (under the map's lock for the
     * account): most accounts have one connection, which {@code Set.of(link)} holds in 24 bytes where a concurrent
     * set took about 260; readers iterate the set of the moment.
     */
    private final Map<Long, Set<ClientLink>> links = new ConcurrentHashMap<>();
    private final List<LongConsumer> onFirstConnect = new CopyOnWriteArrayList<>();
    private final List<LongConsumer> onLastDisconnect = new CopyOnWriteArrayList<>();
    /** Account id → the other nodes holding connections of it. */
    private final Map<Long, Set<String>> remote = new ConcurrentHashMap<>();
    /** Accounts whose last connection here closed while another node still held one. */
    private final Set<Long> leftHere = ConcurrentHashMap.newKeySet();
    private volatile Peers peers = Peers.NONE;

    /** The other nodes (the cluster adapter sets them at start-up; {@link Peers#NONE} until then). */
    public void setPeers(Peers peers) {
        this.peers = peers;
    }

    public void addListener(LongConsumer firstConnect, LongConsumer lastDisconnect) {
        onFirstConnect.add(firstConnect);
        onLastDisconnect.add(lastDisconnect);
    }

    public void add(ClientLink link) {
        boolean[] first = {false};
        links.compute(link.accountId(), (id, set) -> {
            if (set == null) {
                first[0] = true;
                return Set.of(link);
            }
            return with(set, link);
        });
        if (first[0]) {
            leftHere.remove(link.accountId());
            peers.connected(link.accountId());
            if (!remote.containsKey(link.accountId())) {
                onFirstConnect.forEach(l -> l.accept(link.accountId()));
            }
        }
    }

    public void remove(ClientLink link) {
        boolean[] last = {false};
        links.computeIfPresent(link.accountId(), (id, set) -> {
            Set<ClientLink> rest = without(set, link);
            if (rest.isEmpty()) {
                last[0] = true;
                return null;
            }
            return rest;
        });
        if (last[0]) {
            peers.disconnected(link.accountId());
            if (remote.containsKey(link.accountId())) {
                // Still online on another node; if that node's last connection goes too, the account went
                // offline from here as well, and this node says so if that node does not know (see below).
                leftHere.add(link.accountId());
            } else {
                onLastDisconnect.forEach(l -> l.accept(link.accountId()));
            }
        }
    }

    /** {@code set} and {@code link}, as a new immutable set ({@code set} itself when it holds the link already). */
    private static Set<ClientLink> with(Set<ClientLink> set, ClientLink link) {
        if (set.contains(link)) {
            return set;
        }
        ClientLink[] all = set.toArray(new ClientLink[set.size() + 1]);
        all[set.size()] = link;
        return Set.of(all);
    }

    /** {@code set} less {@code link}, as a new immutable set. */
    private static Set<ClientLink> without(Set<ClientLink> set, ClientLink link) {
        if (!set.contains(link)) {
            return set;
        }
        ClientLink[] rest = new ClientLink[set.size() - 1];
        int i = 0;
        for (ClientLink l : set) {
            if (l != link) {
                rest[i++] = l;
            }
        }
        return Set.of(rest);
    }

    /** Node {@code node} now holds a connection of the account (the cluster adapter tells). */
    public void remoteConnected(String node, long accountId) {
        remote.computeIfAbsent(accountId, id -> ConcurrentHashMap.newKeySet()).add(node);
    }

    /**
     * Node {@code node} no longer holds any connection of the account. When that leaves the account offline
     * everywhere, the last-disconnect listeners run here if {@code announce} (the node is gone and this node
     * speaks for it) or if this node's own last connection of the account closed meanwhile (both nodes then saw
     * the other still online).
     */
    public void remoteDisconnected(String node, long accountId, boolean announce) {
        boolean[] gone = {false};
        remote.computeIfPresent(accountId, (id, nodes) -> {
            gone[0] = nodes.remove(node) && nodes.isEmpty();
            return nodes.isEmpty() ? null : nodes;
        });
        if (gone[0] && !links.containsKey(accountId) && !remote.containsKey(accountId)
                && (leftHere.remove(accountId) | announce)) {
            onLastDisconnect.forEach(l -> l.accept(accountId));
        }
    }

    /** Forgets every connection node {@code node} held (it stopped or was lost); see {@link #remoteDisconnected}. */
    public void nodeGone(String node, boolean announce) {
        for (Map.Entry<Long, Set<String>> e : remote.entrySet()) {
            if (e.getValue().contains(node)) {
                remoteDisconnected(node, e.getKey(), announce);
            }
        }
    }

    /** The accounts this node holds connections of (what it tells a node that joins). */
    public Set<Long> localAccounts() {
        return Set.copyOf(links.keySet());
    }

    /** The other nodes holding connections of the account (empty when none). */
    public Set<String> nodesOf(long accountId) {
        Set<String> nodes = remote.get(accountId);
        return nodes == null ? Set.of() : nodes;
    }

    /** Whether any node holds a connection of the account. */
    public boolean isOnline(long accountId) {
        return links.containsKey(accountId) || remote.containsKey(accountId);
    }

    /** The connections this node holds of an account now (an immutable snapshot; empty when none). */
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

    /** Pushes to every connection of the account, on every node, except {@code except} (may be null). */
    public void push(long accountId, Message message, ClientLink except) {
        forEachLink(accountId, except, link -> link.push(message));
        if (!remote.isEmpty()) {
            for (String node : nodesOf(accountId)) {
                peers.push(node, List.of(accountId), message);
            }
        }
    }

    /** The same for a push encoded once for all its recipients. */
    public void push(long accountId, EncodedFrame frame, ClientLink except) {
        forEachLink(accountId, except, link -> link.push(frame));
        if (!remote.isEmpty()) {
            for (String node : nodesOf(accountId)) {
                peers.push(node, List.of(accountId), frame);
            }
        }
    }

    /**
     * Pushes {@code frame} to the accounts' connections on the other nodes only, one hand-over per node (the
     * caller pushes to this node's connections itself, as the message fan-out does).
     */
    public void pushToPeers(Collection<Long> accountIds, EncodedFrame frame) {
        if (remote.isEmpty()) {
            return;
        }
        Map<String, List<Long>> byNode = new HashMap<>();
        for (long account : accountIds) {
            for (String node : nodesOf(account)) {
                byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(account);
            }
        }
        byNode.forEach((node, accounts) -> peers.push(node, accounts, frame));
    }

    /** Closes the account's connections on every node except {@code except} (null: all) with {@code code}. */
    public void closeAll(long accountId, ClientLink except, ErrorCode code, String reason) {
        closeHere(accountId, except, code, reason);
        peers.close(accountId, code, reason);
    }

    /** Closes the account's connections on this node only, except {@code except} (null: all). */
    public void closeHere(long accountId, ClientLink except, ErrorCode code, String reason) {
        for (ClientLink link : linksOf(accountId)) {
            if (link != except) {
                link.close(code, reason);
            }
        }
    }

    /** Connections held by this node. */
    public int connectionCount() {
        return links.values().stream().mapToInt(Set::size).sum();
    }

    /** How many accounts have at least one connection on this node. */
    public int accountCount() {
        return links.size();
    }

    /** How many connections this node holds of the account. */
    public int connectionsOf(long accountId) {
        return linksOf(accountId).size();
    }
}
