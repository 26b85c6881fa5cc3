package org.parley.server.wire;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import javax.net.ssl.SSLException;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.parley.protocol.BadFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.config.ServerConfig;
import org.parley.server.accounts.AccountService;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.MessageStages;
import org.parley.server.common.ParleyException;
import org.parley.server.common.RequestHandler;
import org.parley.server.common.OnlineUsers;
import org.parley.server.common.StorageFullException;
import org.parley.server.wire.MinaClientLink.State;
import org.parley.protocol.mina.BadFrameLengthException;
import org.parley.protocol.mina.FrameBudgetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Per-connection protocol state machine: handshake, login, then dispatch of requests to the feature handlers.
 * Runs on the ordered executor, so a connection's frames are handled one at a time and in order, and handlers may
 * block on storage reads; a request that needs no blocking work is handled on the I/O thread instead when nothing
 * of its connection is with the executor ({@link #handledInline}), which keeps the order. A login is answered
 * asynchronously (its password check runs elsewhere): the frames that follow it are held until its answer, and
 * then handled in order.
 */
final class ConnectionHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final String LINK = "parley.link";

    /**
     * A login's outcome, put in the connection's worker queue by whichever thread checked the password: the worker
     * applies it (state, reply) and then handles the frames held meanwhile, so that nothing runs between.
     */
    private record LoginDone(int requestId, AccountService.Session session, Throwable error) {
    }

    private final ServerConfig config;
    private final AccountService accounts;
    private final OnlineUsers online;
    private final Handlers handlers;
    private final String serverName;
    private final Strangers strangers;
    private final Deadlines deadlines;
    private final Warnings warnings;
    private final WireMetrics metrics;
    private final AccountBudgets costly;
    private final OutboundBudget outbound;
    private final PageBuilds pageBuilds;

    ConnectionHandler(ServerConfig config, AccountService accounts, OnlineUsers online, Handlers handlers,
            String serverName, Strangers strangers, Deadlines deadlines, Warnings warnings, WireMetrics metrics,
            OutboundBudget outbound) {
        this.outbound = outbound;
        this.pageBuilds = new PageBuilds(config.signedIn().pageBuilds());
        this.metrics = metrics;
        this.costly = new AccountBudgets(config.costlyRequestsPerSecond(), config.costlyRequestBurst());
        this.strangers = strangers;
        this.deadlines = deadlines;
        this.warnings = warnings;
        this.config = config;
        this.accounts = accounts;
        this.online = online;
        this.handlers = handlers;
        this.serverName = serverName;
    }

    /** What a chunk frame costs in a connection's request budget: transfers are paced by their bytes instead. */
    private static final double CHUNK_COST = 0.1;

    static MinaClientLink link(IoSession session) {
        return (MinaClientLink) session.getAttribute(LINK);
    }

    @Override
    public void sessionCreated(IoSession session) {
        MinaClientLink link = new MinaClientLink(session, config.maxOutboundBytes(), 4L * config.maxFrameBytes(),
                config.slowReaderSeconds() * 1000L, new TokenBucket(config.requestsPerSecond(), config.requestBurst()),
                config.maxFrameBytes(), metrics.stages(), outbound);
        session.setAttribute(LINK, link);
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, config.signedIn().idleCheckSeconds());
        deadlines.watch(link);
        if (!strangers.admit(link)) {
            warnings.log(LOG, Level.INFO, link.address, "refused a connection",
                    "too many connections from this address have not logged in");
            link.closeAskedNanos = System.nanoTime();
            link.close(ErrorCode.UNAVAILABLE,
                    "too many connections from your address have not logged in; try again later");
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        MinaClientLink link = link(session);
        link.state = State.CLOSING;
        link.releaseUnsent();
        strangers.leave(link);
        deadlines.forget(link);
        link.held.clear();
        if (link.caller != null) {
            online.remove(link);
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        MinaClientLink link = link(session);
        long now = System.currentTimeMillis();
        // Before login, the wall-clock deadlines (Deadlines) apply instead.
        // Silence counts from the login at the earliest: a login that took the server long is no silence of the peer.
        long heard = Math.max(session.getLastReadTime(), link.loggedInAt);
        if (link.state == State.LOGGED_IN && now - heard > config.idleTimeoutSeconds() * 1000L) {
            LOG.atDebug().addKeyValue("remote", session.getRemoteAddress()).log("closing an idle connection");
            session.closeNow();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        MinaClientLink link = link(session);
        if (link.closeAskedNanos != 0) {
            session.closeNow(); // told to go already (a deadline, a refusal), and logged then
            return;
        }
        if (cause instanceof BadFrameLengthException bad) {
            warnings.log(LOG, Level.WARN, link.address, "bad frame length; closing", bad.getMessage());
            link.close(ErrorCode.BAD_FRAME_LENGTH, bad.getMessage());
        } else if (cause instanceof FrameBudgetException full) {
            warnings.log(LOG, Level.WARN, link.address, "no memory for a partial frame; closing", full.getMessage());
            link.close(ErrorCode.UNAVAILABLE, full.getMessage());
        } else if (cause instanceof ProtocolDecoderException && cause.getCause() instanceof SSLException
                || cause instanceof SSLException) {
            SSLException tls = cause instanceof SSLException s ? s : (SSLException) cause.getCause();
            warnings.log(LOG, Level.INFO, link.address, "TLS handshake failed; closing", String.valueOf(tls.getMessage()));
            session.closeNow();
        } else if (cause instanceof IOException) {
            session.closeNow(); // connection reset and the like: nothing to tell anyone
        } else if (link.state == State.AWAIT_HELLO) {
            // Whatever a stranger's bytes did to the TLS or codec layers: one line, no stack trace.
            warnings.log(LOG, Level.INFO, link.address, "connection failed before Hello; closing", cause.toString());
            session.closeNow();
        } else {
            LOG.atError().setCause(cause).addKeyValue("remote", session.getRemoteAddress())
                    .log("unexpected error on a connection; closing it");
            link.close(ErrorCode.INTERNAL_ERROR, "internal error");
        }
    }

    @Override
    public void messageSent(IoSession session, Object message) {
        MinaClientLink link = link(session);
        if (link != null) {
            link.sent(message);
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        MinaClientLink link = link(session);
        try {
            handleOnWorker(link, message);
        } finally {
            if (link != null) {
                link.doneByWorker();
            }
        }
    }

    /**
     * On the I/O thread ({@link InlineRequests}), before a frame goes to the workers: handles it right here when its
     * request type says it needs no blocking work ({@link Handlers#nonBlocking}: a {@code Send} whose checks are in
     * memory) and nothing of this connection is with the workers ({@link MinaClientLink#admitInline}), so that it
     * keeps its place among the connection's requests. Saves the hand-over to a worker thread and back. Everything
     * else that applies on the worker applies here: the rate limits, the outbound budget, the errors.
     */
    boolean handledInline(MinaClientLink link, Object message) {
        if (!(message instanceof Frame frame) || link.state != State.LOGGED_IN
                || !handlers.nonBlocking(link.caller, frame.message()) || !link.admitInline(message)) {
            return false;
        }
        receive(link, message);
        return true;
    }

    private void handleOnWorker(MinaClientLink link, Object message) {
        if (message instanceof LoginDone done) {
            finishLogin(link, done);
            Object held;
            while (link.state != State.LOGGING_IN && (held = link.held.poll()) != null) {
                receive(link, held);
            }
            link.afterHandled();
            return;
        }
        // Held back (null) while the client does not read its replies: no worker waits for a slow reader. An
        // admitted frame counts as handled before it is: its reply may be sent (from another thread, as a stored
        // chunk's is) before this handler returns, and reading resumes only when a reply is sent after the count
        // went down.
        Object admitted = link.admit(message);
        if (admitted == null) {
            return;
        }
        if (link.state == State.LOGGING_IN || !link.held.isEmpty()) {
            hold(link, admitted);
        } else {
            receive(link, admitted);
        }
        link.afterHandled();
    }

    /** A frame that came behind a login request waits for the login's answer (requests run in order). */
    private void hold(MinaClientLink link, Object message) {
        int max = config.connectionLimits().framesBehindLogin();
        if (link.held.size() < max) {
            link.held.add(message);
            return;
        }
        link.taken(message);
        int requestId = message instanceof Frame f ? f.requestId() : ((BadFrame) message).requestId();
        link.reply(requestId, new Session.ErrorReply(ErrorCode.RATE_LIMITED,
                "more than " + max + " requests sent before the login was answered"));
    }

    /** Hands a login's outcome to the connection's worker queue (behind the frames received so far). */
    private static void loginDone(MinaClientLink link, LoginDone done) {
        IoSession session = link.session();
        if (session.isConnected()) {
            session.getFilterChain().getNextFilter("throttle").messageReceived(session, done);
        }
    }

    /** On the worker: the login was checked; the connection is logged in, or may try again. */
    private void finishLogin(MinaClientLink link, LoginDone done) {
        if (link.state != State.LOGGING_IN) {
            return; // closed meanwhile
        }
        metrics.login(done.error() == null);
        if (done.error() != null) {
            link.state = State.AWAIT_LOGIN;
            fail(link, done.requestId(), done.error());
            return;
        }
        AccountService.Session session = done.session();
        int max = config.maxConnectionsPerAccount();
        if (online.connectionsOf(session.account().id()) >= max) {
            // Each connection holds memory and gets its own pushes: one account may not open thousands (a Resume
            // costs no hashing). The fresh token of a refused password login is of no use to anyone.
            if (!link.resuming) {
                accounts.logout(session.tokenHash());
            }
            link.state = State.AWAIT_LOGIN;
            warnings.log(LOG, Level.INFO, link.address, "refused a login", "user " + session.account().name()
                    + " has " + max + " connections already");
            link.reply(done.requestId(), new Session.ErrorReply(ErrorCode.RATE_LIMITED, "your account has " + max
                    + " connections open already; close one (a lost network's connections close after "
                    + config.idleTimeoutSeconds() + " s)"));
            return;
        }
        link.tokenHash = session.tokenHash();
        link.caller = new Caller(session.account().id(), session.account().name(), session.admin(), link);
        strangers.leave(link);
        link.loggedInAt = System.currentTimeMillis();
        link.state = State.LOGGED_IN;
        // Online before the client hears LoggedIn: a push sent right after must not miss this connection; the
        // pushes that come meanwhile wait, so that the client hears LoggedIn first.
        link.holdPushes();
        online.add(link);
        link.reply(done.requestId(), session.toMessage());
        link.releasePushes();
        LOG.atInfo().addKeyValue("user", session.account().name()).addKeyValue("remote",
                link.session().getRemoteAddress()).log("logged in");
    }

    private void receive(MinaClientLink link, Object message) {
        link.taken(message);
        IoSession session = link.session();
        if (link.state == State.CLOSING) {
            return;
        }
        if (message instanceof BadFrame bad && link.state == State.AWAIT_HELLO) {
            warnings.log(LOG, Level.INFO, link.address, "first frame was not a Hello; closing", bad.reason());
            link.close(bad.requestId(), ErrorCode.HANDSHAKE_REQUIRED, "the first frame must be Hello ("
                    + bad.reason() + ")");
            return;
        }
        if (message instanceof BadFrame bad) {
            warnings.log(LOG, Level.INFO, link.address, "rejected frame", bad.reason());
            link.reply(bad.requestId(), new Session.ErrorReply(bad.code(), bad.reason()));
            return;
        }
        Frame frame = (Frame) message;
        boolean chunk = frame.message() instanceof Transfers.UploadChunk
                || frame.message() instanceof Transfers.FetchChunk;
        if (!link.bucket.tryTake(chunk ? CHUNK_COST : 1)) {
            link.reply(frame.requestId(), new Session.ErrorReply(ErrorCode.RATE_LIMITED,
                    "too many requests on this connection; slow down"));
            return;
        }
        if (link.state == State.LOGGED_IN
                && !costly.tryTake(link.caller.accountId(), AccountBudgets.cost(frame.message()))) {
            link.reply(frame.requestId(), new Session.ErrorReply(ErrorCode.RATE_LIMITED, "too many "
                    + frame.message().getClass().getSimpleName() + " and other costly requests (searches, lists, "
                    + "group changes) from your account, at most " + costly.ratePerSecond()
                    + " a second across all its connections; slow down"));
            return;
        }
        try {
            switch (link.state) {
                case AWAIT_HELLO -> hello(link, frame);
                case AWAIT_LOGIN, LOGGING_IN -> beforeLogin(link, frame);
                case LOGGED_IN -> afterLogin(link, frame);
                default -> {
                }
            }
        } catch (ParleyException e) {
            fail(link, frame.requestId(), e);
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).addKeyValue("request", frame.message().getClass().getSimpleName())
                    .log("request failed");
            link.reply(frame.requestId(), new Session.ErrorReply(ErrorCode.INTERNAL_ERROR, "internal error"));
        }
    }

    private void hello(MinaClientLink link, Frame frame) {
        if (!(frame.message() instanceof Session.Hello hello)) {
            link.close(frame.requestId(), ErrorCode.HANDSHAKE_REQUIRED, "the first frame must be Hello");
            return;
        }
        // The same choice as the frame decoder made when it decoded this Hello (ParleyCodecFactory.forServer).
        int version = Protocol.negotiate(hello.minVersion(), hello.maxVersion(), Protocol.MIN_VERSION,
                Protocol.MAX_VERSION);
        if (version == 0) {
            link.close(frame.requestId(), ErrorCode.UNSUPPORTED_VERSION, "this server speaks protocol versions " + Protocol.MIN_VERSION
                    + " to " + Protocol.MAX_VERSION);
            return;
        }
        link.state = State.AWAIT_LOGIN;
        link.reply(frame.requestId(), new Session.Welcome(version, serverName, config.maxFrameBytes(),
                config.maxMessageBytes(), System.currentTimeMillis()));
    }

    private void beforeLogin(MinaClientLink link, Frame frame) {
        Message m = frame.message();
        if (m instanceof Session.Ping ping) {
            link.reply(frame.requestId(), new Session.Pong(ping.nonce()));
            return;
        }
        if (!MinaClientLink.isLoginRequest(m)) {
            throw new ParleyException(ErrorCode.NOT_AUTHENTICATED, "log in first");
        }
        if (link.state == State.LOGGING_IN) {
            throw new ParleyException(ErrorCode.CONFLICT, "a login is already in progress on this connection");
        }
        CompletionStage<AccountService.Session> result;
        link.state = State.LOGGING_IN;
        link.resuming = m instanceof Accounts.Resume;
        try {
            if (m instanceof Accounts.Register r) {
                link.device = r.device();
                result = accounts.register(r, remoteAddress(link));
            } else if (m instanceof Accounts.Login l) {
                link.device = l.device();
                result = accounts.login(l, remoteAddress(link));
            } else if (m instanceof Accounts.ResetPassword p) {
                link.device = p.device();
                result = accounts.resetPassword(p, remoteAddress(link));
            } else {
                Accounts.Resume r = (Accounts.Resume) m;
                link.device = r.device();
                result = java.util.concurrent.CompletableFuture.completedFuture(
                        accounts.resume(r, remoteAddress(link)));
            }
        } catch (RuntimeException e) {
            metrics.login(false);
            link.state = State.AWAIT_LOGIN; // refused before any work started: the client may try again
            throw e;
        }
        result.whenComplete((session, error) -> loginDone(link, new LoginDone(frame.requestId(), session, error)));
    }

    /** The peer's address, which the login throttle counts by. */
    private static java.net.InetAddress remoteAddress(MinaClientLink link) {
        return link.session().getRemoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress() : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void afterLogin(MinaClientLink link, Frame frame) {
        Message m = frame.message();
        int id = frame.requestId();
        if (m instanceof Session.Ping ping) {
            link.reply(id, new Session.Pong(ping.nonce()));
        } else if (m instanceof Accounts.Logout) {
            accounts.logout(link.tokenHash);
            link.reply(id, new Session.Ok());
            link.state = State.CLOSING;
            link.session().closeOnFlush();
        } else if (m instanceof Accounts.ChangePassword c) {
            // Here rather than in a feature's handler: it keeps this connection's session (its token hash).
            accounts.changePassword(link.caller, link.tokenHash, c, remoteAddress(link))
                    .whenComplete((x, error) -> {
                        if (error != null) {
                            fail(link, id, error);
                        } else {
                            link.reply(id, new Session.Ok());
                        }
                    });
        } else if (m instanceof Session.Hello || m instanceof Accounts.Login || m instanceof Accounts.Register
                || m instanceof Accounts.Resume || m instanceof Accounts.ResetPassword) {
            throw new ParleyException(ErrorCode.CONFLICT, "already logged in");
        } else {
            RequestHandler handler = handlers.get(m.getClass());
            if (handler == null) {
                throw new ParleyException(ErrorCode.UNKNOWN_MESSAGE_TYPE,
                        m.getClass().getSimpleName() + " is not a request");
            }
            // A new message's stages are timed from when its frame was decoded (0: not timed).
            long received = m instanceof Chat.Send ? link.requestReceivedNanos() : 0;
            if (received != 0) {
                link.stages().stage(MessageStages.Stage.DECODED_HANDLED, System.nanoTime() - received);
            }
            // A page of up to a frame is built and queued while holding one of the server's page builds: 32
            // workers building a page of 1 MiB each at once were a heap's worth of garbage on a small server.
            boolean page = PageBuilds.isPage(m);
            if (page) {
                pageBuilds.acquire();
            }
            try {
                CompletionStage<? extends Message> reply = handler.handle(link.caller, m);
                reply.whenComplete((r, error) -> {
                    if (error != null) {
                        fail(link, id, error);
                    } else if (received != 0) {
                        link.replySent(id, r, received);
                    } else {
                        link.reply(id, r);
                    }
                });
            } finally {
                if (page) {
                    pageBuilds.release();
                }
            }
        }
    }

    private void fail(MinaClientLink link, int requestId, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof ParleyException p) {
            if (p.code().fatal()) {
                link.close(requestId, p.code(), p.getMessage());
            } else {
                link.reply(requestId, new Session.ErrorReply(p.code(), p.getMessage()));
            }
        } else if (e instanceof StorageFullException) {
            LOG.atError().setCause(e).log("disk full");
            link.reply(requestId, new Session.ErrorReply(ErrorCode.STORAGE_FULL,
                    "the server's disk is full; nothing was stored"));
        } else {
            LOG.atError().setCause(e).log("request failed");
            link.reply(requestId, new Session.ErrorReply(ErrorCode.INTERNAL_ERROR, "internal error"));
        }
    }
}
