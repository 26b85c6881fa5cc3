package org.parley.server.wire;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.mina.core.session.IoSession;
import org.parley.protocol.mina.FrameLimits;
import org.parley.server.config.ConnectionLimits;

/**
 * The frame limits the server's decoder applies: small frames until a connection has logged in, and one
 * server-wide budget for the memory of frames received in part. A connection that has not logged in is refused
 * more than the budget has left (the decoder then fails, and the connection is closed): whoever asks when it is
 * used up is the newest claimant. Logged-in connections are never refused; their frames count against the
 * budget all the same, so a crowd of them leaves less for strangers.
 */
final class FrameBudget implements FrameLimits {

    private final int maxFrameBytes;
    private final ConnectionLimits limits;
    private final Deadlines deadlines;
    private final AtomicLong used = new AtomicLong();

    FrameBudget(int maxFrameBytes, ConnectionLimits limits, Deadlines deadlines) {
        this.maxFrameBytes = maxFrameBytes;
        this.limits = limits;
        this.deadlines = deadlines;
    }

    private static boolean loggedIn(IoSession session) {
        MinaClientLink link = ConnectionHandler.link(session);
        return link != null && link.tokenHash != null;
    }

    @Override
    public int maxFrameBytes(IoSession session) {
        return loggedIn(session) ? maxFrameBytes : limits.loginFrameBytes();
    }

    @Override
    public boolean reserve(IoSession session, int bytes) {
        long after = used.addAndGet(bytes);
        if (after > limits.partialFrameBudgetBytes() && !loggedIn(session)) {
            used.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    @Override
    public void release(IoSession session, int bytes) {
        used.addAndGet(-bytes);
    }

    @Override
    public void frameStarted(IoSession session, int length) {
        MinaClientLink link = ConnectionHandler.link(session);
        if (link != null) {
            link.frameStarted(length);
            deadlines.watch(link);
        }
    }

    @Override
    public void frameEnded(IoSession session) {
        MinaClientLink link = ConnectionHandler.link(session);
        if (link != null) {
            link.frameEnded();
        }
    }

    /** Bytes of partly received frames held now. */
    long used() {
        return used.get();
    }
}
