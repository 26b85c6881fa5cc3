package org.parley.protocol.mina;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;

/**
 * Creates the frame codec for a MINA filter chain. What the peer may send is bounded by {@link FrameLimits} (a
 * larger length prefix is a {@link BadFrameLengthException}); {@code maxOutboundFrameBytes} bounds what this side
 * writes.
 */
public final class ParleyCodecFactory implements ProtocolCodecFactory {

    private final FrameEncoder encoder;
    private final FrameDecoder decoder;

    public ParleyCodecFactory(int maxInboundFrameBytes, int maxOutboundFrameBytes) {
        this(FrameLimits.fixed(maxInboundFrameBytes), maxOutboundFrameBytes);
    }

    public ParleyCodecFactory(FrameLimits inbound, int maxOutboundFrameBytes) {
        encoder = new FrameEncoder(maxOutboundFrameBytes);
        decoder = new FrameDecoder(inbound);
    }

    @Override
    public ProtocolEncoder getEncoder(IoSession session) {
        return encoder;
    }

    @Override
    public ProtocolDecoder getDecoder(IoSession session) {
        return decoder;
    }
}
