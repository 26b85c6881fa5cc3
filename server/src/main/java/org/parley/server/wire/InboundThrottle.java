package org.parley.server.wire;

import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.parley.protocol.Frame;
import org.parley.protocol.message.Transfers;

/**
 * Sits between the frame codec and the ordered executor (before {@link InlineRequests}), on the I/O thread: counts
 * the bytes of frames a connection has sent that its worker has not taken yet, and stops reading from that
 * connection while they are over a limit; it reads again once the worker has caught up, checked on this thread
 * when a reply has been written (or, failing replies, when the connection is idle). A client that pipelines a large
 * upload faster than chunks are stored therefore waits in TCP, instead of queueing the file in the server's memory
 * (the files feature bounds what it has taken but not yet stored).
 */
final class InboundThrottle extends IoFilterAdapter {

    /** The most a download chunk's answer carries (the files feature's chunk size). */
    private static final int MAX_CHUNK_ANSWER = 256 * 1024;

    /** The bytes a frame holds on to while it waits for the worker; exact enough for upload chunks. */
    static int weight(Object message) {
        if (message instanceof Frame f && f.message() instanceof Transfers.UploadChunk c) {
            return c.data().length + 64;
        }
        if (message instanceof Frame f && f.message() instanceof Transfers.FetchChunk c) {
            // What its answer will hold: so a client that pipelines downloads and does not read is stopped soon.
            return (int) Math.max(0, Math.min(c.length(), MAX_CHUNK_ANSWER)) + 64;
        }
        return 64;
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        MinaClientLink link = ConnectionHandler.link(session);
        if (link != null) {
            link.queued(message, weight(message));
        }
        next.messageReceived(session, message);
    }

    @Override
    public void messageSent(NextFilter next, IoSession session, WriteRequest request) {
        MinaClientLink link = ConnectionHandler.link(session);
        if (link != null) {
            link.maybeResumeReading();
        }
        next.messageSent(session, request);
    }

    @Override
    public void sessionIdle(NextFilter next, IoSession session, IdleStatus status) {
        MinaClientLink link = ConnectionHandler.link(session);
        if (link != null) {
            link.maybeResumeReading();
            link.closeIfBehind(System.currentTimeMillis());
        }
        next.sessionIdle(session, status);
    }
}
