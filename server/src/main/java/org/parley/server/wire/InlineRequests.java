package org.parley.server.wire;

import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;

/**
 * Sits just before the workers' executor, on the I/O thread: a frame whose request needs no blocking work (a
 * {@code Send} whose checks are all in memory) is handled here when nothing of its connection is with the workers
 * ({@link ConnectionHandler#handledInline}); everything else goes on to the workers, counted, so that a frame
 * handled here never overtakes one sent before it. Frames that come back to the chain from elsewhere (resumed after
 * being held back, a login's outcome) enter it here too, and are counted alike.
 */
final class InlineRequests extends IoFilterAdapter {

    private final ConnectionHandler handler;

    InlineRequests(ConnectionHandler handler) {
        this.handler = handler;
    }

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) {
        MinaClientLink link = ConnectionHandler.link(session);
        if (link != null) {
            if (handler.handledInline(link, message)) {
                return;
            }
            link.toWorkers();
        }
        next.messageReceived(session, message);
    }
}
