package org.parley.protocol.mina;

import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.parley.protocol.Protocol;

/**
 * Creates the frame codec for a MINA filter chain. What the peer may send is bounded by {@link FrameLimits} (a
 * larger length prefix is a {@link BadFrameLengthException}); {@code maxOutboundFrameBytes} bounds what this side
 * writes.
 *
 * <p>Frames are encoded and decoded in the connection's {@link WireVersion}, which the decoder sets from the
 * handshake: on the server's side ({@link #forServer}) when it decodes the client's {@code Hello} (the highest
 * version both speak, as the server's {@code Welcome} will say), on the client's side when it decodes the server's
 * {@code Welcome}. So frames that follow the handshake in the same read are decoded in the version chosen.
 */
public final class ParleyCodecFactory implements ProtocolCodecFactory {

    private final FrameEncoder encoder;
    private final FrameDecoder decoder;

    /** The client's side: the version is the one the server's {@code Welcome} says. */
    public ParleyCodecFactory(int maxInboundFrameBytes, int maxOutboundFrameBytes) {
        this(FrameLimits.fixed(maxInboundFrameBytes), maxOutboundFrameBytes);
    }

    /** The client's side: the version is the one the server's {@code Welcome} says. */
    public ParleyCodecFactory(FrameLimits inbound, int maxOutboundFrameBytes) {
        this(inbound, maxOutboundFrameBytes, 0, 0);
    }

    private ParleyCodecFactory(FrameLimits inbound, int maxOutboundFrameBytes, int minVersion, int maxVersion) {
        encoder = new FrameEncoder(maxOutboundFrameBytes);
        decoder = new FrameDecoder(inbound, minVersion, maxVersion);
    }

    /**
     * The server's side, speaking versions {@code minVersion} to {@code maxVersion}: a client's {@code Hello}
     * chooses the connection's version.
     */
    public static ParleyCodecFactory forServer(FrameLimits inbound, int maxOutboundFrameBytes, int minVersion,
            int maxVersion) {
        if (minVersion < Protocol.MIN_VERSION || maxVersion > Protocol.MAX_VERSION || minVersion > maxVersion) {
            throw new IllegalArgumentException("versions " + minVersion + " to " + maxVersion + " are not spoken");
        }
        return new ParleyCodecFactory(inbound, maxOutboundFrameBytes, minVersion, maxVersion);
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
