package org.parley.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.testing.ChildServer;
import org.parley.server.testing.RawPeer;
import org.parley.server.testing.TestConnection;

/**
 * Attacks by peers that never log in, against a real server in a child JVM with a small heap ({@code -Xmx256m},
 * exiting on OutOfMemoryError as the launch scripts make it): many half-open connections, partial frames held
 * open, bytes trickled to dodge timeouts, a flood of junk. Throughout each, a healthy client logs in, sends and
 * receives a message; after each, the server is still alive and serves a new client. The attackers come from
 * other loopback addresses (127.0.x.y) than the healthy client, several of them, as a botnet would.
 *
 * <p>Attacks by signed-in users too (accounts {@code mal0} to {@code mal3}, who share a group): floods of each
 * request type written without reading an answer, many uploads at once, lists with huge counts, frames written
 * slowly after login. The connection's rate limit is lifted here ({@code requests-per-second} 100,000) so that what
 * is tested is that one connection's flood cannot take the workers, memory or storage from everyone else; the
 * account's budget of costly requests ({@code costly-requests-per-second}) is not.
 */
class AbuseIT {

    @TempDir
    static Path dir;

    private static ChildServer server;
    private static TestConnection ann;
    private static TestConnection bob;
    private static long conversation;
    private static long malGroup;
    private static final int ATTACKERS = 4;
    private static final AtomicInteger MESSAGES = new AtomicInteger();

    private final List<RawPeer> attackers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = ChildServer.start(dir.resolve("data"), dir.resolve("server.log"),
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--hello-timeout-seconds", "2", "--login-timeout-seconds", "4", "--frame-timeout-seconds", "3",
                        "--requests-per-second", "100000", "--request-burst", "100000"));
        ann = register("ann");
        bob = register("bob");
        conversation = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        List<String> mals = new ArrayList<>();
        for (int i = 0; i < ATTACKERS; i++) {
            register("mal" + i).close();
            mals.add("mal" + i);
        }
        try (TestConnection mal = login("mal0")) {
            malGroup = mal.request(new Conversations.CreateGroup("mal", mals), Conversations.ConversationInfo.class)
                    .id();
        }
    }

    private static TestConnection login(String user) throws IOException {
        TestConnection c = TestConnection.open("127.0.0.1", server.port(), false);
        c.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t"), Session.Welcome.class);
        c.request(new Accounts.Login(user, "password-" + user, "t"), Accounts.LoggedIn.class);
        return c;
    }

    @AfterAll
    static void stop() throws Exception {
        if (ann != null) {
            ann.close();
            bob.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void leave() throws IOException {
        attackers.forEach(RawPeer::close);
        attackers.clear();
        // Recovered: alive, and a client that arrives now is served.
        assertThat(server.isAlive()).as("the server process is alive").isTrue();
        healthy();
        try (TestConnection carol = TestConnection.open("127.0.0.1", server.port(), false)) {
            carol.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t"), Session.Welcome.class);
            carol.request(new Accounts.Login("bob", "password-bob", "t"), Accounts.LoggedIn.class);
        }
    }

    private static TestConnection register(String user) throws IOException {
        TestConnection c = TestConnection.open("127.0.0.1", server.port(), false);
        c.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t"), Session.Welcome.class);
        c.request(new Accounts.Register(user, "password-" + user, user, "t"), Accounts.LoggedIn.class);
        return c;
    }

    /** The healthy client: a new login, and a message from ann that reaches bob. */
    private static void healthy() throws IOException {
        try {
            healthyOnce();
        } catch (AssertionError | IOException | RuntimeException e) {
            // What the server said meanwhile: a deadline, a budget, a refusal (the log is the only witness in CI).
            List<String> lines = Files.readAllLines(dir.resolve("server.log"));
            throw new AssertionError(e.getMessage() + "\nthe server's last log lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())), e);
        }
    }

    private static void healthyOnce() throws IOException {
        try (TestConnection fresh = TestConnection.open("127.0.0.1", server.port(), false)) {
            fresh.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t"), Session.Welcome.class);
            fresh.request(new Accounts.Login("ann", "password-ann", "t"), Accounts.LoggedIn.class);
        }
        bob.request(new Session.Ping(7), Session.Pong.class); // bob's client pings, as real ones do (idle timeout)
        String text = "still here " + MESSAGES.incrementAndGet();
        ann.request(new Chat.Send(conversation, UUID.randomUUID().toString(), Chat.Kind.TEXT, text, List.of()),
                Chat.Sent.class);
        assertThat(bob.awaitPush(Chat.NewMessage.class, m -> m.message().text().equals(text)).message().sender())
                .isEqualTo("ann");
    }

    /** Attacker {@code i} of many, spread over 20 addresses (within the per-address cap of 64). */
    private RawPeer attacker(int i) throws IOException {
        RawPeer p = RawPeer.connect("127.0.2." + (1 + i % 20), server.port());
        attackers.add(p);
        return p;
    }

    private static byte[] header(int length, int type, int requestId) {
        return ByteBuffer.allocate(10).putInt(length).putShort((short) type).putInt(requestId).array();
    }

    @Test
    void manyHalfOpenConnections() throws Exception {
        for (int i = 0; i < 800; i++) {
            RawPeer p = attacker(i);
            if (i % 2 == 0) {
                p.send(new Frame(1, new Session.Hello(1, 1, "half")));
            }
            if (i % 200 == 0) {
                healthy();
            }
        }
        healthy();
        // Nobody logs in: every one of them is closed by the deadlines, without anyone reading for them.
        for (RawPeer p : attackers) {
            assertThat(p.awaitClosed()).isTrue();
        }
    }

    /**
     * The attack that exhausted a 1 GiB heap before: Hello, then most of a 1 MiB Login, held. Such a frame is now
     * refused at its length; frames within the login limit, held, stay within the server-wide budget.
     */
    @Test
    void partialFramesHeldOpen() throws Exception {
        for (int i = 0; i < 300; i++) {
            RawPeer p = attacker(i);
            p.send(new Frame(1, new Session.Hello(1, 1, "big")));
            p.write(header(1 << 20, 0x0102, 2)); // the rest of the frame would follow: it is refused already
            if (i % 100 == 0) {
                healthy();
            }
        }
        for (RawPeer p : attackers) {
            assertThat(p.read().message()).isInstanceOf(Session.Welcome.class);
            assertThat(((Session.ErrorReply) p.read().message()).code()).isEqualTo(ErrorCode.BAD_FRAME_LENGTH);
        }
        attackers.forEach(RawPeer::close);
        attackers.clear();
        for (int i = 0; i < 600; i++) {
            RawPeer p = attacker(i);
            p.send(new Frame(1, new Session.Hello(1, 1, "small")));
            p.write(Arrays.copyOf(header(8000, 0x0102, 2), 7990));
            if (i % 200 == 0) {
                healthy();
            }
        }
        healthy();
    }

    /** One byte every 400 ms on each of 200 connections: deadlines close them all, whatever they send. */
    @Test
    void tricklingBytes() throws Exception {
        byte[] hello = RawPeer.encode(new Frame(1, new Session.Hello(1, 1, "trickle")),
                new Frame(2, new Accounts.Login("ann", "password-ann", "trickle")));
        List<RawPeer> open = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            open.add(attacker(i));
        }
        // Round after round, one byte to each connection still open, until none is (or the bytes run out).
        for (int at = 0; at < hello.length && !open.isEmpty(); at++) {
            byte[] one = {hello[at]};
            open.removeIf(p -> !p.write(one));
            if (at % 5 == 0) {
                healthy();
            }
            Thread.sleep(400);
        }
        for (RawPeer p : attackers) {
            assertThat(p.awaitClosed()).isTrue();
        }
    }

    /** Junk of every kind from many connections: each is closed, and the log stays short. */
    @Test
    void aFloodOfJunkBeforeLogin() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) {
                RawPeer p = attacker(i);
                byte[] junk = switch (i % 4) {
                    case 0 -> { // random bytes
                        byte[] b = new byte[1 + random.nextInt(2000)];
                        random.nextBytes(b);
                        yield b;
                    }
                    case 1 -> new byte[] {0, 0, 0, 8, 0x7E, 0x01, 0, 0, 0, 3, 1, 2}; // unknown type first
                    case 2 -> new byte[] {0, 0, 0, 7, 0x00, 0x01, 0, 0, 0, 1, 9}; // malformed Hello
                    default -> RawPeer.encode(new Frame(1, new Conversations.ListConversations())); // not Hello
                };
                p.write(junk);
            }
            healthy();
            for (RawPeer p : attackers) {
                assertThat(p.awaitClosed()).isTrue();
            }
            attackers.forEach(RawPeer::close);
            attackers.clear();
        }
        String log = Files.readString(dir.resolve("server.log"));
        assertThat(log).doesNotContain("\tat ").doesNotContain("level=ERROR");
    }

    /** Attacker {@code i} logged in as {@code mal(i % 4)} from its own address, its answers read. */
    private RawPeer signedIn(int i) throws IOException {
        RawPeer p = attacker(i);
        String user = "mal" + i % ATTACKERS;
        p.send(new Frame(1, new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t")),
                new Frame(2, new Accounts.Login(user, "password-" + user, "t")));
        assertThat(p.read().message()).isInstanceOf(Session.Welcome.class);
        assertThat(p.read().message()).isInstanceOf(Accounts.LoggedIn.class);
        return p;
    }

    static Stream<Arguments> requestTypes() {
        return Stream.of(
                Arguments.of("Send", (IntFunction<Object>) k -> new Chat.Send(malGroup, UUID.randomUUID().toString(),
                        Chat.Kind.TEXT, "flood " + k, List.of())),
                Arguments.of("FetchBefore", (IntFunction<Object>) k -> new Chat.FetchBefore(malGroup, 0, 500)),
                Arguments.of("Typing", (IntFunction<Object>) k -> new Chat.Typing(malGroup, k % 2 == 0)),
                Arguments.of("SetPresence", (IntFunction<Object>) k -> new Contacts.SetPresence(
                        k % 2 == 0 ? Contacts.Presence.AWAY : Contacts.Presence.ONLINE, "status " + k)),
                Arguments.of("UploadStart", (IntFunction<Object>) k -> new Transfers.UploadStart(malGroup,
                        UUID.randomUUID().toString(), "f" + k + ".bin", "application/octet-stream", 1 << 20,
                        "0".repeat(64), false)),
                Arguments.of("Ping", (IntFunction<Object>) k -> new Session.Ping(k)),
                // Costly ones: the account's budget (not lifted here) cuts them across its connections.
                Arguments.of("CreateGroup", (IntFunction<Object>) k -> new Conversations.CreateGroup("flood " + k,
                        List.of("mal0", "mal1", "mal2", "mal3"))),
                Arguments.of("SearchUsers", (IntFunction<Object>) k -> new Contacts.SearchUsers("mal", 50)),
                Arguments.of("ListConversations", (IntFunction<Object>) k -> new Conversations.ListConversations()));
    }

    /**
     * Signed-in attackers each write thousands of one request type, pipelined, and read nothing: each connection's
     * requests run in order and its unread answers stop the server reading it, so the flood holds neither the
     * workers nor the memory others need. Written from threads of their own (a write blocks once the server stops
     * reading), and cut by closing the sockets.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requestTypes")
    void aFloodOfOneRequestTypeAfterLogin(String name, IntFunction<Object> request) throws Exception {
        List<RawPeer> peers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            peers.add(signedIn(i));
        }
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (RawPeer p : peers) {
                writers.submit(() -> {
                    for (int batch = 0; batch < 8; batch++) {
                        Frame[] frames = new Frame[250];
                        for (int k = 0; k < frames.length; k++) {
                            int id = 3 + batch * frames.length + k;
                            frames[k] = new Frame(id, (org.parley.protocol.message.Message) request.apply(id));
                        }
                        if (!p.write(RawPeer.encode(frames))) {
                            return;
                        }
                    }
                });
            }
            try {
                for (int round = 0; round < 5; round++) {
                    healthy();
                }
            } finally {
                peers.forEach(RawPeer::close); // unblocks writers stuck on a full socket
            }
        }
    }

    /** Many uploads at once, each sending chunks as fast as it can: other users still chat. */
    @Test
    void manyUploadsInParallel() throws Exception {
        List<TestConnection> uploaders = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                TestConnection c = login("mal" + i % ATTACKERS);
                uploaders.add(c);
                senders.submit(() -> {
                    for (int u = 0; u < 3; u++) {
                        Transfers.UploadReady ready = c.request(new Transfers.UploadStart(malGroup,
                                UUID.randomUUID().toString(), "big.bin", "application/octet-stream", 4L << 20,
                                "0".repeat(64), false), Transfers.UploadReady.class);
                        byte[] data = new byte[Math.min(64 * 1024, ready.chunkBytes())];
                        for (long off = 0; off < 4L << 20; off += data.length) {
                            c.call(new Transfers.UploadChunk(ready.uploadId(), off, data));
                        }
                    }
                    return null;
                });
            }
            try {
                for (int round = 0; round < 4; round++) {
                    healthy();
                }
            } finally {
                uploaders.forEach(TestConnection::close);
            }
        }
    }

    /**
     * Lists whose count says millions: in a small frame the count is refused as malformed at once (it cannot fit);
     * in a frame of the full size (about 250,000 names), the group limit refuses it before any name is looked up.
     */
    @Test
    void hugeCountsInLists() throws Exception {
        RawPeer p = signedIn(0);
        // CreateGroup: title "x", members count 10,000,000 (varint), and nothing after it.
        byte[] body = {1, 'x', (byte) 0x80, (byte) 0xAD, (byte) 0xE2, 0x04};
        ByteBuffer frame = ByteBuffer.allocate(10 + body.length).putInt(6 + body.length).putShort((short) 0x0303)
                .putInt(7).put(body);
        p.write(frame.array());
        assertThat(((Session.ErrorReply) answer(p).message()).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            many.add("mal1");
        }
        byte[] full = WireCodec.encode(new Frame(8, new Conversations.CreateGroup("many", many)));
        byte[] add = WireCodec.encode(new Frame(9, new Conversations.AddMembers(malGroup, many)));
        for (int i = 0; i < 10; i++) {
            p.write(full);
            p.write(add);
            if (i % 3 == 0) {
                healthy();
            }
        }
        for (int i = 0; i < 20; i++) {
            assertThat(answer(p).message()).as("answer %d", i).isInstanceOf(Session.ErrorReply.class)
                    .extracting(m -> ((Session.ErrorReply) m).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }

    /** The next answer {@code p} gets, skipping pushes (request id 0). */
    private static Frame answer(RawPeer p) throws IOException {
        Frame f;
        do {
            f = p.read();
        } while (f.requestId() == 0);
        return f;
    }

    /** Signed-in connections that send frames a byte at a time are closed by the frame deadline. */
    @Test
    void slowWritersAfterLogin() throws Exception {
        byte[] send = RawPeer.encode(new Frame(3, new Chat.Send(malGroup, UUID.randomUUID().toString(),
                Chat.Kind.TEXT, "x".repeat(2000), List.of())));
        List<RawPeer> open = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            open.add(signedIn(i));
        }
        for (int at = 0; at < 60 && !open.isEmpty(); at++) { // the deadline is about 4 s: 24 s is plenty
            byte[] one = {send[at]};
            open.removeIf(p -> !p.write(one));
            if (at % 5 == 0) {
                healthy();
            }
            Thread.sleep(400);
        }
        assertThat(open).as("every slow writer was closed").isEmpty();
    }
}
