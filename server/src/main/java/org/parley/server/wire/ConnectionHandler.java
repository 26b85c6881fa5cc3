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
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;
import org.parley.server.ServerConfig;
import org.parley.server.accounts.AccountService;
import org.parley.server.common.Caller;
import org.parley.server.common.Handlers;
import org.parley.server.common.ParleyException;
import org.parley.server.common.RequestHandler;
import org.parley.server.presence.OnlineUsers;
import org.parley.server.storage.StorageFullException;
import org.parley.server.wire.MinaClientLink.State;
import org.parley.protocol.mina.BadFrameLengthException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection protocol state machine: handshake, login, then dispatch of requests to the feature handlers.
 * Runs on the ordered executor (never on a MINA I/O thread), so a connection's frames are handled one at a
 * time and in order, and handlers may block on storage reads.
 */
final class ConnectionHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final String LINK = "parley.link";
    private static final long HANDSHAKE_TIMEOUT_MS = 30_000;

    private final ServerConfig config;
    private final AccountService accounts;
    private final OnlineUsers online;
    private final Handlers handlers;
    private final String serverName;

    ConnectionHandler(ServerConfig config, AccountService accounts, OnlineUsers online, Handlers handlers,
            String serverName) {
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
        session.setAttribute(LINK, new MinaClientLink(session, config.maxOutboundBytes(),
                4L * config.maxFrameBytes(), config.slowReaderSeconds() * 1000L,
                new TokenBucket(config.requestsPerSecond(), config.requestBurst())));
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, 10);
    }

    @Override
    public void sessionClosed(IoSession session) {
        MinaClientLink link = link(session);
        link.state = State.CLOSING;
        if (link.caller != null) {
            online.remove(link);
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        MinaClientLink link = link(session);
        long now = System.currentTimeMillis();
        if (link.state != State.LOGGED_IN && now - session.getCreationTime() > HANDSHAKE_TIMEOUT_MS) {
            link.close(ErrorCode.HANDSHAKE_REQUIRED, "no login within " + HANDSHAKE_TIMEOUT_MS / 1000 + " s");
        } else if (now - session.getLastReadTime() > config.idleTimeoutSeconds() * 1000L) {
            LOG.atDebug().addKeyValue("remote", session.getRemoteAddress()).log("closing an idle connection");
            session.closeNow();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        MinaClientLink link = link(session);
        if (cause instanceof BadFrameLengthException bad) {
            LOG.atWarn().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("reason", bad.getMessage())
                    .log("bad frame length; closing");
            link.close(ErrorCode.BAD_FRAME_LENGTH, bad.getMessage());
        } else if (cause instanceof ProtocolDecoderException && cause.getCause() instanceof SSLException
                || cause instanceof SSLException) {
            LOG.atInfo().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("reason", cause.getMessage())
                    .log("TLS handshake failed; closing");
            session.closeNow();
        } else if (cause instanceof IOException) {
            session.closeNow(); // connection reset and the like: nothing to tell anyone
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
            link.sent();
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        MinaClientLink link = link(session);
        // Counted as handled before it is: its reply may be sent (from another thread, as a stored chunk's is)
        // before this handler returns, and reading resumes only when a reply is sent after the count went down;
        // counted after, the connection could stay unread until it idles. One frame in hand is not counted.
        // Held back (null) while the client does not read its replies: no worker waits for a slow reader.
        Object admitted = link.admit(message);
        if (admitted != null) {
            receive(link, admitted);
            link.afterHandled();
        }
    }

    private void receive(MinaClientLink link, Object message) {
        IoSession session = link.session();
        if (link.state == State.CLOSING) {
            return;
        }
        if (message instanceof BadFrame bad) {
            LOG.atInfo().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("type", bad.type())
                    .addKeyValue("reason", bad.reason()).log("rejected frame");
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
        int version = Math.min(hello.maxVersion(), Protocol.MAX_VERSION);
        if (version < Math.max(hello.minVersion(), Protocol.MIN_VERSION)) {
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
        boolean loginRequest = m instanceof Accounts.Register || m instanceof Accounts.Login
                || m instanceof Accounts.Resume;
        if (!loginRequest) {
            throw new ParleyException(ErrorCode.NOT_AUTHENTICATED, "log in first");
        }
        if (link.state == State.LOGGING_IN) {
            throw new ParleyException(ErrorCode.CONFLICT, "a login is already in progress on this connection");
        }
        CompletionStage<AccountService.Session> result;
        link.state = State.LOGGING_IN;
        try {
            if (m instanceof Accounts.Register r) {
                link.device = r.device();
                result = accounts.register(r);
            } else if (m instanceof Accounts.Login l) {
                link.device = l.device();
                result = accounts.login(l);
            } else {
                Accounts.Resume r = (Accounts.Resume) m;
                link.device = r.device();
                result = java.util.concurrent.CompletableFuture.completedFuture(accounts.resume(r));
            }
        } catch (RuntimeException e) {
            link.state = State.AWAIT_LOGIN; // refused before any work started: the client may try again
            throw e;
        }
        result.whenComplete((session, error) -> {
            if (error != null) {
                if (link.state == State.LOGGING_IN) {
                    link.state = State.AWAIT_LOGIN;
                }
                fail(link, frame.requestId(), error);
                return;
            }
            if (link.state != State.LOGGING_IN) {
                return; // closed meanwhile
            }
            link.login = session;
            link.caller = new Caller(session.account().id(), session.account().name(), session.admin(), link);
            link.state = State.LOGGED_IN;
            // Online before the client hears LoggedIn: a push sent right after must not miss this connection.
            online.add(link);
            link.reply(frame.requestId(), session.toMessage());
            LOG.atInfo().addKeyValue("user", session.account().name()).addKeyValue("remote",
                    link.session().getRemoteAddress()).log("logged in");
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void afterLogin(MinaClientLink link, Frame frame) {
        Message m = frame.message();
        int id = frame.requestId();
        if (m instanceof Session.Ping ping) {
            link.reply(id, new Session.Pong(ping.nonce()));
        } else if (m instanceof Accounts.Logout) {
            accounts.logout(link.login.tokenHash());
            link.reply(id, new Session.Ok());
            link.state = State.CLOSING;
            link.session().closeOnFlush();
        } else if (m instanceof Accounts.DisableAccount d) {
            accounts.disable(link.caller, d.user());
            link.reply(id, new Session.Ok());
        } else if (m instanceof Session.Hello || m instanceof Accounts.Login || m instanceof Accounts.Register
                || m instanceof Accounts.Resume) {
            throw new ParleyException(ErrorCode.CONFLICT, "already logged in");
        } else {
            RequestHandler handler = handlers.get(m.getClass());
            if (handler == null) {
                throw new ParleyException(ErrorCode.UNKNOWN_MESSAGE_TYPE,
                        m.getClass().getSimpleName() + " is not a request");
            }
            CompletionStage<? extends Message> reply = handler.handle(link.caller, m);
            reply.whenComplete((r, error) -> {
                if (error != null) {
                    fail(link, id, error);
                } else {
                    link.reply(id, r);
                }
            });
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
