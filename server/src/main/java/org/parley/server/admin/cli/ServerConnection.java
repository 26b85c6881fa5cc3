package org.parley.server.admin.cli;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.parley.protocol.BadFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.mina.ParleyCodecFactory;
import org.parley.protocol.mina.RecordSlicer;

/**
 * The admin command line's protocol client: one connection to a running server through MINA with the protocol
 * bundle's frame codec ({@link ParleyCodecFactory}, the desktop client's too) and, unless plaintext, TLS trusted by
 * {@link ServerTrust}. Requests are made one at a time and waited for; every failure is a {@link CliFailure} with
 * the exit code it means (a server's error answer: by its code; anything about reaching the server:
 * {@link Exit#CONNECTION}).
 */
final class ServerConnection implements AutoCloseable {

    private final NioSocketConnector connector = new NioSocketConnector(1);
    private final Map<Integer, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> secured = new CompletableFuture<>();
    private final String where;
    private final long timeoutMillis;
    private final ServerTrust trust;
    private volatile IoSession session;
    private volatile Throwable failure;
    /** An error the server sent outside any request (request id 0) before closing, or null. */
    private volatile Session.ErrorReply closingError;
    private int ids;

    private ServerConnection(String host, int port, ServerTrust trust, Duration timeout) {
        this.where = host + ":" + port;
        this.trust = trust;
        this.timeoutMillis = timeout.toMillis();
        if (trust != null) {
            trust.onRejected(why -> {
                // MINA does not end a handshake that the trust manager refused: fail it and close here.
                secured.completeExceptionally(new CliFailure(Exit.CONNECTION, why));
                IoSession s = session;
                if (s != null) {
                    s.closeNow();
                }
            });
        }
        connector.setConnectTimeoutMillis(timeoutMillis);
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.getFilterChain().addLast("codec", new ProtocolCodecFilter(
                new ParleyCodecFactory(Protocol.ABSOLUTE_MAX_FRAME_BYTES, Protocol.ABSOLUTE_MAX_FRAME_BYTES)));
        connector.setHandler(new Handler());
    }

    /**
     * Connects to {@code host:port} (TLS checked by {@code trust}; plaintext when it is null) and does the
     * handshake.
     */
    static ServerConnection open(String host, int port, ServerTrust trust, Duration timeout) throws CliFailure {
        ServerConnection c = new ServerConnection(host, port, trust, timeout);
        try {
            c.connect(host, port);
            Message welcome = c.request(new Session.Hello(Protocol.MIN_VERSION, Protocol.MAX_VERSION,
                    "parley-server-admin/0.1"));
            if (!(welcome instanceof Session.Welcome)) {
                throw new CliFailure(Exit.CONNECTION, c.where + " answered Hello with " + name(welcome)
                        + ": is it a Parley server?");
            }
            return c;
        } catch (CliFailure | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void connect(String host, int port) throws CliFailure {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new CliFailure(Exit.CONNECTION, "cannot connect to " + where + ": unknown server name");
        }
        SSLContext tls = null;
        if (trust != null) {
            try {
                tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {trust}, new SecureRandom());
            } catch (java.security.GeneralSecurityException e) {
                throw new CliFailure(Exit.FAILED, "TLS is not available: " + e, e);
            }
        }
        SSLContext context = tls;
        ConnectFuture f = connector.connect(address, (s, cf) -> {
            session = s;
            if (context != null) {
                SslFilter ssl = new SslFilter(context) {
                    @Override
                    protected SSLEngine createEngine(IoSession is, InetSocketAddress resolved) {
                        // The name given, not the address it resolved to: a CA-issued certificate must be
                        // issued for that name (checked as HTTPS does; see ServerTrust).
                        return super.createEngine(is, InetSocketAddress.createUnresolved(host, port));
                    }
                };
                ssl.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                s.getFilterChain().addFirst("tls", ssl);
                s.getFilterChain().addAfter("tls", "slicer", new RecordSlicer());
            }
        });
        if (!f.awaitUninterruptibly(timeoutMillis + 1000) || !f.isConnected()) {
            throw new CliFailure(Exit.CONNECTION, "cannot connect to " + where + ": "
                    + whyNotConnected(f.getException()), f.getException());
        }
        session = f.getSession();
        if (context != null) {
            await(secured, "the TLS handshake with " + where + " did not finish");
        }
    }

    private static String whyNotConnected(Throwable e) {
        String message = e == null || e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e == null) {
            return "no connection within the timeout (the host may be down, or a firewall may drop it)";
        }
        if (message.contains("refused")) {
            return "the connection was refused: nothing listens on that port (is the server running, is the "
                    + "port right?)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Logs in with a password; the answer says whether the account is an administrator. */
    Accounts.LoggedIn login(String user, String password) throws CliFailure {
        return (Accounts.LoggedIn) request(new Accounts.Login(user, password, "parley-server admin"));
    }

    /** Sends {@code request} and waits for its answer; an error answer is thrown as a {@link CliFailure}. */
    Message request(Message request) throws CliFailure {
        IoSession s = session;
        if (s == null || !s.isConnected() || s.isClosing()) {
            throw lost();
        }
        int id = ++ids;
        CompletableFuture<Message> reply = new CompletableFuture<>();
        pending.put(id, reply);
        s.write(new Frame(id, request));
        Message answer;
        try {
            answer = await(reply, "no answer to " + name(request) + " from " + where);
        } finally {
            pending.remove(id);
        }
        if (answer instanceof Session.ErrorReply e) {
            throw CliFailure.refused(e.code(), e.message());
        }
        return answer;
    }

    /** Waits for {@code f} for at most the timeout. */
    private <T> T await(CompletableFuture<T> f, String what) throws CliFailure {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliFailure(Exit.CONNECTION, what + " within " + timeoutMillis / 1000 + " s (--timeout)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CliFailure failed) {
                throw failed;
            }
            throw new CliFailure(Exit.FAILED, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(Exit.FAILED, "interrupted", e);
        }
    }

    /** The connection is gone: why, in words. */
    private CliFailure lost() {
        Session.ErrorReply said = closingError;
        if (said != null) {
            return CliFailure.refused(said.code(), said.message());
        }
        String rejected = trust == null ? null : trust.rejection();
        if (rejected != null) {
            return new CliFailure(Exit.CONNECTION, rejected);
        }
        Throwable f = failure;
        if (f instanceof SSLException || (trust != null && !secured.isDone())) {
            return new CliFailure(Exit.CONNECTION, "the secure connection (TLS) with " + where + " failed"
                    + (f == null ? "" : ": " + f.getMessage()) + " (is it a Parley server with TLS? one started "
                    + "with --plaintext needs --plaintext here)", f);
        }
        return new CliFailure(Exit.CONNECTION, "the connection to " + where + " was closed"
                + (f == null ? "" : ": " + f.getMessage())
                + (trust == null ? " (a server with TLS, the default, cannot be reached with --plaintext)" : ""), f);
    }

    private static String name(Message m) {
        return m == null ? "nothing" : m.getClass().getSimpleName();
    }

    /** Logs out (the session token is revoked) when still connected, then closes. */
    void logout() {
        IoSession s = session;
        if (s != null && s.isConnected() && !s.isClosing()) {
            try {
                request(new Accounts.Logout());
            } catch (CliFailure e) {
                // the session ends with the connection anyway; its token expires
            }
        }
    }

    @Override
    public void close() {
        IoSession s = session;
        if (s != null) {
            s.closeNow().awaitUninterruptibly(timeoutMillis);
        }
        connector.dispose(true);
    }

    private final class Handler extends IoHandlerAdapter {
        @Override
        public void messageReceived(IoSession s, Object message) {
            if (message instanceof BadFrame bad) {
                CompletableFuture<Message> f = pending.remove(bad.requestId());
                if (f != null) {
                    f.complete(new Session.ErrorReply(ErrorCode.INTERNAL_ERROR, "unreadable answer from " + where
                            + ": " + bad.reason()));
                }
                return;
            }
            Frame frame = (Frame) message;
            if (frame.requestId() == 0) {
                if (frame.message() instanceof Session.ErrorReply e) {
                    closingError = e;
                }
                return; // pushes (presence, messages) are not for the command line
            }
            CompletableFuture<Message> f = pending.remove(frame.requestId());
            if (f != null) {
                f.complete(frame.message());
            }
        }

        @Override
        public void event(IoSession s, FilterEvent event) {
            if (event == SslEvent.SECURED) {
                secured.complete(null);
            }
        }

        @Override
        public void exceptionCaught(IoSession s, Throwable cause) {
            failure = cause;
            s.closeNow();
        }

        @Override
        public void sessionClosed(IoSession s) {
            CliFailure why = lost();
            secured.completeExceptionally(why);
            pending.values().forEach(f -> f.completeExceptionally(why));
            pending.clear();
        }
    }
}
