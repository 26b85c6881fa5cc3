package org.parley.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.parley.client.core.ClientListener;
import org.parley.client.core.ParleyClient;
import org.parley.client.core.TlsSessions;
import org.parley.client.core.TrustDecider;
import org.parley.client.core.TrustStore;
import org.parley.filetransfer.core.FileTransfers;
import org.parley.protocol.message.Chat.Attachment;
import org.parley.protocol.message.Chat.ChatMessage;
import org.parley.protocol.message.Conversations.ConversationInfo;

/**
 * Parley behind the scenarios' {@link Target}, through its real client core: many clients on one shared MINA
 * connector and two shared event threads (what a process holding thousands of clients needs), plaintext
 * unless {@code --tls true}. With TLS each simulated user keeps its own TLS sessions across its reconnects, as a
 * user's device does (its first connection is a full handshake, a reconnect resumes); {@code --tls-resumption
 * false} makes every connection a full handshake (clients before TLS resumption).
 */
public final class ParleyTarget implements Target {

    private final String host;
    private final int[] ports;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    private final NioSocketConnector connector = ParleyClient.newConnector(1);
    private final ScheduledExecutorService clientThreads = Executors.newScheduledThreadPool(2);
    private final boolean tls;
    private final boolean resumption;
    private final TrustStore trust = new MemoryTrust();

    /** {@code tls}: the server's certificate is trusted on first use, as a new user's client would after asking. */
    public ParleyTarget(String host, int port, boolean tls) {
        this(host, new int[] {port}, tls, true);
    }

    /**
     * Several server nodes: each new client connects to the next port, round robin. {@code resumption}: each user
     * resumes its TLS sessions (false: every connection is a full handshake).
     */
    public ParleyTarget(String host, int[] ports, boolean tls, boolean resumption) {
        this.host = host;
        this.ports = ports.clone();
        this.tls = tls;
        this.resumption = resumption;
    }

    /** Pins in memory only: thousands of clients in one process must not write the user's trust file. */
    private static final class MemoryTrust implements TrustStore {
        private final java.util.Map<String, String> pins = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String pinned(String h, int p) {
            return pins.get(h + ":" + p);
        }

        @Override
        public void pin(String h, int p, String fingerprint) {
            pins.put(h + ":" + p, fingerprint);
        }
    }

    @Override
    public String name() {
        return "parley";
    }

    /** Every user's TLS sessions (for the handshake counts). */
    private final java.util.Queue<TlsSessions> allSessions = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** One user's TLS sessions, kept across its reconnects (none without resumption). */
    private TlsSessions sessions() {
        if (!resumption) {
            return TlsSessions.none();
        }
        TlsSessions s = new TlsSessions();
        allSessions.add(s);
        return s;
    }

    /** With TLS: the full and the resumed handshakes of the users' connections so far. */
    @Override
    public java.util.Map<String, Long> counters() {
        if (!tls) {
            return java.util.Map.of();
        }
        long full = resumption ? 0 : TlsSessions.none().fullHandshakes();
        long resumed = 0;
        for (TlsSessions s : allSessions) {
            full += s.fullHandshakes();
            resumed += s.resumedHandshakes();
        }
        return java.util.Map.of("tlsFullHandshakes", full, "tlsResumedHandshakes", resumed);
    }

    private ParleyClient newClient(TlsSessions sessions) {
        int port = ports[Math.floorMod(next.getAndIncrement(), ports.length)];
        ParleyClient.Config config = ParleyClient.Config.of(host, port).backoff(100, 1000).tlsSessions(sessions);
        config = tls ? config.trust(trust, TrustDecider.FIRST_USE) : config.plaintext();
        return new ParleyClient(config, connector, clientThreads);
    }

    @Override
    public CompletableFuture<Void> register(String user, String password) {
        ParleyClient c = newClient(TlsSessions.none());
        // Not on the client's event thread: close() waits for that thread.
        return c.register(user, password, user).handleAsync((x, e) -> {
            c.close();
            if (e != null) {
                throw new IllegalStateException("register " + user + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Client> login(String user, String password, Consumer<String> onMessage) {
        TlsSessions sessions = sessions();
        ParleyClient c = listening(newClient(sessions), onMessage);
        return c.login(user, password).thenApply(x -> new ParleyBenchClient(c, onMessage, sessions));
    }

    private static ParleyClient listening(ParleyClient c, Consumer<String> onMessage) {
        c.addListener(new ClientListener() {
            @Override
            public void message(ChatMessage m) {
                onMessage.accept(m.text());
            }
        });
        return c;
    }

    @Override
    public void close() {
        connector.dispose(true);
        clientThreads.shutdownNow();
    }

    private final class ParleyBenchClient implements Client {
        private final ParleyClient c;
        private final Consumer<String> onMessage;
        private final TlsSessions sessions;

        ParleyBenchClient(ParleyClient c, Consumer<String> onMessage, TlsSessions sessions) {
            this.c = c;
            this.onMessage = onMessage;
            this.sessions = sessions;
        }

        @Override
        public CompletableFuture<Client> reconnect() {
            ParleyClient again = listening(newClient(sessions), onMessage);
            return again.resume(c.session().token()).thenApply(x -> new ParleyBenchClient(again, onMessage,
                    sessions));
        }

        @Override
        public CompletableFuture<Chat> direct(String otherUser) {
            return c.openDirect(otherUser).thenApply(this::chat);
        }

        @Override
        public CompletableFuture<SearchPage> search(String query, int limit) {
            return c.searchMessages(query, 0, "", limit).thenApply(r -> new SearchPage(r.hits().size(),
                    r.complete()));
        }

        @Override
        public CompletableFuture<Chat> createGroup(String name, List<String> members) {
            return c.createGroup(name, members).thenApply(this::chat);
        }

        @Override
        public CompletableFuture<Chat> joinGroup(String name) {
            return c.listConversations().thenApply(all -> all.stream().filter(i -> name.equals(i.title()))
                    .findFirst().map(this::chat)
                    .orElseThrow(() -> new IllegalStateException(c.user() + " is not in group " + name)));
        }

        private Chat chat(ConversationInfo info) {
            long id = info.id();
            return new Chat() {
                @Override
                public void send(String text) {
                    c.send(id, text);
                }

                @Override
                public CompletableFuture<Integer> latest(int n) {
                    return page(Long.MAX_VALUE, n, 0);
                }

                @Override
                public CompletableFuture<Object> upload(Path file) {
                    return new FileTransfers(c).upload(id, file, FileTransfers.UploadOptions.of(
                            "application/octet-stream"), FileTransfers.Progress.NONE).result()
                            .thenApply(done -> done.attachment());
                }

                @Override
                public CompletableFuture<Void> download(Object uploaded, Path target) {
                    // FileTransfers checks the SHA-256 against the attachment's itself; the scenario checks again.
                    return new FileTransfers(c).download((Attachment) uploaded, target, FileTransfers.Progress.NONE)
                            .result().thenApply(p -> null);
                }

                /** Pages backwards (the server gives at most 500 a page) until n messages came or none are left. */
                private CompletableFuture<Integer> page(long before, int n, int got) {
                    // A page holds at most 500 messages (FetchBefore's limit): larger asks take several pages.
                    return c.fetchBefore(id, before, Math.min(500, n - got)).thenCompose(p -> {
                        int total = got + p.messages().size();
                        if (total >= n || !p.more() || p.messages().isEmpty()) {
                            return CompletableFuture.completedFuture(total);
                        }
                        return page(p.messages().get(0).seq(), n, total);
                    });
                }
            };
        }

        @Override
        public void close() {
            c.close(); // waits for the client's event thread: never call it from there
        }
    }
}
