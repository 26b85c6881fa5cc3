package org.parley.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.testing.ChildServer;
import org.parley.server.testing.RawPeer;
import org.parley.server.testing.TestConnection;

/**
 * Signed-in members that stop reading their socket, or vanish without closing it, against a real server in a child
 * JVM with a small heap ({@code -Xmx256m}, exiting on OutOfMemoryError as the launch scripts make it) and a short
 * idle timeout. Throughout each attack a healthy client (ann to bob) chats, and cat, a member of the busy group
 * whose client reads, sees every message of it; after it the server is alive, serves a new client, and its log has no ERROR and
 * no stack trace. Waits are for events, generous: the machine may be loaded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignedInReadersIT {

    @TempDir
    static Path dir;

    private static ChildServer server;
    private static TestConnection ann;
    private static TestConnection bob;
    /** A member of every busy group who reads: she must see every message of them. */
    private static TestConnection cat;
    private static long direct;
    private static ScheduledExecutorService pinger;
    private static final AtomicInteger PINGS = new AtomicInteger();
    /** The healthy clients, and each test's sender while it is in use: real clients ping when they are silent. */
    private static final Set<TestConnection> PINGED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final AtomicInteger MESSAGES = new AtomicInteger();
    /** A message text of about 60 KB (the limit is 64 KiB): pushes of a busy group grow fast. */
    private static final String BIG = "x".repeat(60_000);

    private final List<RawPeer> peers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = ChildServer.start(dir.resolve("data"), dir.resolve("server.log"),
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Dparley.log.level=INFO",
                        "-Xlog:gc:file=" + dir.resolve("gc.log")),
                List.of("--idle-timeout-seconds", "6", "--idle-check-seconds", "1", "--slow-reader-seconds", "60",
                        "--fsync", "false",
                        "--requests-per-second", "100000", "--request-burst", "100000"));
        ann = register("ann");
        bob = register("bob");
        cat = register("cat");
        direct = ann.request(new Conversations.OpenDirect("bob"), Conversations.ConversationInfo.class).id();
        // Real clients ping when they have nothing else to send (the idle timeout is short here).
        pinger = Executors.newSingleThreadScheduledExecutor();
        PINGED.addAll(List.of(ann, bob, cat));
        pinger.scheduleWithFixedDelay(() -> {
            for (TestConnection c : PINGED) {
                if (!c.isClosed()) {
                    c.tell(new Session.Ping(PINGS.incrementAndGet()));
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pinger != null) {
            pinger.shutdownNow();
        }
        if (ann != null) {
            ann.close();
            bob.close();
            cat.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void recovered() throws IOException {
        peers.forEach(RawPeer::close);
        peers.clear();
        assertThat(server.isAlive()).as("the server process is alive").isTrue();
        healthy();
        assertThat(ann.isClosed()).as("ann's connection stays").isFalse();
        assertThat(bob.isClosed()).as("bob's connection stays").isFalse();
        assertThat(cat.isClosed()).as("cat's connection stays").isFalse();
        String log = Files.readString(dir.resolve("server.log"));
        assertThat(log).doesNotContain("\tat ").doesNotContain("level=ERROR").doesNotContain("OutOfMemoryError");
    }

    private static TestConnection register(String user) throws IOException {
        TestConnection c = TestConnection.open("127.0.0.1", server.port(), false);
        c.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t"), Session.Welcome.class);
        c.request(new Accounts.Register(user, "password-" + user, user, "t"), Accounts.LoggedIn.class);
        return c;
    }

    private static TestConnection login(String user) throws IOException {
        TestConnection c = TestConnection.open("127.0.0.1", server.port(), false);
        c.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t"), Session.Welcome.class);
        c.request(new Accounts.Login(user, "password-" + user, "t"), Accounts.LoggedIn.class);
        return c;
    }

    /** {@code user} logged in on a raw socket from an address of its own, its Welcome and LoggedIn read. */
    private RawPeer signedIn(String user, int i) throws IOException {
        RawPeer p = RawPeer.connect("127.0.3." + (1 + i % 200), server.port());
        peers.add(p);
        p.send(new Frame(1, new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION, "t")),
                new Frame(2, new Accounts.Login(user, "password-" + user, "t")));
        assertThat(p.read().message()).isInstanceOf(Session.Welcome.class);
        assertThat(p.read().message()).isInstanceOf(Accounts.LoggedIn.class);
        return p;
    }

    /** The healthy client: a new login, and a message from ann that reaches bob. */
    private static void healthy() throws IOException {
        try {
            try (TestConnection fresh = login("ann")) {
                fresh.request(new Session.Ping(1), Session.Pong.class);
            }
            String text = "still here " + MESSAGES.incrementAndGet();
            ann.request(new Chat.Send(direct, UUID.randomUUID().toString(), Chat.Kind.TEXT, text, List.of()),
                    Chat.Sent.class);
            bob.awaitPush(Chat.NewMessage.class, m -> m.message().text().equals(text));
        } catch (AssertionError | IOException | RuntimeException e) {
            List<String> lines = Files.readAllLines(dir.resolve("server.log"));
            throw new AssertionError(e.getMessage() + "\nthe server's last log lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())), e);
        }
    }

    /** A group of ann, cat, the sender and {@code others}. */
    private static long group(TestConnection sender, String title, List<String> others) {
        List<String> members = new ArrayList<>(List.of("ann", "cat"));
        members.addAll(others);
        return sender.request(new Conversations.CreateGroup(title, members), Conversations.ConversationInfo.class)
                .id();
    }

    /**
     * The sender posts {@code count} big messages to the group, a window of them pipelined at a time, the healthy
     * client chatting every 25; returns the client message ids, and checks that cat saw every one of them.
     */
    private static List<String> flood(TestConnection sender, long group, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Message>> window = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            window.add(sender.callAsync(new Chat.Send(group, id, Chat.Kind.TEXT, i + " " + BIG, List.of())));
            if (window.size() == 16) {
                for (CompletableFuture<Message> f : window) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isInstanceOf(Chat.Sent.class);
                }
                window.clear();
            }
            if (i % 25 == 0) {
                healthy();
            }
        }
        for (CompletableFuture<Message> f : window) {
            assertThat(f.get(60, TimeUnit.SECONDS)).isInstanceOf(Chat.Sent.class);
        }
        // cat, who reads, saw every message of the busy group.
        Set<String> seen = new HashSet<>();
        while (!seen.containsAll(ids)) {
            seen.add(cat.awaitPush(Chat.NewMessage.class, m -> m.message().conversationId() == group).message()
                    .clientMessageId());
        }
        return ids;
    }

    /** Everything {@code user} can fetch of {@code group} from the start, page after page. */
    private static Set<String> history(TestConnection c, long group) {
        Set<String> ids = new HashSet<>();
        long after = 0;
        while (true) {
            Chat.MessagePage page = c.request(new Chat.FetchAfter(group, after, 500), Chat.MessagePage.class);
            for (Chat.ChatMessage m : page.messages()) {
                ids.add(m.clientMessageId());
                after = Math.max(after, m.seq());
            }
            if (!page.more() || page.messages().isEmpty()) {
                return ids;
            }
        }
    }

    /**
     * Waits (up to {@code minutes}) until the server's log says it closed a connection from each of {@code addresses}
     * for not reading. Reading a socket to see whether it was closed would make its peer a reader, which the server
     * would then serve: so the log is asked first, and the sockets are read only after.
     */
    private static void awaitClosedForNotReading(Set<String> addresses, int minutes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        Set<String> closed = new HashSet<>();
        while (!closed.containsAll(addresses) && System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(dir.resolve("server.log"))) {
                java.util.regex.Matcher m = CLOSED.matcher(line);
                if (m.find()) {
                    closed.add(m.group(1));
                }
            }
            Thread.sleep(500);
        }
        assertThat(closed).as("closed for not reading").containsAll(addresses);
    }

    private static final java.util.regex.Pattern CLOSED = java.util.regex.Pattern.compile(
            "does not read.*remote=\"/([0-9.]+):");

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Members of a busy group that stay connected, ping, and never read their socket while about 18 MB of pushes
     * are addressed to each: each is closed once its unsent bytes pass {@code max-outbound-bytes} (the server
     * holds no more for it), cat sees every message, and each slow reader, logged in again, fetches everything.
     */
    @Test
    @Order(1)
    void slowReadersInABusyGroup() throws Exception {
        List<String> slow = List.of("slow0", "slow1", "slow2", "slow3");
        for (String s : slow) {
            register(s).close();
        }
        register("sam").close();
        List<String> ids;
        int warningsBefore = count(Files.readString(dir.resolve("server.log")), "does not read");
        try (TestConnection sam = login("sam"); ExecutorService pingers = Executors.newVirtualThreadPerTaskExecutor()) {
            PINGED.add(sam);
            long busy = group(sam, "busy", slow);
            List<RawPeer> readers = new ArrayList<>();
            for (int i = 0; i < slow.size(); i++) {
                readers.add(signedIn(slow.get(i), i));
            }
            // They ping every second (so that the idle timeout is not what closes them) and read nothing.
            for (RawPeer p : readers) {
                pingers.submit(() -> {
                    for (int n = 3; p.send(new Frame(n, new Session.Ping(n))); n++) {
                        Thread.sleep(1000);
                    }
                    return null;
                });
            }
            ids = flood(sam, busy, 300);
            Set<String> addresses = new HashSet<>();
            for (int i = 0; i < slow.size(); i++) {
                addresses.add("127.0.3." + (1 + i % 200));
            }
            awaitClosedForNotReading(addresses, 5);
            for (RawPeer p : readers) {
                // What was queued is read now, to the end: the server closed them (their pings go on meanwhile).
                assertThat(p.awaitClosedWithin(120_000)).as("a slow reader was closed").isTrue();
            }
            assertThat(count(Files.readString(dir.resolve("server.log")), "does not read") - warningsBefore)
                    .as("closed for not reading (logged once each)").isGreaterThanOrEqualTo(slow.size());
            // Nothing lost: logged in again, each slow reader fetches the whole history.
            for (String s : slow) {
                try (TestConnection again = login(s)) {
                    assertThat(history(again, busy)).containsAll(ids);
                }
            }
        }
    }

    /**
     * Members that vanish without FIN or RST (the socket kept, nothing read or written, as when a laptop's network
     * goes) while their busy group goes on: the idle timeout closes them, their contacts see them go OFFLINE, what
     * was addressed to them meanwhile is bounded, bob is served throughout and sees every message.
     */
    @Test
    @Order(2)
    void halfOpenConnectionsAfterLogin() throws Exception {
        List<String> gone = List.of("gone0", "gone1", "gone2", "gone3", "gone4", "gone5");
        for (String g : gone) {
            try (TestConnection c = register(g)) {
                ann.request(new Contacts.RequestContact(g), Session.Ok.class);
                c.request(new Contacts.AnswerContact("ann", true), Session.Ok.class);
            }
        }
        register("sue").close();
        try (TestConnection sue = login("sue")) {
            PINGED.add(sue);
            long busy = group(sue, "busy too", gone);
            ann.drainPushes(Contacts.PresenceChanged.class);
            for (int i = 0; i < gone.size(); i++) {
                signedIn(gone.get(i), 10 + i); // and then nothing, either way
            }
            Set<String> offline = new HashSet<>();
            CompletableFuture<Void> allOffline = CompletableFuture.runAsync(() -> {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!offline.containsAll(gone) && System.nanoTime() < deadline) {
                    try {
                        Contacts.PresenceChanged p = ann.awaitPush(Contacts.PresenceChanged.class,
                                c -> c.presence() == Contacts.Presence.OFFLINE);
                        synchronized (offline) {
                            offline.add(p.user());
                        }
                    } catch (AssertionError e) {
                        // none within the helper's timeout: wait on until the deadline
                    }
                }
            });
            // The group goes on while they are gone: a burst of big messages every round, until all are offline.
            List<String> ids = new ArrayList<>();
            while (!allOffline.isDone()) {
                ids.addAll(flood(sue, busy, 20));
            }
            allOffline.join();
            synchronized (offline) {
                assertThat(offline).as("contacts saw them go offline").containsAll(gone);
            }
            for (RawPeer p : peers) {
                assertThat(p.awaitClosedWithin(60_000)).as("a half-open connection was closed").isTrue();
            }
            for (String g : gone) {
                try (TestConnection again = login(g)) {
                    assertThat(history(again, busy)).containsAll(ids);
                }
            }
        }
    }

    /**
     * Many connections of a few accounts each pipeline history pages of about 1 MiB and read none: each connection
     * may queue up to half of {@code max-outbound-bytes} (4 MiB) before its requests wait, so 128 of them (four
     * accounts of 32 connections) held more than the heap: the server died of OutOfMemoryError. With the
     * server-wide {@code max-outbound-total-bytes}, a connection that has not read its backlog gets nothing more
     * built for it while the server is over the bound, pages are small meanwhile, and the connections longest
     * behind are closed; the healthy client is served throughout, and cat, who reads, pages through the whole
     * history of the group while the pagers press.
     */
    @Test
    @Order(3)
    void manyNonReadingPagersDoNotExhaustTheHeap() throws Exception {
        List<String> pagers = List.of("pager0", "pager1", "pager2", "pager3");
        for (String s : pagers) {
            register(s).close();
        }
        register("pam").close();
        long pages;
        List<String> ids;
        try (TestConnection pam = login("pam")) {
            PINGED.add(pam);
            pages = group(pam, "pages", pagers);
            ids = flood(pam, pages, 40);
        }
        Frame[] fetches = new Frame[PAGER_FETCHES];
        for (int k = 0; k < fetches.length; k++) {
            fetches[k] = new Frame(3 + k, new Chat.FetchBefore(pages, 0, 500));
        }
        byte[] pipelined = RawPeer.encode(fetches);
        // Every way out closes the pagers (their writers ping until their connection is closed, and the executor's
        // close waits for the writers): a failure while they are being set up is reported, not waited on forever.
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
                AutoCloseable stopWriters = () -> peers.forEach(RawPeer::close)) {
            for (int i = 0; i < 128; i++) {
                RawPeer p = signedIn(pagers.get(i % pagers.size()), 20 + i);
                writers.submit(() -> { // a write blocks once the server stops reading
                    if (p.write(pipelined)) {
                        // Then a ping a second, so that the idle timeout is not what closes it.
                        for (int n = 100; p.send(new Frame(n, new Session.Ping(n))); n++) {
                            Thread.sleep(1000);
                        }
                    }
                    return null;
                });
                if (i % 24 == 0) {
                    healthy();
                }
            }
            checkPagers(pages, ids);
        }
    }

    private void checkPagers(long pages, List<String> ids) throws Exception {
        {
            for (int round = 0; round < 5; round++) {
                healthy();
                // A member who reads gets the history, page after page, whatever the others do.
                assertThat(history(cat, pages)).containsAll(ids);
            }
            // Whether the server got over max-outbound-total-bytes (and closed the pagers longest behind) or each
            // pager reached max-outbound-bytes first depends on how fast this machine answers: either way the
            // server stays alive (without the bound it died of OutOfMemoryError), and the checks above and below hold.
            // Each pager was closed for not reading, or, read now, gets every answer it asked for: the server
            // withholds nothing from a client that reads (and its answers that fit in the sockets cost it nothing).
            for (int i = 0; i < peers.size(); i++) {
                RawPeer p = peers.get(i);
                Set<Integer> answered = new HashSet<>();
                try {
                    while (answered.size() < PAGER_FETCHES) {
                        Frame f = p.read();
                        if (f.message() instanceof Chat.MessagePage) {
                            answered.add(f.requestId());
                        }
                    }
                } catch (IOException closed) {
                    assertThat(Files.readString(dir.resolve("server.log")))
                            .as("pager %d was closed for not reading", i)
                            .containsPattern("does not read.*remote=\"/127\\.0\\.3\\." + (1 + (20 + i) % 200) + ":");
                }
                p.close(); // its writer stops pinging
            }
        }
    }

    /** History pages each non-reading pager asks for at once, about 1 MiB each (4 MiB may wait per connection). */
    private static final int PAGER_FETCHES = 12;
}
