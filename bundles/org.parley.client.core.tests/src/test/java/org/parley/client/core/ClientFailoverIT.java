package org.parley.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.message.Chat;
import org.parley.server.testing.ChildServer;
import org.parley.server.testing.NatsExtension;
import org.parley.server.testing.PostgresExtension;

/**
 * The real client core fails over between real server nodes: two Parley nodes as separate processes on loopback,
 * sharing one PostgreSQL and one NATS (the harness of the server's ClusterIT); ann's client knows both nodes'
 * addresses and is connected to the first, bob's is on the second. The first node is killed (SIGKILL) in the middle
 * of ann's send burst: ann's client reconnects to the second node by itself, resumes its session with its token,
 * resends its outbox, and bob's client has every message exactly once, in the order sent.
 */
class ClientFailoverIT {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @RegisterExtension
    static final NatsExtension NATS = new NatsExtension();

    @TempDir
    static Path dir;

    static final List<ChildServer> NODES = new ArrayList<>();

    @BeforeAll
    static void startNodes() throws Exception {
        List<String> storage = PG.serverFlags(); // one database for both
        for (int i = 1; i <= 2; i++) {
            List<String> flags = new ArrayList<>(storage);
            flags.addAll(NATS.serverFlags("n" + i));
            flags.addAll(List.of("--requests-per-second", "100000", "--request-burst", "100000"));
            Path data = Files.createDirectories(dir.resolve("n" + i));
            NODES.add(ChildServer.start(data, dir.resolve("n" + i + ".log"), List.of("-Xmx256m"), flags));
        }
    }

    @AfterAll
    static void stopNodes() throws InterruptedException {
        for (ChildServer node : NODES) {
            node.close();
        }
        NODES.clear();
    }

    private static ServerAddress node(int i) {
        return new ServerAddress("127.0.0.1", NODES.get(i - 1).port());
    }

    private static ParleyClient client(List<ServerAddress> servers, Recorder recorder) {
        ParleyClient c = new ParleyClient(ParleyClient.Config.of(servers).plaintext().backoff(50, 500)
                .device("test"));
        c.addListener(recorder);
        return c;
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void theClientMovesToASurvivingNodeWhenItsNodeIsKilledMidBurstAndNothingIsLostOrDoubled() throws Exception {
        Recorder annEvents = new Recorder();
        Recorder bobEvents = new Recorder();
        try (ParleyClient ann = client(List.of(node(1), node(2)), annEvents);
                ParleyClient bob = client(List.of(node(2)), bobEvents)) {
            get(bob.register("bob", "password-bob", "Bob"));
            get(ann.register("ann", "password-ann", "Ann")); // on node 1, the first address
            long c = get(ann.openDirect("bob")).id();
            // Node 1 learns that bob is on node 2 a moment after his login: typing until bob hears it.
            AtomicBoolean heard = new AtomicBoolean();
            bob.addListener(new ClientListener() {
                @Override
                public void typingChanged(Chat.TypingChanged typing) {
                    heard.set(true);
                }
            });
            Recorder.await("node 1 knows where bob is", () -> {
                ann.typing(c, true);
                return heard.get();
            });

            int count = 1000;
            List<CompletableFuture<Chat.Sent>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(ann.send(c, "m-" + i, "burst " + i));
            }
            Recorder.await("the first sends are acknowledged",
                    () -> sends.stream().filter(CompletableFuture::isDone).count() >= 100);
            NODES.get(0).kill();

            // No help from the test: the client reconnects to node 2 and resends what was not acknowledged.
            for (CompletableFuture<Chat.Sent> s : sends) {
                assertThat(get(s).conversationId()).isEqualTo(c);
            }
            assertThat(annEvents.states).contains(ConnectionState.RECONNECTING);
            assertThat(annEvents.states.getLast()).isEqualTo(ConnectionState.ONLINE);
            assertThat(annEvents.problems).as("nothing for the user to act on").isEmpty();
            assertThat(sends.stream().map(CompletableFuture::join).map(Chat.Sent::seq).toList())
                    .as("every message stored once: 1 to %d", count)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
            assertThat(get(ann.pendingCount())).isZero();

            List<String> expected = IntStream.range(0, count).mapToObj(i -> "burst " + i).toList();
            Recorder.await("bob has every message", () -> bobEvents.texts(c).size() >= count);
            assertThat(bobEvents.texts(c)).as("exactly once, in the order sent").containsExactlyElementsOf(expected);
            bobEvents.assertOrderedWithoutDuplicates();

            // What is stored is what was sent, gap-free (ann reads it through node 2 now).
            List<Chat.ChatMessage> history = new ArrayList<>();
            Chat.MessagePage page;
            do {
                page = get(ann.fetchAfter(c, history.size(), 500));
                history.addAll(page.messages());
            } while (page.more());
            assertThat(history).extracting(Chat.ChatMessage::clientMessageId)
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "m-" + i).toList());
        }
    }
}
