package org.parley.server.wire;

import org.apache.mina.core.session.DefaultIoSessionDataStructureFactory;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.IoSessionAttributeMap;
import org.apache.mina.core.session.IoSessionDataStructureFactory;
import org.apache.mina.core.write.WriteRequestQueue;

/**
 * What each MINA session is made with: its attributes in a compact map ({@link SessionAttributes}) and its writes
 * in a gathering queue ({@link GatheringWriteQueue}, {@code write-gather-bytes}; MINA's own queue when 0).
 */
final class SessionStructures implements IoSessionDataStructureFactory {

    private final DefaultIoSessionDataStructureFactory plain = new DefaultIoSessionDataStructureFactory();
    private final int gatherBytes;

    SessionStructures(int gatherBytes) {
        this.gatherBytes = gatherBytes;
    }

    @Override
    public IoSessionAttributeMap getAttributeMap(IoSession session) {
        return new SessionAttributes();
    }

    @Override
    public WriteRequestQueue getWriteRequestQueue(IoSession session) throws Exception {
        if (gatherBytes <= 0) {
            return plain.getWriteRequestQueue(session);
        }
        return new GatheringWriteQueue(gatherBytes, n -> {
            MinaClientLink link = ConnectionHandler.link(session);
            if (link != null) {
                link.copied(n);
            }
        });
    }
}
