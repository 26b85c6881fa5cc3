package org.parley.server.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;
import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.FrameTooLargeException;
import org.parley.protocol.message.Accounts;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;
import org.parley.server.common.Caller;
import org.parley.server.common.ClientLink;
import org.parley.server.common.MessageStages;
import org.parley.server.common.MessageStages.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection's state, and its {@link ClientLink} face for the feature services. */
final class MinaClientLink implements ClientLink {

    enum State {
        AWAIT_HELLO, AWAIT_LOGIN, LOGGING_IN, LOGGED_IN, CLOSING
    }

    private static final AtomicLong IDS = new AtomicLong();
    private static final Logger LOG = LoggerFactory.getLogger(MinaClientLink.class);
    // Counters as plain fields updated through handles: an AtomicLong per counter was an object of its own for
    // each connection (five of them, 16 bytes and a reference of 8 each).
    private static final VarHandle REPORTED_UNSENT;
    private static final VarHandle COPY_BYTES;
    private static final VarHandle INBOUND;
    private static final VarHandle UNAUTHENTICATED;
    private static final VarHandle LOGINS_ARRIVED;
    private static final VarHandle WITH_WORKERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REPORTED_UNSENT = lookup.findVarHandle(MinaClientLink.class, "reportedUnsent", long.class);
            COPY_BYTES = lookup.findVarHandle(MinaClientLink.class, "copyBytes", long.class);
            INBOUND = lookup.findVarHandle(MinaClientLink.class, "inbound", long.class);
            UNAUTHENTICATED = lookup.findVarHandle(MinaClientLink.class, "unauthenticated", int.class);
            LOGINS_ARRIVED = lookup.findVarHandle(MinaClientLink.class, "loginsArrived", int.class);
            WITH_WORKERS = lookup.findVarHandle(MinaClientLink.class, "withWorkers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** When the last "answer larger than a frame" line was logged (nanoTime), server-wide. */
    private static final AtomicLong LAST_TOO_LARGE_LOG = new AtomicLong(System.nanoTime() - 2_000_000_000L);

    private final long id = IDS.incrementAndGet();
    private final IoSession session;
    private final long maxOutboundBytes;
    /** The server-wide bound on unsent bytes, and this connection's share of its total as last reported. */
    private final OutboundBudget budget;
    /** This connection's unsent bytes as last added to the budget's total; -1 once the connection is gone. */
    @SuppressWarnings("unused") // through REPORTED_UNSENT
    private volatile long reportedUnsent;
    // The three queues below are empty for nearly all of a connection's life: each starts with the smallest array (48
    // bytes, against 176 with an ArrayDeque's default room for 16) and grows when used.
    /**
     * The pushes shared with other connections (a fan-out's one buffer) written to this one and not yet sent, in the
     * order written; guards {@link #sharedBytes} and {@link #sharedGone}. The budget counts each such buffer once,
     * however many connections hold it ({@link OutboundBudget#holdShared}).
     */
    private final ArrayDeque<EncodedFrame> shared = new ArrayDeque<>(0);
    /** The bytes of {@link #shared}, part of MINA's scheduled bytes for this connection. */
    private long sharedBytes;
    /** The connection is closed: shared buffers written to it no longer count (and are not held again). */
    private boolean sharedGone;
    /** The bytes of a write gathered from several ({@link GatheringWriteQueue}) being written: this connection's own. */
    @SuppressWarnings("unused") // through COPY_BYTES
    private volatile long copyBytes;
    /**
     * When this connection last caught up (had {@link OutboundBudget#LITTLE} or less unsent) or read as much since
     * the time before (currentTimeMillis), and the bytes written to its socket then.
     */
    private volatile long progressAt = System.currentTimeMillis();
    private volatile long writtenAtProgress;
    private final int maxFrameBytes;
    private final long maxInboundBytes;
    /** The bytes of frames decoded and not yet taken by the worker (through {@link #INBOUND}). */
    @SuppressWarnings("unused")
    private volatile long inbound;
    private boolean readSuspended; // confined to the session's I/O thread
    private final long slowReaderMillis;
    /** Frames held back while the client does not read (see {@link #admit}); guards the two fields below too. */
    private final ArrayDeque<Object> parked = new ArrayDeque<>(0);
    /** A held-back frame was handed to the workers and has not been taken yet. */
    private boolean resumedInFlight;
    /** Since when frames are held back without one being resumed; 0 when none are. */
    private long behindSince;
    final TokenBucket bucket;
    volatile State state = State.AWAIT_HELLO;
    /**
     * The hash of the login's session token once logged in (null before), for a logout or a password change: all a
     * connection keeps of its login besides its {@link Caller} (not the token, nor the account's row with its
     * password hash: about 350 bytes a connection).
     */
    volatile byte[] tokenHash;
    volatile Caller caller;
    volatile String device = "";
    /** The login under way is a Resume (its token is the device's own, kept when the login is refused). */
    volatile boolean resuming;

    /** When the connection was accepted ({@link System#nanoTime}): the Hello and login deadlines count from it. */
    final long connectedNanos = System.nanoTime();
    /** The peer's address (null when the transport has none), for the per-address limits and log lines. */
    final InetAddress address;
    /** Whether this connection counts among its address's connections that have not logged in (1) or not (0). */
    @SuppressWarnings("unused") // through UNAUTHENTICATED
    private volatile int unauthenticated;
    /** Frames received after a login request, held until its answer (only touched by the ordered worker). */
    final ArrayDeque<Object> held = new ArrayDeque<>(0);
    /** When the login was done (currentTimeMillis), 0 before: the idle timeout counts from it at the earliest. */
    volatile long loggedInAt;
    /** When the server asked this connection to close after a deadline (nanoTime), 0 before. */
    volatile long closeAskedNanos;
    /** A {@code Hello} has arrived in full (I/O thread), handled or not: the peer met the Hello deadline. */
    volatile boolean helloArrived;
    /**
     * Login requests that have arrived in full and that the worker has not taken yet: while there are any, the
     * login deadline waits for the server, not for the peer.
     */
    @SuppressWarnings("unused") // through LOGINS_ARRIVED
    private volatile int loginsArrived;

    // The stage timings (MessageStages): when each frame was decoded, in a ring written on the I/O thread (queued)
    // and read in the same order by the worker (handled), which keeps the stamp of the frame it is handling. Only a
    // Send's stages are timed, so the ring (528 bytes) is made at the connection's first Send: a connection that
    // sends no message holds none; the frames before it go untimed (their slots are 0).
    private static final int STAMPS = 64;
    private final MessageStages stages;
    private final boolean timing;
    private long[] decodedAt; // null before the first Send and when not timing; written by the I/O thread
    private volatile long decodedCount;
    // The worker's, or the I/O thread's for a frame handled there (frames of one connection are handled one at a
    // time: the I/O thread only while none is with the workers, admitInline).
    private long takenCount;
    private volatile long receivedNanos;

    // The frame being received (set on the I/O thread by the decoder's callbacks, read by the deadline sweeper).
    private volatile long frameStartNanos;
    private volatile int frameLength;
    private volatile long frameSuspendedBase;
    // Time reading was suspended by the server (its workers were behind): not the peer's delay.
    private volatile long suspendedSinceNanos;
    private volatile long suspendedTotalNanos;

    MinaClientLink(IoSession session, long maxOutboundBytes, long maxInboundBytes, long slowReaderMillis,
            TokenBucket bucket, int maxFrameBytes) {
        this(session, maxOutboundBytes, maxInboundBytes, slowReaderMillis, bucket, maxFrameBytes, MessageStages.OFF,
                OutboundBudget.UNBOUNDED);
    }

    MinaClientLink(IoSession session, long maxOutboundBytes, long maxInboundBytes, long slowReaderMillis,
            TokenBucket bucket, int maxFrameBytes, MessageStages stages, OutboundBudget budget) {
        this.budget = budget;
        this.maxFrameBytes = maxFrameBytes;
        this.stages = stages;
        this.timing = stages.timing();
        this.session = session;
        this.slowReaderMillis = slowReaderMillis;
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
    void queued(Object message, int weight) {
        if (message instanceof Frame f) {
            if (f.message() instanceof Session.Hello) {
                helloArrived = true;
            } else if (isLoginRequest(f.message())) {
                LOGINS_ARRIVED.getAndAdd(this, 1);
            }
        }
        if (timing) {
            long[] ring = decodedAt;
            if (ring == null && message instanceof Frame f && f.message() instanceof Chat.Send) {
                ring = new long[STAMPS];
                decodedAt = ring; // published to the worker by the volatile write below
            }
            long n = decodedCount;
            if (ring != null) {
                ring[(int) (n % STAMPS)] = System.nanoTime();
            }
            decodedCount = n + 1;
        }
        if ((long) INBOUND.getAndAdd(this, (long) weight) + weight > maxInboundBytes && !readSuspended) {
            readSuspended = true;
            suspendedSinceNanos = System.nanoTime();
            session.suspendRead();
        }
    }

    /** Whether {@code m} is one of the requests that log a connection in. */
    static boolean isLoginRequest(Message m) {
        return m instanceof Accounts.Register || m instanceof Accounts.Login || m instanceof Accounts.Resume
                || m instanceof Accounts.ResetPassword;
    }

    /** Counts this connection among its address's connections that have not logged in. */
    void markUnauthenticated() {
        UNAUTHENTICATED.setVolatile(this, 1);
    }

    /** Stops counting it so: true the first time only. */
    boolean leaveUnauthenticated() {
        return UNAUTHENTICATED.compareAndSet(this, 1, 0);
    }

    /** On the worker: a frame that arrived is being dealt with (handled, refused or dropped). */
    void taken(Object message) {
        if (message instanceof Frame f && isLoginRequest(f.message())) {
            LOGINS_ARRIVED.getAndAdd(this, -1);
        }
    }

    /**
     * Whether what the peer owes before logging in has arrived and waits for the server's workers: the Hello and
     * login deadlines measure the peer, so a busy server does not close a client that was on time.
     */
    boolean waitingForServer() {
        return (state == State.AWAIT_HELLO && helloArrived) || (int) LOGINS_ARRIVED.getVolatile(this) > 0;
    }

    /** The worker has taken a frame of {@code weight} bytes off the queue to handle it (any thread). */
    void handled(int weight) {
        INBOUND.getAndAdd(this, (long) -weight);
        if (timing) {
            long taken = takenCount++;
            boolean inRing = decodedCount - taken <= STAMPS; // the volatile read: decodedAt is seen after it
            long[] ring = decodedAt;
            // More than STAMPS frames behind: the slot was reused; this frame goes untimed (as before the ring).
            receivedNanos = inRing && ring != null ? ring[(int) (taken % STAMPS)] : 0;
        }
    }

    @Override
    public long requestReceivedNanos() {
        return receivedNanos;
    }

    /** Where this connection records the stages of new messages. */
    MessageStages stages() {
        return stages;
    }

    /**
     * On the I/O thread, after a reply was written or when the connection has been idle: read again once half the
     * backlog is handled. Replies follow handled requests closely, so reading resumes about as soon as it may.
     */
    void maybeResumeReading() {
        if (readSuspended && (long) INBOUND.getVolatile(this) <= maxInboundBytes / 2) {
            readSuspended = false;
            long since = suspendedSinceNanos;
            suspendedTotalNanos += System.nanoTime() - since;
            suspendedSinceNanos = 0;
            session.resumeRead();
        }
    }

    /** What was handed to the workers for this connection (frames, resumed frames, logins' outcomes) and not done. */
    @SuppressWarnings("unused") // through WITH_WORKERS
    private volatile int withWorkers;

    /** Something is handed to the workers' executor for this connection (the I/O thread, or whoever resumes it). */
    void toWorkers() {
        WITH_WORKERS.getAndAdd(this, 1);
    }

    /** A worker is done with what was handed to it ({@link #toWorkers}). */
    void doneByWorker() {
        WITH_WORKERS.getAndAdd(this, -1);
    }

    /**
     * On the I/O thread, for a frame that could be handled right here ({@code Handlers.inline}): whether it may,
     * which takes it as {@link #admit} would. It may when nothing this connection sent before it is still with the
     * workers (so it cannot overtake a request) or held back for a client that does not read ({@link #admit}'s
     * rules: it would be held back too). Nothing else hands this connection's frames to the workers meanwhile: a
     * held-back frame is resumed only while others are held, a login's outcome only while logging in.
     */
    boolean admitInline(Object message) {
        if ((int) WITH_WORKERS.getVolatile(this) != 0) {
            return false;
        }
        synchronized (parked) {
            if (!parked.isEmpty() || resumedInFlight || !mayQueue(maxOutboundBytes / 2)) {
                return false;
            }
            handled(InboundThrottle.weight(message));
            return true;
        }
    }

    /** A frame held back while this connection's client was not reading, sent to the workers again. */
    record Resumed(Object frame) {
    }

    /**
     * Called on the worker for each frame taken off the executor: returns the frame to handle now, or null when it
     * is held back. While this connection's unsent replies and pushes are over half of {@code maxOutboundBytes}, or
     * over {@link OutboundBudget#LITTLE} while the server's total is over its bound ({@link #mayQueue}), its
     * requests wait in a queue of their own (in order, still counted by the inbound throttle, so reading stops
     * soon) instead of holding a worker: the next is handed to the workers again when the client has read enough
     * ({@link #sent}). So a client that pipelines many downloads gets them at the pace it reads, and one that does
     * not read holds no shared thread; it is closed when it has not caught up for {@code slowReaderMillis}.
     */
    Object admit(Object message) {
        synchronized (parked) {
            if (message instanceof Resumed r) {
                resumedInFlight = false;
                handled(InboundThrottle.weight(r.frame()));
                return r.frame();
            }
            if (parked.isEmpty() && !resumedInFlight && mayQueue(maxOutboundBytes / 2)) {
                handled(InboundThrottle.weight(message));
                return message;
            }
            if (parked.isEmpty() && !resumedInFlight) {
                behindSince = System.currentTimeMillis();
            }
            parked.add(message); // still counted as inbound: the throttle stops reading while these wait
        }
        if (!closeIfBehind(System.currentTimeMillis())) {
            resumeNext();
        }
        return null;
    }

    /**
     * Whether this connection's next request may be handled now, its answer queued: its unsent bytes are within
     * {@code limit}, and, while the unsent bytes of all connections together are over {@code
     * max-outbound-total-bytes}, it has next to nothing unsent. So a client that reads still gets its answers, one
     * after the other as it reads them, and one that does not read gets nothing more built for it.
     */
    private boolean mayQueue(long limit) {
        long queued = session.getScheduledWriteBytes();
        return queued <= limit && (queued <= OutboundBudget.LITTLE || !budget.over());
    }

    /** After a frame was handled (worker): the next held-back one goes to the workers if the client has read. */
    void afterHandled() {
        resumeNext();
    }

    /** Hands the oldest held-back frame to the workers, if there is one, none is on its way and the client reads. */
    private void resumeNext() {
        Object next;
        synchronized (parked) {
            if (resumedInFlight || parked.isEmpty() || !mayQueue(maxOutboundBytes / 4) || session.isClosing()) {
                return;
            }
            next = parked.poll();
            resumedInFlight = true;
            behindSince = parked.isEmpty() ? 0 : System.currentTimeMillis();
        }
        // Enters the chain again just before the workers' executor, which keeps this connection's frames in order.
        session.getFilterChain().getNextFilter(InboundThrottle.class).messageReceived(session, new Resumed(next));
    }

    /**
     * Closes the connection when frames have been held back for it longer than {@code slowReaderMillis} without
     * one being resumed (on any thread; the I/O thread checks it when the connection is idle).
     */
    boolean closeIfBehind(long now) {
        long since;
        synchronized (parked) {
            since = behindSince;
        }
        if (since == 0 || now - since <= slowReaderMillis || session.isClosing()) {
            return false;
        }
        LOG.atWarn().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("queued",
                session.getScheduledWriteBytes()).log("closing a connection that does not read its replies");
        state = State.CLOSING;
        session.closeNow();
        return true;
    }

    /** Something was written to the socket (I/O thread): resume a held-back frame once enough was read. */
    void sent() {
        sent(null);
    }

    /** {@code message} was written to the socket (I/O thread): as {@link #sent()}, and a shared push is let go. */
    void sent(Object message) {
        if (message instanceof EncodedFrame f) {
            releaseShared(f);
        }
        long unsent = reportUnsent();
        noteProgress(System.currentTimeMillis(), unsent);
        if (unsent <= maxOutboundBytes / 4) {
            resumeNext();
        }
    }

    /** Hands a held-back frame to the workers if this connection may now have its next answer (any thread). */
    void resumeIfRoom() {
        synchronized (parked) {
            if (parked.isEmpty()) {
                return;
            }
        }
        resumeNext();
    }

    /** This connection's unsent bytes (replies and pushes queued and not yet taken by the socket). */
    long unsent() {
        return session.getScheduledWriteBytes();
    }

    /**
     * Brings the server-wide total up to date with this connection's own unsent bytes ({@link #ownUnsent}), and
     * returns all its unsent bytes (its backlog, shared buffers included).
     */
    long reportUnsent() {
        long unsent = session.getScheduledWriteBytes();
        long now = ownUnsent(unsent);
        long before;
        do {
            before = (long) REPORTED_UNSENT.getVolatile(this);
            if (before < 0) {
                return unsent; // gone: no longer counted
            }
        } while (!REPORTED_UNSENT.compareAndSet(this, before, now));
        budget.add(now - before);
        return unsent;
    }

    /**
     * What this connection holds unsent that no other does: its backlog ({@code unsent}) less the shared pushes
     * in it (the budget counts each of those once, for all the connections it is written to), plus the copy of a
     * gathered write in progress.
     */
    private long ownUnsent(long unsent) {
        long sharedNow;
        synchronized (shared) {
            sharedNow = sharedBytes;
        }
        return Math.max(0, unsent - sharedNow) + (long) COPY_BYTES.getVolatile(this);
    }

    /** What this connection holds unsent that no other does, as last reported to the budget. */
    long reportedOwn() {
        return Math.max(0, (long) REPORTED_UNSENT.getVolatile(this));
    }

    /**
     * A push whose bytes other connections share is about to be written to this one: the budget counts them once.
     * Called holding {@link #shared}.
     */
    private void holdShared(EncodedFrame frame) {
        if (sharedGone) {
            return;
        }
        int size = frame.size(protocolVersion());
        shared.add(frame);
        sharedBytes += size;
        budget.holdShared(frame, size);
    }

    /** A shared push was written to the socket (they are sent in the order written). */
    private void releaseShared(EncodedFrame frame) {
        synchronized (shared) {
            if (shared.peekFirst() != frame) {
                return; // an answer, or a message sent event that came twice
            }
            shared.pollFirst();
            sharedBytes -= frame.size(protocolVersion());
            budget.releaseShared(frame);
        }
    }

    /** A gathered write's copy of {@code delta} bytes was made (positive) or written (negative); I/O thread. */
    void copied(long delta) {
        COPY_BYTES.getAndAdd(this, delta);
    }

    /** The connection is closed: what it had unsent no longer counts. */
    void releaseUnsent() {
        synchronized (shared) {
            sharedGone = true;
            for (EncodedFrame f : shared) {
                budget.releaseShared(f);
            }
            shared.clear();
            sharedBytes = 0;
        }
        long before = (long) REPORTED_UNSENT.getAndSet(this, -1L);
        if (before > 0) {
            budget.add(-before);
        }
    }

    /**
     * Notes that this connection is reading, if it is: it has {@link OutboundBudget#LITTLE} or less unsent, or its
     * socket has taken at least that much since it last made progress.
     */
    void noteProgress(long now, long unsent) {
        long written = session.getWrittenBytes();
        if (unsent <= OutboundBudget.LITTLE || written - writtenAtProgress >= OutboundBudget.LITTLE) {
            writtenAtProgress = written;
            progressAt = now;
        }
    }

    /** When this connection last made progress reading ({@link #noteProgress}; currentTimeMillis). */
    long progressAt() {
        return progressAt;
    }

    /**
     * Closes this connection because it has not read its backlog for long while the unsent bytes of all connections
     * together ({@code serverUnsent}) are over {@code max} ({@link OutboundBudget}); its client resyncs.
     */
    void closeBehind(long serverUnsent, long max) {
        if (session.isClosing()) {
            return;
        }
        LOG.atWarn().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("queued",
                session.getScheduledWriteBytes()).addKeyValue("serverQueued", serverUnsent).addKeyValue("max", max)
                .addKeyValue("behindMillis", System.currentTimeMillis() - progressAt)
                .log("closing a connection that does not read while the server holds too much unsent");
        state = State.CLOSING;
        session.closeNow();
    }

    /**
     * A frame's worth, or {@link OutboundBudget#LITTLE} while the unsent bytes of all connections together are over
     * {@code max-outbound-total-bytes}: every connection may get one answer while it has next to nothing unsent, so
     * its pages are kept small then (a reader asks for the next one).
     */
    @Override
    public int pageBytes(int maxFrameBytes) {
        return budget.over() ? (int) Math.min(maxFrameBytes, OutboundBudget.LITTLE) : maxFrameBytes;
    }

    /** The version the connection's Hello chose, once it has (0 before): read on every push. */
    private volatile int version;

    @Override
    public int protocolVersion() {
        int v = version;
        if (v == 0) {
            v = org.parley.protocol.mina.WireVersion.of(session);
            if (org.parley.protocol.mina.WireVersion.chosen(session)) {
                version = v;
            }
        }
        return v;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long accountId() {
        Caller c = caller;
        return c == null ? 0 : c.accountId();
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public void push(Message message) {
        pushed(Frame.push(message));
    }

    @Override
    public void push(EncodedFrame frame) {
        pushed(frame);
    }

    /** The same bytes written to many connections (pushes): the budget counts them once. */
    private static boolean isShared(Object frame) {
        return frame instanceof EncodedFrame;
    }

    /** Pushes that arrive while a login's answer is being sent; null when none is. */
    private java.util.List<Object> heldPushes;

    /**
     * Until {@link #releasePushes()}, pushes wait: the connection is online (a push sent meanwhile must not miss
     * it) before its LoggedIn is written, and the client hears LoggedIn first.
     */
    synchronized void holdPushes() {
        heldPushes = new java.util.ArrayList<>();
    }

    /** Writes the pushes held since {@link #holdPushes()}, in order, then writes pushes as they come again. */
    synchronized void releasePushes() {
        java.util.List<Object> held = heldPushes;
        heldPushes = null;
        if (held != null) {
            held.forEach(f -> write(f, isShared(f)));
        }
    }

    private WriteFuture pushed(Object frame) {
        synchronized (this) {
            if (heldPushes != null) {
                heldPushes.add(frame);
                return null;
            }
        }
        return write(frame, isShared(frame));
    }

    @Override
    public void push(EncodedFrame frame, long[] receivedNanos) {
        WriteFuture written = pushed(frame);
        if (written != null && stages.timing()) {
            long queued = System.nanoTime();
            written.addListener(f -> {
                if (((WriteFuture) f).isWritten()) {
                    long now = System.nanoTime();
                    for (long received : receivedNanos) {
                        if (received != 0) {
                            stages.stage(Stage.PUSH_WRITTEN, now - queued);
                            stages.stage(Stage.DECODED_PUSHED, now - received);
                        }
                    }
                }
            });
        }
    }

    /** As {@link #reply}, for the {@code Sent} of a message received at {@code receivedNanos}: times its writing. */
    void replySent(int requestId, Message message, long receivedNanos) {
        WriteFuture written = requestId == 0 ? null : write(new Frame(requestId, message), false);
        if (written != null) {
            long queued = System.nanoTime();
            written.addListener(f -> {
                if (((WriteFuture) f).isWritten()) {
                    long now = System.nanoTime();
                    stages.stage(Stage.SENT_WRITTEN, now - queued);
                    stages.stage(Stage.DECODED_SENT, now - receivedNanos);
                }
            });
        }
    }

    /**
     * Sends the answer to a request; a request sent with id 0 wants none, except that errors are always sent and
     * {@code Ping} is always answered (a keep-alive is the answer).
     */
    void reply(int requestId, Message message) {
        if (requestId != 0 || message instanceof Session.ErrorReply || message instanceof Session.Pong) {
            write(encoded(new Frame(requestId, message)), false);
        }
    }

    /**
     * The answer, encoded now so that one larger than a frame is known here, where the request's id is: it is
     * answered INTERNAL_ERROR instead (a server bug: every answer is meant to fit), and the connection stays. Left to
     * the frame encoder, it failed on the I/O thread, the client never heard, and the connection was closed.
     */
    private Object encoded(Frame frame) {
        try {
            return EncodedFrame.of(frame, maxFrameBytes);
        } catch (FrameTooLargeException e) {
            long now = System.nanoTime();
            long last = LAST_TOO_LARGE_LOG.get();
            if (now - last > 1_000_000_000L && LAST_TOO_LARGE_LOG.compareAndSet(last, now)) { // at most one a second
                LOG.atWarn().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("answer",
                        frame.message().getClass().getSimpleName()).addKeyValue("bytes", e.length())
                        .log("an answer was larger than a frame; answered INTERNAL_ERROR instead");
            }
            return new Frame(frame.requestId(), new Session.ErrorReply(ErrorCode.INTERNAL_ERROR, "the answer ("
                    + frame.message().getClass().getSimpleName() + ", " + e.length()
                    + " bytes) would be larger than a frame"));
        }
    }

    /**
     * Writes a {@link Frame} or an {@link EncodedFrame}; null when it was not written (closing). {@code shared}: an
     * {@link EncodedFrame} whose bytes are written to other connections too (a push).
     */
    private WriteFuture write(Object frame, boolean shared) {
        if (state == State.CLOSING || session.isClosing()) {
            return null;
        }
        // A receiver that does not read its socket must not hold the server's memory: close it. Its client
        // reconnects and resyncs from history, so nothing is lost.
        if (session.getScheduledWriteBytes() > maxOutboundBytes) {
            LOG.atWarn().addKeyValue("remote", session.getRemoteAddress()).addKeyValue("queued",
                    session.getScheduledWriteBytes()).log("closing a connection that does not read");
            state = State.CLOSING;
            session.closeNow();
            return null;
        }
        WriteFuture written;
        if (shared) {
            // Held and queued in one step: shared pushes are let go in the order MINA sends them, which must be the
            // order they were held in, also when several threads push to this connection at once.
            synchronized (this.shared) {
                holdShared((EncodedFrame) frame);
                written = session.write(frame);
            }
        } else {
            written = session.write(frame);
        }
        reportUnsent();
        return written;
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
        write(new Frame(requestId, new Session.ErrorReply(code, reason)), false);
        state = State.CLOSING;
        session.closeOnFlush();
    }

    IoSession session() {
        return session;
    }
}
