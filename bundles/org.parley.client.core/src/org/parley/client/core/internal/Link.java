package org.parley.client.core.internal;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.parley.protocol.mina.RecordSlicer;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.parley.client.core.ParleyClientException;
import org.parley.protocol.BadFrame;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.mina.ParleyCodecFactory;

/**
 * One connection to the server: connects (with TLS when given an SSL context), correlates requests with replies by
 * request id, hands pushes to {@code onPush} and tells {@code onClosed} when the connection ends. Replies complete
 * their futures on MINA's I/O thread; callers move to their own thread.
 */
public final class Link {

    private static final String LINK = "parley.client.link";
    private static final int IDLE_PING_SECONDS = 30;

    /** Routes a shared connector's events to the {@link Link} of each session. */
    private static final class Dispatcher extends IoHandlerAdapter {
        @Override
        public void messageReceived(IoSession session, Object message) {
            Link link = (Link) session.getAttribute(LINK);
            if (link != null) {
                link.received(message);
            }
        }

        @Override
        public void sessionClosed(IoSession session) {
            Link link = (Link) session.getAttribute(LINK);
            if (link != null) {
                link.closed();
            }
        }

        @Override
        public void sessionIdle(IoSession session, IdleStatus status) {
            Link link = (Link) session.getAttribute(LINK);
            if (link == null) {
                return;
            }
            if (session.getIdleCount(IdleStatus.READER_IDLE) >= 3) {
                session.closeNow(); // no answer to our pings for a minute and a half: the connection is dead
            } else {
                link.tell(new Session.Ping(System.nanoTime()));
            }
        }

        @Override
        public void event(IoSession session, FilterEvent event) {
            Link link = (Link) session.getAttribute(LINK);
            if (link != null && event == SslEvent.SECURED) {
                link.onSecured(session);
            }
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            Link link = (Link) session.getAttribute(LINK);
            if (link != null) {
                link.failure = cause;
            }
            session.closeNow();
        }
    }

    /** A connector set up for Parley links; share one between many clients to serve them with few threads. */
    public static NioSocketConnector newConnector(int ioThreads) {
        NioSocketConnector c = new NioSocketConnector(ioThreads);
        c.setConnectTimeoutMillis(10_000);
        c.getSessionConfig().setTcpNoDelay(true);
        c.getFilterChain().addLast("codec", new ProtocolCodecFilter(
                new ParleyCodecFactory(Protocol.ABSOLUTE_MAX_FRAME_BYTES, Protocol.ABSOLUTE_MAX_FRAME_BYTES)));
        c.setHandler(new Dispatcher());
        return c;
    }

    private final Map<Integer, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    /** Completes when the TLS handshake is done, which may wait for the user to trust the certificate. */
    private final CompletableFuture<Void> secured = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Consumer<Message> onPush;
    private final Runnable onClosed;
    private final long timeoutMillis;
    private volatile IoSession session;
    private volatile ClientTls tls;
    private volatile Throwable failure;
    /** "host:port", for messages. */
    private volatile String where = "the server";

    public Link(Consumer<Message> onPush, Runnable onClosed, long timeoutMillis) {
        this.onPush = onPush;
        this.onClosed = onClosed;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Connects (and with TLS, completes the handshake, which may wait for the user to decide whether to trust the
     * server: no request is sent before, so that time does not count against request timeouts). The future fails
     * with a {@link ParleyClientException} when the server cannot be reached.
     */
    public CompletableFuture<Void> connect(NioSocketConnector connector, String host, int port, ClientTls tls) {
        return connect(connector, host, null, port, tls);
    }

    /**
     * As {@link #connect(NioSocketConnector, String, int, ClientTls)} to one of the addresses {@code host}
     * resolves to ({@code ip}; null: look the name up), with TLS still checked against the name {@code host}.
     * A TLS session that was resumed but whose certificate is no longer trusted fails the future with a
     * {@link ParleyClientException} caused by {@link ClientTls.StaleSession}, before anything is sent.
     */
    public CompletableFuture<Void> connect(NioSocketConnector connector, String host, java.net.InetAddress ip,
            int port, ClientTls tls) {
        this.tls = tls;
        CompletableFuture<Void> done = new CompletableFuture<>();
        where = host + ":" + port + (ip == null || ip.getHostAddress().equals(host) ? ""
                : " (" + ip.getHostAddress() + ")");
        InetSocketAddress address = ip == null ? new InetSocketAddress(host, port) // looks the name up
                : new InetSocketAddress(ip, port);
        if (address.isUnresolved()) {
            done.completeExceptionally(new ParleyClientException("cannot connect to " + where
                    + ": unknown server name (no such host: check its spelling and the network)", null));
            return done;
        }
        ConnectFuture f = connector.connect(address, (s, cf) -> {
            s.setAttribute(LINK, this);
            session = s; // known before the TLS handshake runs, so that close() works during it
            s.getConfig().setIdleTime(IdleStatus.READER_IDLE, IDLE_PING_SECONDS);
            if (tls != null) {
                SslFilter ssl = new SslFilter(tls.context()) {
                    @Override
                    protected SSLEngine createEngine(IoSession is, InetSocketAddress resolved) {
                        // The name the user typed, not the address it resolved to: a CA-issued certificate must
                        // be issued for that name (checked as HTTPS does; see ServerTrustManager). The JDK also
                        // keeps and looks up the sessions to resume under that name and the port.
                        SSLEngine engine = super.createEngine(is, InetSocketAddress.createUnresolved(host, port));
                        tls.engineCreated(engine);
                        return engine;
                    }
                };
                ssl.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                s.getFilterChain().addFirst("tls", ssl);
                s.getFilterChain().addAfter("tls", "slicer", new RecordSlicer());
            }
        });
        f.addListener(future -> {
            ConnectFuture cf = (ConnectFuture) future;
            if (cf.isConnected()) {
                session = cf.getSession();
                if (tls == null) {
                    done.complete(null);
                } else {
                    secured.whenComplete((x, e) -> {
                        if (e == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(e);
                        }
                    });
                }
            } else {
                done.completeExceptionally(new ParleyClientException("cannot connect to " + where + ": "
                        + whyNotConnected(cf.getException(), port, connector.getConnectTimeoutMillis()),
                        cf.getException()));
            }
        });
        return done;
    }

    /** Sends a request; the future completes with the reply (an ErrorReply fails it) or times out. */
    public CompletableFuture<Message> request(Message message) {
        IoSession s = session;
        CompletableFuture<Message> reply = new CompletableFuture<>();
        if (s == null || !s.isConnected() || s.isClosing()) {
            reply.completeExceptionally(new ParleyClientException("not connected", null));
            return reply;
        }
        int id = ids.updateAndGet(i -> i == Integer.MAX_VALUE ? 1 : i + 1);
        pending.put(id, reply);
        s.write(new Frame(id, message));
        return reply.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(id))
                .thenApply(r -> {
                    if (r instanceof Session.ErrorReply err) {
                        throw new ParleyClientException(err.code(), err.message());
                    }
                    return r;
                });
    }

    /** Sends without wanting an answer (request id 0). */
    public void tell(Message message) {
        IoSession s = session;
        if (s != null && s.isConnected()) {
            s.write(Frame.push(message));
        }
    }

    private void received(Object message) {
        if (message instanceof BadFrame bad) {
            CompletableFuture<Message> f = pending.remove(bad.requestId());
            if (f != null) {
                f.completeExceptionally(new ParleyClientException(bad.code(), "unreadable reply: " + bad.reason()));
            }
            return;
        }
        Frame frame = (Frame) message;
        CompletableFuture<Message> f = frame.requestId() == 0 ? null : pending.remove(frame.requestId());
        if (f != null) {
            f.complete(frame.message());
        } else if (!(frame.message() instanceof Session.Pong)) {
            onPush.accept(frame.message());
        }
    }

    /** The handshake is done: a resumed session is checked (ClientTls) before the connection is used. */
    private void onSecured(IoSession s) {
        ClientTls t = tls;
        if (t != null) {
            try {
                t.secured((SSLSession) s.getAttribute(SslFilter.SSL_SECURED));
            } catch (java.security.cert.CertificateException e) {
                failure = e;
                secured.completeExceptionally(new ParleyClientException("the secure connection (TLS) with " + where
                        + " was not used: " + e.getMessage(), e));
                s.closeNow();
                return;
            }
        }
        secured.complete(null);
    }

    /** The TLS session of the connection once secured (null in plaintext or before the handshake). */
    public SSLSession tlsSession() {
        IoSession s = session;
        return s == null ? null : (SSLSession) s.getAttribute(SslFilter.SSL_SECURED);
    }

    private void closed() {
        ClientTls t = tls;
        if (t != null) {
            t.closed();
        }
        Throwable f = failure;
        failAll(new ParleyClientException(f instanceof javax.net.ssl.SSLException tlsFailure
                ? "the secure connection (TLS) with " + where + " failed: " + words(tlsFailure) + " (is it a Parley "
                        + "server with TLS? one started with --plaintext cannot be reached with TLS)"
                : "the connection was closed", f));
        onClosed.run();
    }

    /** Why a connection could not be made, in words a user can act on. */
    static String whyNotConnected(Throwable e, int port, long timeoutMillis) {
        String message = e == null || e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (e == null || message.contains("refused")) {
            return "the connection was refused: nothing listens on port " + port + " there (is the Parley server "
                    + "running, and is the port right?)";
        }
        if (e instanceof java.net.NoRouteToHostException || message.contains("unreachable")) {
            return "no route to the server (the network or the host is unreachable)";
        }
        if (e instanceof java.net.SocketTimeoutException || message.contains("timed out")) {
            return "no answer within " + timeoutMillis / 1000 + " s (the host may be down, or a firewall may drop "
                    + "the connection)";
        }
        if (e instanceof java.nio.channels.UnresolvedAddressException) {
            return "the server name is unknown";
        }
        return words(e);
    }

    /** An exception's message, or what kind of failure it is when it has none (never "null"). */
    static String words(Throwable e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        // UnresolvedAddressException -> "unresolved address"
        return e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
    }

    /** Fails the handshake and every request waiting for a reply (the connection is being given up). */
    public void failAll(ParleyClientException reason) {
        secured.completeExceptionally(reason);
        pending.values().forEach(f -> f.completeExceptionally(reason));
        pending.clear();
    }

    /** Why the connection failed, if it failed with an exception (TLS refusal, reset...). */
    public Throwable failure() {
        return failure;
    }

    public boolean isOpen() {
        IoSession s = session;
        return s != null && s.isConnected() && !s.isClosing();
    }

    public void close() {
        IoSession s = session;
        if (s != null) {
            s.closeNow();
        }
    }

    /** Closes once everything written so far has been sent (after Logout). */
    public void closeOnFlush() {
        IoSession s = session;
        if (s != null) {
            s.closeOnFlush();
        }
    }
}
