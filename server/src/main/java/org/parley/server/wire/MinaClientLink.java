package org.parley.server.wire;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.mina.core.session.IoSession;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.accounts.AccountService;
import org.parley.server.common.Caller;
import org.parley.server.presence.ClientLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection's state, and its {@link ClientLink} face for the feature services. */
final class MinaClientLink implements ClientLink {

    enum State {
        AWAIT_HELLO, AWAIT_LOGIN, LOGGING_IN, LOGGED_IN, CLOSING
    }

    private static final AtomicLong IDS = new AtomicLong();
    private static final Logger LOG = LoggerFactory.getLogger(MinaClientLink.class);

    private final long id = IDS.incrementAndGet();
    private final IoSession session;
    private final long maxOutboundBytes;
    final TokenBucket bucket;
    volatile State state = State.AWAIT_HELLO;
    volatile AccountService.Session login;
    volatile Caller caller;
    volatile String device = "";

    MinaClientLink(IoSession session, long maxOutboundBytes, TokenBucket bucket) {
        this.session = session;
        this.maxOutboundBytes = maxOutboundBytes;
        this.bucket = bucket;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long accountId() {
        AccountService.Session s = login;
        return s == null ? 0 : s.account().id();
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public void push(Message message) {
        write(Frame.push(message));
    }

    void reply(int requestId, Message message) {
        if (requestId != 0 || message instanceof Session.ErrorReply) {
            write(new Frame(requestId, message));
        }
    }

    private void write(Frame frame) {
        if (state == State.CLOSING || session.isClosing()) {
            return;
        }
        // A receiver that does not read its socket must not hold the server's memory: close it. Its client
        // reconnects and resyncs from history, so nothing is lost.
        if (session.getScheduledWriteBytes() > maxOutboundBytes) {
            LOG.atWarn().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("queued",
                    session.getScheduledWriteBytes()).log("closing a connection that does not read");
            state = State.CLOSING;
            session.closeNow();
            return;
        }
        session.write(frame);
    }

    @Override
    public void close(ErrorCode code, String reason) {
        close(0, code, reason);
    }

    /** Sends an error (as the answer to {@code requestId}, or a push when 0) and closes once it is written. */
    void close(int requestId, ErrorCode code, String reason) {
        if (state == State.CLOSING) {
            return;
        }
        write(new Frame(requestId, new Session.ErrorReply(code, reason)));
        state = State.CLOSING;
        session.closeOnFlush();
    }

    IoSession session() {
        return session;
    }
}
