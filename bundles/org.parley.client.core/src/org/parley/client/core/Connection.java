package org.parley.client.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLSession;

import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.parley.client.core.ParleyClient.Config;
import org.parley.client.core.ParleyClient.TrustRejectedException;
import org.parley.client.core.internal.ClientTls;
import org.parley.client.core.internal.EventLoop;
import org.parley.client.core.internal.Link;
import org.parley.client.core.internal.ServerTrustManager;
import org.parley.client.core.internal.TrustOnFirstUse;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;

/**
 * A client's connection job: connects to one of the configured server addresses (round-robin over them and over
 * the IP addresses each name resolves to; TLS and trust against the name), says Hello, logs in or resumes, keeps the
 * state machine, reconnects with backoff between rounds when the connection drops, and sends requests. What arrives is handed to the
 * {@link Delivery}, which is also told when the client is online again (to resync and resend).
 */
final class Connection {

    private final Config config;
    private final NioSocketConnector connector;
    private final boolean ownConnector;
    private final EventLoop events;
    private final Listeners listeners;
    private final DisplayNames names;
    private Delivery delivery;

    // Everything below is touched on the event thread only (link is also read elsewhere, for tlsSession()).
    private volatile Link link;
    private ConnectionState state = ConnectionState.OFFLINE;
    private Accounts.LoggedIn session;
    private volatile Session.Welcome welcome;
    private volatile int protocolVersion; // of the current connection, from its Welcome; 0 before the first
    private long backoff;
    private volatile boolean wanted; // the user wants to be online
    private volatile int lastUsed = -1; // the index, in the last round of addresses, of the one connected to
    private volatile String lastTrustRejection;

    Connection(Config config, NioSocketConnector connector, boolean ownConnector, EventLoop events,
            Listeners listeners, DisplayNames names) {
        this.config = config;
        this.connector = connector;
        this.ownConnector = ownConnector;
        this.events = events;
        this.listeners = listeners;
        this.names = names;
        this.backoff = config.initialBackoffMillis();
    }

    /** Where pushes go and who resyncs after a (re)login (set once, before any connection). */
    void deliverTo(Delivery d) {
        this.delivery = d;
    }

    EventLoop events() {
        return events;
    }

    Config config() {
        return config;
    }

    /** The current link, or null while offline (event thread). */
    Link link() {
        return link;
    }

    private void setState(ConnectionState s) {
        if (state != s) {
            state = s;
            listeners.emit(l -> l.stateChanged(s));
        }
    }

    ConnectionState state() {
        return state;
    }

    Accounts.LoggedIn session() {
        return session;
    }

    Session.Welcome welcome() {
        return welcome;
    }

    int protocolVersion() {
        return protocolVersion;
    }

    String user() {
        Accounts.LoggedIn s = session;
        return s == null ? null : s.user();
    }

    /** The user no longer wants to be online (the account was disabled): no more reconnecting. */
    void stopWanting() {
        wanted = false;
    }

    CompletableFuture<Accounts.LoggedIn> start(Message loginRequest) {
        return onEvents(() -> {
            if (wanted && state != ConnectionState.OFFLINE) {
                throw new ParleyClientException(ErrorCode.CONFLICT, "already logged in or logging in");
            }
            wanted = true;
            setState(ConnectionState.CONNECTING);
            return null;
        }).thenCompose(x -> connectAndLogin(loginRequest, true)).whenComplete((s, e) -> {
            if (e != null) {
                events.execute(() -> {
                    wanted = false;
                    setState(ConnectionState.OFFLINE);
                });
            }
        });
    }

    /** One address to try: a configured server and one of the IP addresses its name resolves to (null: none). */
    private record Target(ServerAddress server, InetAddress ip, boolean oneOfSeveral) {
    }

    /**
     * Every address to try in one round, in order: each configured server, and for a name that resolves to several
     * IP addresses, each of them.
     */
    private List<Target> targets() {
        List<Target> round = new ArrayList<>();
        for (ServerAddress s : config.servers()) {
            InetAddress[] ips;
            try {
                ips = InetAddress.getAllByName(s.host());
            } catch (UnknownHostException e) {
                round.add(new Target(s, null, false)); // its connect says "unknown server name"
                continue;
            }
            for (InetAddress ip : ips) {
                round.add(new Target(s, ip, ips.length > 1));
            }
        }
        return round;
    }

    /**
     * One round over the addresses, starting at {@code first} (a fresh login: the first address; a reconnect: the
     * one after the address last used, so that a dead node is tried last): the first that connects and logs in
     * wins. A failure that another node may not have (no connection, TLS failure, time-out, UNAVAILABLE or
     * INTERNAL_ERROR) moves on to the next address; any other (wrong password, invalid token, certificate not
     * trusted) ends the round at once.
     */
    private CompletableFuture<Accounts.LoggedIn> connectAndLogin(Message loginRequest, boolean fresh) {
        List<Target> round = targets();
        int first = fresh || lastUsed < 0 ? 0 : (lastUsed + 1) % round.size();
        return attempt(loginRequest, round, first, 0, new ArrayList<>());
    }

    private CompletableFuture<Accounts.LoggedIn> attempt(Message loginRequest, List<Target> round, int first,
            int tried, List<ParleyClientException> failures) {
        int index = (first + tried) % round.size();
        return connectAndLogin(loginRequest, round.get(index)).thenApply(loggedIn -> {
            lastUsed = index;
            return loggedIn;
        }).exceptionallyCompose(error -> {
            ParleyClientException p = explain(error);
            failures.add(p);
            if (!anotherMayWork(p) || !wanted) {
                return CompletableFuture.failedFuture(p);
            }
            if (tried + 1 >= round.size()) {
                return CompletableFuture.failedFuture(failures.size() == 1 ? p
                        : new ParleyClientException("none of the " + failures.size() + " server addresses could be "
                                + "used: " + failures.stream().map(Throwable::getMessage)
                                        .collect(java.util.stream.Collectors.joining("; ")), p));
            }
            return attempt(loginRequest, round, first, tried + 1, failures);
        });
    }

    private static boolean anotherMayWork(ParleyClientException p) {
        return !(p instanceof TrustRejectedException)
                && (p.code() == null || p.code() == ErrorCode.UNAVAILABLE || p.code() == ErrorCode.INTERNAL_ERROR);
    }

    /**
     * Connects, says Hello, logs in; then (on the event thread) goes ONLINE, resyncs and flushes the outbox. When the
     * user was asked during the attempt whether to trust the server's certificate and said yes, a connection that
     * then failed is tried once more: the question may have outlasted the server's deadline for {@code Hello}
     * ({@code hello-timeout-seconds}), which closed the connection while the user read the fingerprint. The
     * certificate is pinned by then, so the second try asks nothing. An answer of the server (a wrong password, a
     * name taken) is not tried again. A connection that resumed a TLS session whose certificate is not trusted now
     * (the pin changed meanwhile) is closed unused and tried once more with a full handshake, which checks the
     * certificate the server sends now.
     */
    private CompletableFuture<Accounts.LoggedIn> connectAndLogin(Message loginRequest, Target target) {
        AtomicBoolean trusted = new AtomicBoolean();
        return connectOnce(loginRequest, target, trusted).exceptionallyCompose(error -> {
            Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            boolean answered = e instanceof ParleyClientException p && p.code() != null;
            boolean stale = e.getCause() instanceof ClientTls.StaleSession;
            if ((trusted.get() || stale) && wanted && lastTrustRejection == null && !answered
                    && !(e instanceof TrustRejectedException)) {
                return connectOnce(loginRequest, target, new AtomicBoolean());
            }
            return CompletableFuture.failedFuture(error);
        });
    }

    private CompletableFuture<Accounts.LoggedIn> connectOnce(Message loginRequest, Target target,
            AtomicBoolean trusted) {
        ServerAddress server = target.server();
        Link l = new Link(m -> events.execute(() -> delivery.onPush(m)), () -> events.execute(this::onLinkClosed),
                config.requestTimeoutMillis());
        ClientTls tls;
        try {
            tls = config.tls() ? tls(l, server, trusted) : null;
        } catch (GeneralSecurityException e) {
            return CompletableFuture.failedFuture(new ParleyClientException("TLS is not available: " + e, e));
        }
        return l.connect(connector, server.host(), target.oneOfSeveral() ? target.ip() : null, server.port(), tls)
                .thenCompose(x -> signIn(l, loginRequest))
                .handle((signedIn, error) -> {
                    if (error != null) {
                        l.close();
                        throw new CompletionException(explain(error));
                    }
                    return signedIn;
                })
                .thenApplyAsync(signedIn -> {
                    Accounts.LoggedIn loggedIn = signedIn.loggedIn();
                    if (!wanted) { // logged out or closed meanwhile
                        l.close();
                        throw new ParleyClientException("the client was closed", null);
                    }
                    if (link != null) {
                        link.close();
                    }
                    welcome = signedIn.welcome();
                    protocolVersion = signedIn.welcome().version();
                    link = l;
                    session = loggedIn;
                    names.put(loggedIn.user(), loggedIn.displayName());
                    backoff = config.initialBackoffMillis();
                    setState(ConnectionState.ONLINE);
                    listeners.emit(x -> x.loggedIn(loggedIn));
                    delivery.online(signedIn.conversations());
                    return loggedIn;
                }, events);
    }

    /** A connection's sign-in: the server's Welcome, the login's answer, and the resync's first page on its way. */
    private record SignedIn(Session.Welcome welcome, Accounts.LoggedIn loggedIn,
            CompletableFuture<Message> conversations) {
    }

    /**
     * Says Hello, logs in and asks for the first page of conversations (the resync every sign-in starts with) in
     * one write, without waiting for the answers in between: one round trip where there were three. The server runs
     * frames pipelined behind {@code Hello} in the version it chooses and those behind a login once the login is
     * answered, as the login left the connection (docs/protocol.md, "Requests and replies"): a refused login's
     * {@code ListConversations} gets {@code NOT_AUTHENTICATED}, which nobody waits for. They are encoded in the
     * version the connection has when they are written, version 1 until the Welcome is decoded: the login requests
     * are the same bytes in every version, and {@code ListConversations} asks for the first page either way (its
     * version 2 fields are 0, which is also what a version 2 server reads when they are left out). A failed Hello
     * ({@code UNSUPPORTED_VERSION}, then the server closes) is the failure reported, not the login's.
     *
     * <p>A sign-up ({@code Register}) and a password reset ({@code ResetPassword}) wait for the Welcome before they
     * are written: unlike a login, each changes something that stays (an account, a password and its one-time code). Written at once, it would wait in the socket of a server that has not answered yet, and
     * the account would be created when that server got to it, after the user had given up and tried again (whose
     * sign-up then finds its own name taken) or after this client had moved on to another of the server's addresses.
     */
    private static CompletableFuture<SignedIn> signIn(Link l, Message loginRequest) {
        CompletableFuture<Message> hello = l.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION,
                "parley-client-core/0.1"));
        if (loginRequest instanceof Accounts.Register || loginRequest instanceof Accounts.ResetPassword) {
            return hello.thenCompose(w -> {
                CompletableFuture<Message> lasting = l.request(loginRequest);
                CompletableFuture<Message> conversations = l.request(new Conversations.ListConversations(0, 0));
                return lasting.thenApply(r -> new SignedIn((Session.Welcome) w, (Accounts.LoggedIn) r,
                        conversations));
            });
        }
        CompletableFuture<Message> login = l.request(loginRequest);
        CompletableFuture<Message> conversations = l.request(new Conversations.ListConversations(0, 0));
        return hello.thenCompose(w -> login.thenApply(r -> new SignedIn((Session.Welcome) w,
                (Accounts.LoggedIn) r, conversations)));
    }

    /**
     * TLS for one connection to one server address: pins are kept per host name and port as configured (see
     * docs/scale-out.md). The context comes from {@link Config#tlsSessions()}, so that a session of an earlier
     * connection to the same server (same CAs, same pin) may be resumed; this connection's own trust manager checks
     * the certificate of a full handshake. A certificate refused, or one the user trusts (the pin changes), drops the
     * sessions kept for the address. {@code trusted} is set when the user is asked about a certificate and trusts it.
     */
    private ClientTls tls(Link l, ServerAddress server, AtomicBoolean trusted) throws GeneralSecurityException {
        TlsSessions sessions = config.tlsSessions();
        Consumer<String> rejected = reason -> {
            lastTrustRejection = reason;
            sessions.forget(server.host(), server.port());
            // Do not wait for replies that cannot come: the handshake has failed.
            l.close();
            l.failAll(new TrustRejectedException(reason));
        };
        TrustDecider decider = (host, port, fingerprint, previous) -> {
            boolean yes = config.trustDecider().trust(host, port, fingerprint, previous);
            if (yes) {
                trusted.set(true);
                sessions.forget(server.host(), server.port()); // the pin changes: nothing kept under the old one
            }
            return yes;
        };
        TrustStore store = config.trustStore();
        TrustOnFirstUse pins = new TrustOnFirstUse(server.host(), server.port(), store, decider, rejected);
        ServerTrustManager tm = new ServerTrustManager(server.host(), server.port(),
                config.authorities().trustManagers(), pins, rejected);
        return new ClientTls(sessions.context(server.host(), server.port(), config.authorities(),
                store.pinned(server.host(), server.port())), tm, () -> store.pinned(server.host(), server.port()),
                () -> sessions.forget(server.host(), server.port()));
    }

    /** The TLS session of the current connection, or null (event thread or not: a read of the current link). */
    SSLSession tlsSession() {
        Link l = link;
        return l == null ? null : l.tlsSession();
    }

    /** Turns a low-level failure into the exception a user can act on. */
    ParleyClientException explain(Throwable error) {
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
        connectAndLogin(new Accounts.Resume(session.token(), config.device()), false).whenComplete((s, e) -> {
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
                    listeners.emit(l -> l.problem(p));
                } else {
                    scheduleReconnect();
                }
            });
        });
    }

    /** Logs out; the TLS sessions kept for the client's servers are forgotten (signing out leaves no session). */
    CompletableFuture<Void> logout() {
        return onEvents(() -> {
            wanted = false;
            for (ServerAddress s : config.servers()) {
                config.tlsSessions().forget(s.host(), s.port());
            }
            return link;
        }).thenCompose(l -> l == null ? CompletableFuture.completedFuture(null)
                : l.request(new Accounts.Logout()).handle((r, e) -> {
                    l.closeOnFlush();
                    return null;
                })).thenRun(() -> events.execute(() -> setState(ConnectionState.OFFLINE)));
    }

    /** Closes the connection and stops reconnecting; then {@code afterwards} (stopping timers), the thread. */
    void close(Runnable afterwards) {
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
        afterwards.run();
        events.shutdown();
        if (ownConnector) {
            connector.dispose(false);
        }
    }

    void dropConnection() {
        events.execute(() -> {
            if (link != null) {
                link.close();
            }
        });
    }

    <T> CompletableFuture<T> onEvents(java.util.concurrent.Callable<T> work) {
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

    /** Sends any request and returns its reply; fails at once when not online. */
    CompletableFuture<Message> request(Message request) {
        return onEvents(() -> link).thenCompose(l -> {
            if (l == null || state != ConnectionState.ONLINE) {
                return CompletableFuture.failedFuture(new ParleyClientException("not connected to the server", null));
            }
            return l.request(request);
        });
    }
}
