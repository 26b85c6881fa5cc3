package org.parley.server.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.RecordingLink;

/**
 * Who is online when other nodes hold connections too: the first and last connection in the whole cluster are
 * heard once, on one node, and pushes reach the nodes that hold the account.
 */
class OnlineUsersTest {

    /** The other nodes, as a log of what this node asked of them. */
    static final class RecordingPeers implements Peers {
        final List<String> calls = new ArrayList<>();

        @Override
        public void push(String node, Collection<Long> accounts, Message message) {
            calls.add("push " + node + " " + accounts);
        }

        @Override
        public void push(String node, Collection<Long> accounts, EncodedFrame frame) {
            calls.add("push " + node + " " + accounts);
        }

        @Override
        public void close(long accountId, ErrorCode code, String reason) {
            calls.add("close " + accountId);
        }

        @Override
        public void connected(long accountId) {
            calls.add("connected " + accountId);
        }

        @Override
        public void disconnected(long accountId) {
            calls.add("disconnected " + accountId);
        }
    }

    final OnlineUsers online = new OnlineUsers();
    final RecordingPeers peers = new RecordingPeers();
    final List<String> heard = new ArrayList<>();

    OnlineUsersTest() {
        online.setPeers(peers);
        online.addListener(id -> heard.add("first " + id), id -> heard.add("last " + id));
    }

    @Test
    void aSingleNodeHearsEveryFirstAndLastConnection() {
        RecordingLink a = new RecordingLink(1, 7);
        online.add(a);
        online.remove(a);
        assertThat(heard).containsExactly("first 7", "last 7");
        assertThat(peers.calls).containsExactly("connected 7", "disconnected 7");
    }

    /**
     * An account's connections are an immutable set replaced on each change: several connections, one added twice,
     * removed in another order; a set handed out earlier stays as it was; connections of many accounts added and
     * removed from many threads at once all count, and the first and last of each account are heard once.
     */
    @Test
    void anAccountsConnectionsComeAndGoAndASetHandedOutStaysAsItWas() throws Exception {
        RecordingLink a = new RecordingLink(1, 7);
        RecordingLink b = new RecordingLink(2, 7);
        RecordingLink c = new RecordingLink(3, 7);
        online.add(a);
        Set<ClientLink> one = online.linksOf(7);
        online.add(b);
        online.add(c);
        online.add(b);
        assertThat(online.linksOf(7)).containsExactlyInAnyOrder(a, b, c);
        assertThat(online.connectionsOf(7)).isEqualTo(3);
        assertThat(one).as("handed out before").containsExactly(a);
        online.remove(b);
        online.remove(b);
        online.remove(a);
        assertThat(online.linksOf(7)).containsExactly(c);
        assertThat(heard).containsExactly("first 7");
        online.remove(c);
        assertThat(online.linksOf(7)).isEmpty();
        assertThat(heard).containsExactly("first 7", "last 7");

        heard.clear();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            OnlineUsers racing = new OnlineUsers();
            racing.addListener(id -> events.add("first " + id), id -> events.add("last " + id));
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int account = 0; account < 100; account++) {
                        racing.add(new RecordingLink(thread * 1000 + account, account));
                    }
                    racing.add(new RecordingLink(-1 - thread, 1000 + thread)); // stays
                    for (int account = 0; account < 100; account++) {
                        for (ClientLink link : racing.linksOf(account)) {
                            if (link.id() == thread * 1000 + account) {
                                racing.remove(link);
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(racing.connectionCount()).as("only the ones that stay").isEqualTo(threads);
            assertThat(racing.accountCount()).isEqualTo(threads);
            for (int account = 0; account < 100; account++) {
                assertThat(events.stream().filter(("first " + account)::equals).count())
                        .isEqualTo(events.stream().filter(("last " + account)::equals).count());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAccountOnlineElsewhereIsNeitherFirstNorLastHere() {
        online.remoteConnected("n2", 7);
        assertThat(online.isOnline(7)).isTrue();
        RecordingLink a = new RecordingLink(1, 7);
        online.add(a);
        online.remove(a);
        assertThat(heard).as("node n2 told its contacts").isEmpty();
        assertThat(online.isOnline(7)).isTrue();

        // Then its last connection on n2 goes: this node had seen its own go while n2 held one, so it says so.
        online.remoteDisconnected("n2", 7, false);
        assertThat(heard).containsExactly("last 7");
        assertThat(online.isOnline(7)).isFalse();
    }

    @Test
    void anAccountThatLeavesAnotherNodeIsAnnouncedThereNotHere() {
        online.remoteConnected("n2", 7);
        online.remoteDisconnected("n2", 7, false);
        assertThat(heard).isEmpty();
        assertThat(online.isOnline(7)).isFalse();
    }

    @Test
    void aLostNodesUsersGoOfflineAnnouncedByTheNodeThatSpeaksForIt() {
        online.remoteConnected("n2", 7);
        online.remoteConnected("n2", 8);
        online.remoteConnected("n3", 8);
        online.nodeGone("n2", true);
        assertThat(heard).as("8 is still on n3").containsExactly("last 7");
        assertThat(online.isOnline(8)).isTrue();
        online.nodeGone("n3", false);
        assertThat(heard).as("n3's news are told by another node").containsExactly("last 7");
        assertThat(online.isOnline(8)).isFalse();
    }

    @Test
    void pushesGoToTheNodesHoldingTheAccountOnceEach() {
        RecordingLink here = new RecordingLink(1, 7);
        online.add(here);
        online.remoteConnected("n2", 7);
        online.remoteConnected("n2", 8);
        online.remoteConnected("n3", 8);
        peers.calls.clear();
        online.push(7, new Session.Ok(), null);
        assertThat(here.pushed).hasSize(1);
        assertThat(peers.calls).containsExactly("push n2 [7]");
        peers.calls.clear();
        online.pushToPeers(List.of(7L, 8L, 9L), EncodedFrame.of(org.parley.protocol.Frame.push(new Session.Ok()),
                1 << 20));
        assertThat(peers.calls).containsExactlyInAnyOrder("push n2 [7, 8]", "push n3 [8]");
        peers.calls.clear();
        online.closeAll(7, null, ErrorCode.INVALID_TOKEN, "bye");
        assertThat(peers.calls).containsExactly("close 7");
    }
}
