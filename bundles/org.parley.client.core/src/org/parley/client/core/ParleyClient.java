package org.parley.client.core;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.parley.client.core.internal.EventLoop;
import org.parley.client.core.internal.Link;
import org.parley.client.core.internal.PinningTrustManager;
import org.parley.client.core.internal.ServerTrustManager;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Reactions;
import org.parley.protocol.message.Search;
import org.parley.protocol.message.Session;

/**
 * A Parley client: one user's connection to one server, kept alive by itself.
 *
 * <p>After {@link #login} or {@link #register}, the client stays logged in until {@link #logout} or
 * {@link #close}: when the connection drops it reconnects with exponential backoff, resumes the session with its
 * token, catches up on every conversation ("everything after the last message I have") and resends what it had
 * not yet had acknowledged, so that no message is lost, shown twice or out of order. All events reach the
 * {@link ClientListener}s on one event thread, in order. Requests return futures; a failed request completes
 * with a {@link ParleyClientException}.
 */
public final class ParleyClient implements AutoCloseable {

    /** How to reach the server and how to behave. */
    public record Config(String host, int port, boolean tls, TrustStore trustStore, TrustDecider trustDecider,
            String device, long requestTimeoutMillis, long initialBackoffMillis, long maxBackoffMillis,
            CertificateAuthorities authorities) {

        /**
         * TLS; a certificate the system's CAs verify for {@code host} is accepted, any other is pinned on first
         * use in {@code ~/.parley/known_servers} (unknown ones refused unless {@link #trust} says otherwise).
         */
        public static Config of(String host, int port) {
            return new Config(host, port, true, FileTrustStore.inUserHome(), TrustDecider.PINNED_ONLY, "",
                    15_000, 250, 30_000, CertificateAuthorities.system());
        }

        public Config plaintext() {
            return new Config(host, port, false, trustStore, trustDecider, device, requestTimeoutMillis,
                    initialBackoffMillis, maxBackoffMillis, authorities);
        }

        public Config trust(TrustStore store, TrustDecider decider) {
            return new Config(host, port, tls, store, decider, device, requestTimeoutMillis, initialBackoffMillis,
                    maxBackoffMillis, authorities);
        }

        /** The certificate authorities whose certificates need no pin (default: the system's). */
        public Config authorities(CertificateAuthorities cas) {
            return new Config(host, port, tls, trustStore, trustDecider, device, requestTimeoutMillis,
                    initialBackoffMillis, maxBackoffMillis, cas);
        }

        public Config device(String name) {
            return new Config(host, port, tls, trustStore, trustDecider, name, requestTimeoutMillis,
                    initialBackoffMillis, maxBackoffMillis, authorities);
        }

        public Config backoff(long initialMillis, long maxMillis) {
            return new Config(host, port, tls, trustStore, trustDecider, device, requestTimeoutMillis, initialMillis,
                    maxMillis, authorities);
        }
    }

    private record PendingSend(Chat.Send request, CompletableFuture<Chat.Sent> result) {
    }

    /** Per conversation: the newest seq handed to listeners, the newest seq known to exist, a fetch under way. */
    private static final class Cursor {
        long delivered;
        long highestSeen;
        boolean fetching;
        /** The conversation's reaction revision this client has caught up with (-1: not known yet). */
        long reactionRevision = -1;
        boolean fetchingReactions;
    }

    private static final int PAGE = 200;
    private static final Set<ErrorCode> RETRYABLE = Set.of(ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE,
            ErrorCode.INTERNAL_ERROR);

    private final Config config;
    private final NioSocketConnector connector;
    private final boolean ownConnector;
    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();
    private final EventLoop events;
    private final java.util.concurrent.ScheduledFuture<?> deliveredTimer;

    // Everything below is touched on the event thread only.
    private final Map<Long, Cursor> cursors = new HashMap<>();
    private final Map<String, PendingSend> outbox = new LinkedHashMap<>();
    private final RecentIds ownSent = new RecentIds(10_000); // recognises own messages met again in a catch-up
    /** Edit and delete entries handed to listeners ("conversation:seq"), so that each is reported once. */
    private final RecentIds changesReported = new RecentIds(10_000);
    private final Set<Long> deliveredDirty = new HashSet<>();
    private Link link;
    private ConnectionState state = ConnectionState.OFFLINE;
    private Accounts.LoggedIn session;
    private volatile Session.Welcome welcome;
    private volatile int protocolVersion; // of the current connection, from its Welcome; 0 before the first
    private long backoff;
    private boolean wanted; // the user wants to be online
    private volatile String lastTrustRejection;
    private final DisplayNames names = new DisplayNames();

    public ParleyClient(Config config) {
        this(config, null);
    }

    /** A client on a shared connector (see {@link #newConnector}); the connector is not closed with the client. */
    public ParleyClient(Config config, NioSocketConnector sharedConnector) {
        this(config, sharedConnector, null);
    }

    /**
     * A client for load tests and bots: on a shared connector and a shared scheduler (neither is closed with the
     * client), so that thousands of clients need only a few threads. Each client's events still run one at a
     * time, in order.
     */
    public ParleyClient(Config config, NioSocketConnector sharedConnector, ScheduledExecutorService sharedScheduler) {
        this.config = config;
        this.ownConnector = sharedConnector == null;
        this.connector = sharedConnector == null ? Link.newConnector(1) : sharedConnector;
        this.events = sharedScheduler == null
                ? EventLoop.ownThread("parley-client-" + config.host() + ":" + config.port())
                : EventLoop.shared(sharedScheduler);
        this.backoff = config.initialBackoffMillis();
        this.deliveredTimer = events.scheduleWithFixedDelay(this::flushDelivered, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** A connector for many clients in one process (benchmarks, bots): they share its I/O threads. */
    public static NioSocketConnector newConnector(int ioThreads) {
        return Link.newConnector(ioThreads);
    }

    public void addListener(ClientListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ClientListener listener) {
        listeners.remove(listener);
    }

    private void emit(Consumer<ClientListener> event) {
        for (ClientListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                // a listener's bug must not stop the client
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
    }

    private void setState(ConnectionState s) {
        if (state != s) {
            state = s;
            emit(l -> l.stateChanged(s));
        }
    }

    /** The connection state (read from any thread; may lag behind by an event). */
    public ConnectionState state() {
        return state;
    }

    /** How this client reaches its server (host and port as given). */
    public Config config() {
        return config;
    }

    /** The current session, or null before the first login. */
    public Accounts.LoggedIn session() {
        return session;
    }

    /** What the server said of itself at the last sign-in (its name and version, its limits), or null before. */
    public Session.Welcome welcome() {
        return welcome;
    }

    /** The display names this client has met (its own, the contacts', the requests', search results). */
    public DisplayNames names() {
        return names;
    }

    /** The user name logged in, or null. */
    public String user() {
        Accounts.LoggedIn s = session;
        return s == null ? null : s.user();
    }

    /**
     * The protocol version the server chose for the current (or last) connection: 2 with a current server, 1 with
     * a server that speaks only version 1 (it tells no roles); 0 before the first login.
     */
    public int protocolVersion() {
        return protocolVersion;
    }

    /** Whether the logged-in user is an admin of the group (as the server last told; never in a 1:1 chat). */
    public boolean isAdmin(Conversations.ConversationInfo conversation) {
        String me = user();
        return conversation.members().stream().anyMatch(m -> m.user().equals(me) && m.admin());
    }

    /**
     * Whether the logged-in user may remove other members of the group and name or demote its admins: its admins
     * may; with a version 1 server, which has no roles, every member may remove (and nobody names admins).
     */
    public boolean mayManageMembers(Conversations.ConversationInfo conversation) {
        if (conversation.kind() != Conversations.Kind.GROUP) {
            return false;
        }
        return protocolVersion == 1 || isAdmin(conversation);
    }

    // ---------------------------------------------------------------- connecting and logging in

    public CompletableFuture<Accounts.LoggedIn> register(String user, String password, String displayName) {
        return register(user, password, displayName, "");
    }

    /**
     * Registers with an invitation code (empty for none), as a server with {@code registration=invite} requires;
     * without one such a server answers {@code FORBIDDEN} saying that a code is needed.
     */
    public CompletableFuture<Accounts.LoggedIn> register(String user, String password, String displayName,
            String invitation) {
        return start(new Accounts.Register(user, password, displayName, config.device(), invitation));
    }

    /**
     * Sets a new password with the one-time code an administrator made ({@code CreatePasswordReset}) and logs in;
     * every other session of the account is revoked. A wrong, used or expired code is AUTHENTICATION_FAILED.
     */
    public CompletableFuture<Accounts.LoggedIn> resetPassword(String user, String code, String newPassword) {
        return start(new Accounts.ResetPassword(user, code, newPassword, config.device()));
    }

    public CompletableFuture<Accounts.LoggedIn> login(String user, String password) {
        return start(new Accounts.Login(user, password, config.device()));
    }

    /** Logs in with a token saved from an earlier session ({@link Accounts.LoggedIn#token()}). */
    public CompletableFuture<Accounts.LoggedIn> resume(String token) {
        return start(new Accounts.Resume(token, config.device()));
    }

    private CompletableFuture<Accounts.LoggedIn> start(Message loginRequest) {
        return onEvents(() -> {
            if (wanted && state != ConnectionState.OFFLINE) {
                throw new ParleyClientException(ErrorCode.CONFLICT, "already logged in or logging in");
            }
            wanted = true;
            setState(ConnectionState.CONNECTING);
            return null;
        }).thenCompose(x -> connectAndLogin(loginRequest)).whenComplete((s, e) -> {
            if (e != null) {
                events.execute(() -> {
                    wanted = false;
                    setState(ConnectionState.OFFLINE);
                });
            }
        });
    }

    /** Connects, says Hello, logs in; then (on the event thread) goes ONLINE, resyncs and flushes the outbox. */
    private CompletableFuture<Accounts.LoggedIn> connectAndLogin(Message loginRequest) {
        Link l = new Link(m -> events.execute(() -> onPush(m)), () -> events.execute(this::onLinkClosed),
                config.requestTimeoutMillis());
        SSLContext tls;
        try {
            tls = config.tls() ? sslContext(l) : null;
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(new ParleyClientException("TLS is not available: " + e, e));
        }
        return l.connect(connector, config.host(), config.port(), tls)
                .thenCompose(x -> l.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION,
                        "parley-client-core/0.1")))
                .thenCompose(w -> {
                    Session.Welcome hello = (Session.Welcome) w;
                    return l.request(loginRequest).thenApply(r -> {
                        events.execute(() -> {
                            welcome = hello;
                            protocolVersion = hello.version();
                        });
                        return (Accounts.LoggedIn) r;
                    });
                })
                .handle((loggedIn, error) -> {
                    if (error != null) {
                        l.close();
                        throw new CompletionException(explain(error));
                    }
                    return loggedIn;
                })
                .thenApplyAsync(loggedIn -> {
                    if (!wanted) { // logged out or closed meanwhile
                        l.close();
                        throw new ParleyClientException("the client was closed", null);
                    }
                    if (link != null) {
                        link.close();
                    }
                    link = l;
                    session = loggedIn;
                    names.put(loggedIn.user(), loggedIn.displayName());
                    backoff = config.initialBackoffMillis();
                    setState(ConnectionState.ONLINE);
                    emit(x -> x.loggedIn(loggedIn));
                    resync();
                    outbox.values().forEach(this::transmit);
                    return loggedIn;
                }, events);
    }

    private SSLContext sslContext(Link l) throws GeneralSecurityException {
        Consumer<String> rejected = reason -> {
            lastTrustRejection = reason;
            // Do not wait for replies that cannot come: the handshake has failed.
            l.close();
            l.failAll(new TrustRejectedException(reason));
        };
        PinningTrustManager pins = new PinningTrustManager(config.host(), config.port(), config.trustStore(),
                config.trustDecider(), rejected);
        ServerTrustManager tm = new ServerTrustManager(config.host(), config.port(),
                config.authorities().trustManagers(), pins, rejected);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
        return ctx;
    }

    /** Turns a low-level failure into the exception a user can act on. */
    private ParleyClientException explain(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String trust = lastTrustRejection;
        if (trust != null) {
            lastTrustRejection = null;
            return new TrustRejectedException(trust);
        }
        if (e instanceof ParleyClientException p) {
            return p;
        }
        if (e instanceof java.util.concurrent.TimeoutException) {
            return new ParleyClientException("the server did not answer within "
                    + config.requestTimeoutMillis() / 1000 + " s", e);
        }
        return new ParleyClientException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }

    /** The server's certificate was not trusted: reconnecting cannot help; the user must decide. */
    public static final class TrustRejectedException extends ParleyClientException {
        private static final long serialVersionUID = 1L;

        TrustRejectedException(String message) {
            super(message, null);
        }
    }

    private void onLinkClosed() {
        if (link == null || link.isOpen()) {
            return; // an old or never-used link
        }
        link = null;
        if (!wanted) {
            setState(ConnectionState.OFFLINE);
            return;
        }
        setState(ConnectionState.RECONNECTING);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long jitter = (long) (backoff * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        long delay = Math.max(0, backoff + jitter);
        backoff = Math.min(config.maxBackoffMillis(), backoff * 2);
        events.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
    }

    private void reconnect() {
        if (!wanted || link != null || session == null) {
            return;
        }
        connectAndLogin(new Accounts.Resume(session.token(), config.device())).whenComplete((s, e) -> {
            if (e == null) {
                return;
            }
            ParleyClientException p = explain(e);
            events.execute(() -> {
                if (!wanted || link != null) {
                    return;
                }
                if (p instanceof TrustRejectedException || p.code() == ErrorCode.INVALID_TOKEN
                        || p.code() == ErrorCode.ACCOUNT_DISABLED) {
                    wanted = false;
                    setState(ConnectionState.OFFLINE);
                    emit(l -> l.problem(p));
                } else {
                    scheduleReconnect();
                }
            });
        });
    }

    /** Logs out: the session token is revoked and the client stays offline. */
    public CompletableFuture<Void> logout() {
        return onEvents(() -> {
            wanted = false;
            return link;
        }).thenCompose(l -> l == null ? CompletableFuture.completedFuture(null)
                : l.request(new Accounts.Logout()).handle((r, e) -> {
                    l.closeOnFlush();
                    return null;
                })).thenRun(() -> events.execute(() -> setState(ConnectionState.OFFLINE)));
    }

    /** Closes the connection without logging out (the session can be resumed later); stops reconnecting. */
    @Override
    public void close() {
        CompletableFuture<Void> done = onEvents(() -> {
            wanted = false;
            if (link != null) {
                link.close();
            }
            setState(ConnectionState.OFFLINE);
            return null;
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        deliveredTimer.cancel(false);
        events.shutdown();
        if (ownConnector) {
            connector.dispose(false);
        }
    }

    /** Drops the connection as if the network failed (tests; "reconnect now" in a UI): the client reconnects. */
    public void dropConnection() {
        events.execute(() -> {
            if (link != null) {
                link.close();
            }
        });
    }

    private <T> CompletableFuture<T> onEvents(java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            events.execute(() -> {
                try {
                    f.complete(work.call());
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new ParleyClientException("the client is closed", e));
        }
        return f;
    }

    // ---------------------------------------------------------------- requests

    /** Sends any request and returns its reply; fails at once when not online. */
    public CompletableFuture<Message> request(Message request) {
        return onEvents(() -> link).thenCompose(l -> {
            if (l == null || state != ConnectionState.ONLINE) {
                return CompletableFuture.failedFuture(new ParleyClientException("not connected to the server", null));
            }
            return l.request(request);
        });
    }

    private <T extends Message> CompletableFuture<T> call(Message request, Class<T> reply) {
        return request(request).thenApply(reply::cast);
    }

    public CompletableFuture<List<Contacts.UserInfo>> searchUsers(String query, int limit) {
        return call(new Contacts.SearchUsers(query, limit), Contacts.UserList.class).thenApply(list -> {
            names.putAll(list.users());
            return list.users();
        });
    }

    public CompletableFuture<Contacts.ContactList> listContacts() {
        return call(new Contacts.ListContacts(), Contacts.ContactList.class).thenApply(list -> {
            names.putAll(list.contacts());
            names.putAll(list.incoming());
            names.putAll(list.outgoing());
            return list;
        });
    }

    public CompletableFuture<Void> requestContact(String user) {
        return call(new Contacts.RequestContact(user), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> answerContact(String user, boolean accept) {
        return call(new Contacts.AnswerContact(user, accept), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> removeContact(String user) {
        return call(new Contacts.RemoveContact(user), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> setPresence(Contacts.Presence presence, String statusText) {
        return call(new Contacts.SetPresence(presence, statusText), Session.Ok.class).thenApply(x -> null);
    }

    /** Opens (or finds) the 1:1 conversation with a user; listeners hear {@code conversationUpdated}. */
    public CompletableFuture<Conversations.ConversationInfo> openDirect(String user) {
        return call(new Conversations.OpenDirect(user), Conversations.ConversationInfo.class).thenApply(this::known);
    }

    /** Creates a group; listeners hear {@code conversationUpdated}. */
    public CompletableFuture<Conversations.ConversationInfo> createGroup(String title, List<String> members) {
        return call(new Conversations.CreateGroup(title, members), Conversations.ConversationInfo.class)
                .thenApply(this::known);
    }

    /** A conversation this client learnt of from a reply (the server pushes it only to the other members). */
    private Conversations.ConversationInfo known(Conversations.ConversationInfo info) {
        events.execute(() -> {
            Cursor c = cursors.get(info.id());
            if (c == null) {
                c = cursor(info.id());
                c.delivered = info.lastSeq(); // what exists already is history, not news
            }
            if (c.reactionRevision < 0) {
                c.reactionRevision = info.reactionRevision();
            }
            emit(l -> l.conversationUpdated(info));
        });
        return info;
    }

    public CompletableFuture<Void> rename(long conversationId, String title) {
        return call(new Conversations.Rename(conversationId, title), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> addMembers(long conversationId, List<String> users) {
        return call(new Conversations.AddMembers(conversationId, users), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> removeMember(long conversationId, String user) {
        return call(new Conversations.RemoveMember(conversationId, user), Session.Ok.class).thenApply(x -> null);
    }

    /**
     * Names {@code user} an admin of the group ({@link Conversations.Role#ADMIN}) or makes an admin a member again;
     * only admins may (FORBIDDEN otherwise), and a group keeps at least one admin (CONFLICT).
     */
    public CompletableFuture<Void> setRole(long conversationId, String user, Conversations.Role role) {
        return call(new Conversations.SetRole(conversationId, user, role), Session.Ok.class).thenApply(x -> null);
    }

    public CompletableFuture<Void> leave(long conversationId) {
        return call(new Conversations.Leave(conversationId), Session.Ok.class).thenApply(x -> null);
    }

    /** Every conversation of the user, asked a page at a time (a page is what fits in one frame). */
    public CompletableFuture<List<Conversations.ConversationInfo>> listConversations() {
        return listConversations(0, new ArrayList<>());
    }

    private CompletableFuture<List<Conversations.ConversationInfo>> listConversations(long afterId,
            List<Conversations.ConversationInfo> into) {
        return call(new Conversations.ListConversations(afterId, 0), Conversations.ConversationList.class)
                .thenCompose(page -> {
                    into.addAll(page.conversations());
                    if (!page.more() || page.conversations().isEmpty()) { // a version 1 server never says more
                        return CompletableFuture.completedFuture(into);
                    }
                    return listConversations(page.conversations().getLast().id(), into);
                });
    }

    /** History: up to {@code limit} messages before {@code beforeSeq} (0 = the newest), oldest first. */
    public CompletableFuture<Chat.MessagePage> fetchBefore(long conversationId, long beforeSeq, int limit) {
        return call(new Chat.FetchBefore(conversationId, beforeSeq, limit), Chat.MessagePage.class);
    }

    public CompletableFuture<Chat.MessagePage> fetchAfter(long conversationId, long afterSeq, int limit) {
        return call(new Chat.FetchAfter(conversationId, afterSeq, limit), Chat.MessagePage.class);
    }

    /**
     * Message search: the messages holding every word of {@code query} (also as word beginnings; case and accents
     * ignored) in the caller's conversations ({@code conversationId} 0) or in one, newest first; {@code cursor} ""
     * for the first page, else the previous page's {@code nextCursor}; {@code limit} 0 = the server's default.
     */
    public CompletableFuture<Search.SearchResults> searchMessages(String query, long conversationId, String cursor,
            int limit) {
        return call(new Search.SearchMessages(query, conversationId, cursor, limit), Search.SearchResults.class);
    }

    /** Message {@code seq} with up to {@code before} messages before it and {@code after} after it, oldest first. */
    public CompletableFuture<Search.AroundPage> fetchAround(long conversationId, long seq, int before, int after) {
        return call(new Search.FetchAround(conversationId, seq, before, after), Search.AroundPage.class);
    }

    /**
     * Reacts to message {@code seq} with {@code emoji} (one emoji: {@link org.parley.protocol.Emoji}). Adding one
     * already there changes nothing, so a retry is safe. Listeners hear {@code reactionsChanged} once it is stored.
     */
    public CompletableFuture<Reactions.ReactionChanged> addReaction(long conversationId, long seq, String emoji) {
        return reacted(call(new Reactions.AddReaction(conversationId, seq, emoji), Reactions.ReactionChanged.class));
    }

    /** Takes back the user's {@code emoji} reaction to message {@code seq}; as {@link #addReaction}. */
    public CompletableFuture<Reactions.ReactionChanged> removeReaction(long conversationId, long seq, String emoji) {
        return reacted(call(new Reactions.RemoveReaction(conversationId, seq, emoji),
                Reactions.ReactionChanged.class));
    }

    private CompletableFuture<Reactions.ReactionChanged> reacted(CompletableFuture<Reactions.ReactionChanged> f) {
        return f.thenApplyAsync(change -> {
            reactionChanged(change);
            return change;
        }, events);
    }

    /** On the event thread: a change (pushed, or this client's answer) moves the revision and is told. */
    private void reactionChanged(Reactions.ReactionChanged change) {
        Cursor c = cursor(change.conversationId());
        c.reactionRevision = Math.max(c.reactionRevision, change.revision());
        emit(l -> l.reactionsChanged(change.conversationId(), change.seq(), change.reactions()));
    }

    /**
     * Asks for the reactions that changed after the revision this client has, page by page, and tells listeners
     * (after a reconnect: changes made while this client was offline, on messages it may already show).
     */
    private void catchUpReactions(long conversationId) {
        Cursor c = cursor(conversationId);
        if (c.fetchingReactions || link == null || c.reactionRevision < 0) {
            return;
        }
        c.fetchingReactions = true;
        link.request(new Reactions.FetchReactions(conversationId, c.reactionRevision, PAGE)).whenComplete((r, e) ->
                events.execute(() -> {
                    c.fetchingReactions = false;
                    if (e != null) {
                        return; // the connection dropped or the conversation is gone: resync will come
                    }
                    Reactions.ReactionUpdates page = (Reactions.ReactionUpdates) r;
                    for (Reactions.MessageReactions m : page.messages()) {
                        emit(l -> l.reactionsChanged(conversationId, m.seq(), m.reactions()));
                    }
                    c.reactionRevision = Math.max(c.reactionRevision, page.revision());
                    if (page.more()) {
                        catchUpReactions(conversationId);
                    }
                }));
    }

    public void markRead(long conversationId, long upToSeq) {
        events.execute(() -> {
            if (link != null) {
                link.tell(new Chat.MarkRead(conversationId, upToSeq));
            }
        });
    }

    public void typing(long conversationId, boolean typing) {
        events.execute(() -> {
            if (link != null) {
                link.tell(new Chat.Typing(conversationId, typing));
            }
        });
    }

    /**
     * Changes this account's password. The server then revokes every other session of the account (other devices
     * are signed out); this one stays signed in with its token. A wrong current password is AUTHENTICATION_FAILED,
     * a new password the server's rules refuse INVALID_ARGUMENT with the rule in words.
     */
    public CompletableFuture<Void> changePassword(String oldPassword, String newPassword) {
        return call(new Accounts.ChangePassword(oldPassword, newPassword), Session.Ok.class).thenApply(x -> null);
    }

    /** A new invitation code (administrators, or everyone when the server allows it; else FORBIDDEN). */
    public CompletableFuture<org.parley.protocol.message.Admin.InvitationCreated> createInvitation() {
        return call(new org.parley.protocol.message.Admin.CreateInvitation(),
                org.parley.protocol.message.Admin.InvitationCreated.class);
    }

    public CompletableFuture<Void> disableAccount(String user) {
        return call(new Accounts.DisableAccount(user), Session.Ok.class).thenApply(x -> null);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends a text message. The message is kept until the server has stored it: if the connection drops, it is
     * sent again (with the same id, so never stored twice) after the client has reconnected. The future completes
     * when the server has stored it, or fails when the server refuses it for good.
     */
    public CompletableFuture<Chat.Sent> send(long conversationId, String text) {
        return send(conversationId, org.parley.protocol.ClientIds.next(), text);
    }

    /** {@link #send(long, String)} with the caller's own client message id. */
    public CompletableFuture<Chat.Sent> send(long conversationId, String clientMessageId, String text) {
        return send(conversationId, clientMessageId, text, 0);
    }

    /**
     * {@link #send(long, String, String)} as a reply to message {@code replyTo} of the same conversation (0: a
     * message that answers none). A server refuses a {@code replyTo} that names no message of the conversation.
     */
    public CompletableFuture<Chat.Sent> send(long conversationId, String clientMessageId, String text, long replyTo) {
        CompletableFuture<Chat.Sent> result = new CompletableFuture<>();
        events.execute(() -> {
            Session.Welcome w = welcome;
            if (w != null && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > w.maxMessageBytes()) {
                result.completeExceptionally(new ParleyClientException(ErrorCode.TOO_LARGE,
                        "the message is larger than the server's limit of " + w.maxMessageBytes() + " bytes"));
                return;
            }
            PendingSend p = new PendingSend(new Chat.Send(conversationId, clientMessageId, Chat.Kind.TEXT, text,
                    List.of(), replyTo), result);
            outbox.put(clientMessageId, p);
            if (link != null && state == ConnectionState.ONLINE) {
                transmit(p);
            }
        });
        return result;
    }

    /**
     * Edits one's own message {@code seq} (its text, or a file's caption). The future completes with the server's
     * {@code Sent} for the edit (its own seq) once stored; listeners then hear {@link ClientListener#messageEdited}
     * as they do for an edit from elsewhere. Not kept while offline: it fails when there is no connection, and may
     * be sent again with {@link #editMessage(long, long, String, String)} and the same id (applied once).
     */
    public CompletableFuture<Chat.Sent> editMessage(long conversationId, long seq, String text) {
        return editMessage(conversationId, seq, org.parley.protocol.ClientIds.next(), text);
    }

    /** {@link #editMessage(long, long, String)} with the caller's own client message id. */
    public CompletableFuture<Chat.Sent> editMessage(long conversationId, long seq, String clientMessageId,
            String text) {
        return call(new Chat.Edit(conversationId, seq, clientMessageId, text), Chat.Sent.class).thenApply(sent -> {
            Chat.ChatMessage entry = new Chat.ChatMessage(conversationId, sent.seq(), sent.timestamp(), user(),
                    clientMessageId, Chat.Kind.EDIT, text, List.of(), 0, false, seq);
            events.execute(() -> acknowledged(entry));
            return sent;
        });
    }

    /**
     * Deletes message {@code seq} for everyone (one's own, or any as a group's admin). As
     * {@link #editMessage(long, long, String)}: listeners hear {@link ClientListener#messageDeleted} once stored.
     */
    public CompletableFuture<Chat.Sent> deleteMessage(long conversationId, long seq) {
        return deleteMessage(conversationId, seq, org.parley.protocol.ClientIds.next());
    }

    /** {@link #deleteMessage(long, long)} with the caller's own client message id. */
    public CompletableFuture<Chat.Sent> deleteMessage(long conversationId, long seq, String clientMessageId) {
        return call(new Chat.Delete(conversationId, seq, clientMessageId), Chat.Sent.class).thenApply(sent -> {
            Chat.ChatMessage entry = new Chat.ChatMessage(conversationId, sent.seq(), sent.timestamp(), user(),
                    clientMessageId, Chat.Kind.DELETE, "", List.of(), 0, false, seq);
            events.execute(() -> acknowledged(entry));
            return sent;
        });
    }

    /** Messages not yet acknowledged by the server (shown as "sending" in a UI). */
    public CompletableFuture<Integer> pendingCount() {
        return onEvents(outbox::size);
    }

    /**
     * The messages to a conversation that the server has not acknowledged yet, oldest first (what a chat shows as
     * waiting to be sent, for example after it was reopened while offline).
     */
    public CompletableFuture<List<Chat.Send>> pending(long conversationId) {
        return onEvents(() -> outbox.values().stream().map(PendingSend::request)
                .filter(r -> r.conversationId() == conversationId).toList());
    }

    private void transmit(PendingSend p) {
        Link l = link;
        l.request(p.request()).whenComplete((reply, error) -> events.execute(() -> {
            if (outbox.get(p.request().clientMessageId()) != p) {
                return; // already settled by an earlier transmission
            }
            if (error == null) {
                outbox.remove(p.request().clientMessageId());
                acknowledged(p.request(), (Chat.Sent) reply);
                p.result().complete((Chat.Sent) reply);
                return;
            }
            ParleyClientException e = explain(error);
            if (e.code() != null && !RETRYABLE.contains(e.code())) {
                outbox.remove(p.request().clientMessageId());
                p.result().completeExceptionally(e);
                emit(x -> x.messageFailed(p.request().clientMessageId(), e));
            } else if (e.code() != null && link == l) {
                events.schedule(() -> {
                    if (outbox.get(p.request().clientMessageId()) == p && link != null) {
                        transmit(p);
                    }
                }, 1, TimeUnit.SECONDS);
            }
            // no code: the connection is gone; the message is resent after the reconnect
        }));
    }

    private void acknowledged(Chat.Send request, Chat.Sent sent) {
        acknowledged(new Chat.ChatMessage(sent.conversationId(), sent.seq(), sent.timestamp(), user(),
                sent.clientMessageId(), Chat.Kind.TEXT, request.text(), List.of(), request.replyTo()));
    }

    /**
     * For feature plug-ins that post messages through requests of their own (file transfer's UploadFinish): a
     * message from this client is stored; listeners hear {@code messageSent} and the conversation's cursor moves,
     * exactly as for {@link #send}.
     */
    public void messagePosted(Chat.ChatMessage message) {
        events.execute(() -> acknowledged(message));
    }

    private void acknowledged(Chat.ChatMessage mine) {
        ownSent.add(mine.clientMessageId());
        boolean fresh = !mine.isChange() || changesReported.add(mine.conversationId() + ":" + mine.seq());
        Cursor c = cursor(mine.conversationId());
        c.highestSeen = Math.max(c.highestSeen, mine.seq());
        if (mine.seq() == c.delivered + 1) {
            c.delivered = mine.seq();
        }
        if (mine.kind() == Chat.Kind.EDIT) {
            if (fresh) {
                emit(l -> l.messageEdited(mine));
            }
        } else if (mine.kind() == Chat.Kind.DELETE) {
            if (fresh) {
                emit(l -> l.messageDeleted(mine));
            }
        } else {
            emit(l -> l.messageSent(mine));
        }
        if (c.highestSeen > c.delivered) {
            catchUp(mine.conversationId());
        }
    }

    // ---------------------------------------------------------------- receiving and catching up

    private Cursor cursor(long conversationId) {
        return cursors.computeIfAbsent(conversationId, id -> new Cursor());
    }

    private void onPush(Message m) {
        switch (m) {
            case Chat.NewMessage n -> received(n.message());
            case Contacts.PresenceChanged p -> emit(l -> l.presenceChanged(p));
            case Contacts.ContactRequested r -> {
                names.put(r.from().user(), r.from().displayName());
                emit(l -> l.contactRequested(r.from()));
            }
            case Contacts.ContactAdded a -> {
                names.put(a.contact().user(), a.contact().displayName());
                emit(l -> l.contactAdded(a.contact()));
            }
            case Contacts.ContactDeclined d -> emit(l -> l.contactDeclined(d.user()));
            case Contacts.ContactRemoved r -> emit(l -> l.contactRemoved(r.user()));
            case Conversations.ConversationUpdated u -> {
                Cursor c = cursors.computeIfAbsent(u.conversation().id(), id -> new Cursor());
                if (c.reactionRevision < 0) {
                    c.reactionRevision = u.conversation().reactionRevision();
                }
                emit(l -> l.conversationUpdated(u.conversation()));
            }
            case Conversations.ConversationRemoved r -> {
                cursors.remove(r.conversationId());
                emit(l -> l.conversationRemoved(r.conversationId()));
            }
            case Chat.ReceiptChanged r -> emit(l -> l.receiptChanged(r));
            case Chat.TypingChanged t -> emit(l -> l.typingChanged(t));
            case Reactions.ReactionChanged r -> reactionChanged(r);
            case Session.ErrorReply e -> {
                ParleyClientException p = new ParleyClientException(e.code(), e.message());
                if (e.code() == ErrorCode.ACCOUNT_DISABLED) {
                    wanted = false;
                }
                emit(l -> l.problem(p));
            }
            default -> {
            }
        }
    }

    private void received(Chat.ChatMessage m) {
        Cursor c = cursor(m.conversationId());
        c.highestSeen = Math.max(c.highestSeen, m.seq());
        if (m.seq() <= c.delivered) {
            return; // already handed over
        }
        if (m.seq() == c.delivered + 1 && !c.fetching) {
            deliver(c, m);
        } else {
            catchUp(m.conversationId()); // a gap: fetch what is missing, in order
        }
    }

    private void deliver(Cursor c, Chat.ChatMessage m) {
        c.delivered = m.seq();
        deliveredDirty.add(m.conversationId());
        boolean fromThisClient = m.sender().equals(user())
                && (ownSent.contains(m.clientMessageId()) || outbox.containsKey(m.clientMessageId()));
        if (m.isChange()) {
            // An edit or deletion is reported once: met here first (even this client's own, caught up before its
            // answer arrived) or when this client's request is answered.
            if (!changesReported.add(m.conversationId() + ":" + m.seq())) {
                return;
            }
        } else if (fromThisClient) {
            return; // this client's own sends are reported through messageSent
        }
        switch (m.kind()) {
            case EDIT -> emit(l -> l.messageEdited(m));
            case DELETE -> emit(l -> l.messageDeleted(m));
            default -> emit(l -> l.message(m));
        }
    }

    /** Fetches everything after the delivered cursor of one conversation, page by page, then checks again. */
    private void catchUp(long conversationId) {
        Cursor c = cursor(conversationId);
        if (c.fetching || link == null) {
            return;
        }
        c.fetching = true;
        link.request(new Chat.FetchAfter(conversationId, c.delivered, PAGE)).whenComplete((r, e) ->
                events.execute(() -> {
                    c.fetching = false;
                    if (e != null) {
                        return; // the connection dropped or the conversation is gone: resync will come
                    }
                    Chat.MessagePage page = (Chat.MessagePage) r;
                    for (Chat.ChatMessage m : page.messages()) {
                        c.highestSeen = Math.max(c.highestSeen, m.seq());
                        if (m.seq() == c.delivered + 1) {
                            deliver(c, m);
                        }
                    }
                    if (page.more() || c.highestSeen > c.delivered) {
                        catchUp(conversationId);
                    }
                }));
    }

    /**
     * After (re)login: asks for every conversation and catches up on each one that has messages past what this
     * client has handed over. A conversation this client has never seen starts at the user's delivered mark, so a
     * new device shows what was missed but does not replay the whole history as new.
     */
    private void resync() {
        resync(link, 0);
    }

    /** One page of the resync, then the next (the list comes a frame at a time), on the same connection. */
    private void resync(Link on, long afterId) {
        on.request(new Conversations.ListConversations(afterId, 0)).whenComplete((r, e) -> events.execute(() -> {
            if (e != null) {
                return;
            }
            Conversations.ConversationList page = (Conversations.ConversationList) r;
            if (page.more() && !page.conversations().isEmpty() && link == on) {
                resync(on, page.conversations().getLast().id());
            }
            for (Conversations.ConversationInfo info : page.conversations()) {
                Cursor c = cursors.get(info.id());
                boolean known = c != null;
                if (c == null) {
                    c = cursor(info.id());
                    long mine = info.members().stream().filter(m -> m.user().equals(user())).mapToLong(
                            Conversations.Member::deliveredUpTo).findFirst().orElse(0);
                    c.delivered = mine;
                }
                c.highestSeen = Math.max(c.highestSeen, info.lastSeq());
                if (c.reactionRevision < 0 && known && c.delivered > 0) {
                    // Messages came before any revision did (a conversation met through a push): catch up on all.
                    c.reactionRevision = 0;
                }
                if (c.reactionRevision < 0) {
                    // New to this client: the messages it fetches bring their reactions along.
                    c.reactionRevision = info.reactionRevision();
                } else if (info.reactionRevision() > c.reactionRevision) {
                    catchUpReactions(info.id());
                }
                Conversations.ConversationInfo shown = info;
                emit(l -> l.conversationUpdated(shown));
                if (c.highestSeen > c.delivered) {
                    catchUp(info.id());
                }
            }
        }));
    }

    /** Tells the server, at most twice a second per conversation, how far messages have reached this user. */
    private void flushDelivered() {
        if (link == null || deliveredDirty.isEmpty()) {
            return;
        }
        List<Long> dirty = new ArrayList<>(deliveredDirty);
        deliveredDirty.clear();
        for (long id : dirty) {
            Cursor c = cursors.get(id);
            if (c != null && c.delivered > 0) {
                link.tell(new Chat.MarkDelivered(id, c.delivered));
            }
        }
    }

    /** The newest sequence number handed to listeners for a conversation (0 = none), for tests and UIs. */
    public CompletableFuture<Long> deliveredUpTo(long conversationId) {
        return onEvents(() -> {
            Cursor c = cursors.get(conversationId);
            return c == null ? 0L : c.delivered;
        });
    }
}
