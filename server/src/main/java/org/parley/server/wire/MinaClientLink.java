package org.parley.server.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.mina.core.session.IoSession;
import org.parley.protocol.EncodedFrame;
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
    private final long maxInboundBytes;
    private final AtomicLong inbound = new AtomicLong();
    private boolean readSuspended; // confined to the session's I/O thread
    private final Object drained = new Object();
    final TokenBucket bucket;
    volatile State state = State.AWAIT_HELLO;
    volatile AccountService.Session login;
    volatile Caller caller;
    volatile String device = "";

    /** When the connection was accepted ({@link System#nanoTime}): the Hello and login deadlines count from it. */
    final long connectedNanos = System.nanoTime();
    /** The peer's address (null when the transport has none), for the per-address limits and log lines. */
    final InetAddress address;
    /** Whether this connection counts among its address's connections that have not logged in. */
    final AtomicBoolean unauthenticated = new AtomicBoolean();
    /** Frames received after a login request, held until its answer (only touched by the ordered worker). */
    final ArrayDeque<Object> held = new ArrayDeque<>();
    /** When the server asked this connection to close after a deadline (nanoTime), 0 before. */
    volatile long closeAskedNanos;

    // The frame being received (set on the I/O thread by the decoder's callbacks, read by the deadline sweeper).
    private volatile long frameStartNanos;
    private volatile int frameLength;
    private volatile long frameSuspendedBase;
    // Time reading was suspended by the server (its workers were behind): not the peer's delay.
    private volatile long suspendedSinceNanos;
    private volatile long suspendedTotalNanos;

    MinaClientLink(IoSession session, long maxOutboundBytes, long maxInboundBytes, TokenBucket bucket) {
        this.session = session;
        this.maxOutboundBytes = maxOutboundBytes;
        this.maxInboundBytes = maxInboundBytes;
        this.bucket = bucket;
        this.address = session.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** The first bytes of a frame of {@code length} arrived (I/O thread). */
    void frameStarted(int length) {
        frameLength = length;
        frameSuspendedBase = suspendedNanos(System.nanoTime());
        frameStartNanos = System.nanoTime();
    }

    /** The frame in progress is complete or abandoned (I/O thread). */
    void frameEnded() {
        frameStartNanos = 0;
    }

    /** The length of the frame in progress, or 0 when none is. */
    int frameInProgress() {
        return frameStartNanos == 0 ? 0 : frameLength;
    }

    /**
     * How long the frame in progress has been arriving, in milliseconds, not counting the time the server did not
     * read this connection; -1 when no frame is in progress.
     */
    long frameMillis(long nowNanos) {
        long start = frameStartNanos;
        if (start == 0) {
            return -1;
        }
        long paused = suspendedNanos(nowNanos) - frameSuspendedBase;
        return Math.max(0, nowNanos - start - paused) / 1_000_000;
    }

    private long suspendedNanos(long nowNanos) {
        long since = suspendedSinceNanos;
        return suspendedTotalNanos + (since == 0 ? 0 : Math.max(0, nowNanos - since));
    }

    /**
     * A frame of {@code weight} bytes was decoded and waits for the worker. Called on the session's I/O thread, as
     * is {@link #maybeResumeReading}: MINA changes a session's interest set with an unsynchronized read-modify-write
     * on its I/O thread (when it starts or stops waiting to write), so suspending or resuming reads from any other
     * thread can lose the change, and a connection whose resumption was lost would never be read again.
     */
    void queued(int weight) {
        if (inbound.addAndGet(weight) > maxInboundBytes && !readSuspended) {
            readSuspended = true;
            suspendedSinceNanos = System.nanoTime();
            session.suspendRead();
        }
    }

    /** The worker has taken a frame of {@code weight} bytes off the queue to handle it (any thread). */
    void handled(int weight) {
        inbound.addAndGet(-weight);
    }

    /**
     * On the I/O thread, after a reply was written or when the connection has been idle: read again once half the
     * backlog is handled. Replies follow handled requests closely, so reading resumes about as soon as it may.
     */
    void maybeResumeReading() {
        if (readSuspended && inbound.get() <= maxInboundBytes / 2) {
            readSuspended = false;
            long since = suspendedSinceNanos;
            suspendedTotalNanos += System.nanoTime() - since;
            suspendedSinceNanos = 0;
            session.resumeRead();
        }
    }

    /**
     * Called on the worker before a request is handled: while this connection's unsent replies and pushes are over
     * half the limit, wait for the client to read them (up to {@code maxWaitMillis}, then it is closed as a slow
     * receiver). So a client that pipelines many downloads gets them at the pace it reads, rather than being
     * closed, or holding the server's memory.
     */
    boolean awaitDrained(long maxWaitMillis) {
        if (session.getScheduledWriteBytes() <= maxOutboundBytes / 2) {
            return true;
        }
        long deadline = System.currentTimeMillis() + maxWaitMillis;
        synchronized (drained) {
            while (session.getScheduledWriteBytes() > maxOutboundBytes / 4) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || state == State.CLOSING || session.isClosing()) {
                    break;
                }
                try {
                    drained.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (session.getScheduledWriteBytes() > maxOutboundBytes / 4 && !session.isClosing()) {
            LOG.atWarn().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("queued",
                    session.getScheduledWriteBytes()).log("closing a connection that does not read its replies");
            state = State.CLOSING;
            session.closeNow();
            return false;
        }
        return !session.isClosing();
    }

    /** Something was written to the socket (I/O thread): wake a worker waiting in {@link #awaitDrained}. */
    void sent() {
        if (session.getScheduledWriteBytes() <= maxOutboundBytes / 4) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
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

    @Override
    public void push(EncodedFrame frame) {
        write(frame);
    }

    /**
     * Sends the answer to a request; a request sent with id 0 wants none, except that errors are always sent and
     * {@code Ping} is always answered (a keep-alive is the answer).
     */
    void reply(int requestId, Message message) {
        if (requestId != 0 || message instanceof Session.ErrorReply || message instanceof Session.Pong) {
            write(new Frame(requestId, message));
        }
    }

    /** Writes a {@link Frame} or an {@link EncodedFrame}. */
    private void write(Object frame) {
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
