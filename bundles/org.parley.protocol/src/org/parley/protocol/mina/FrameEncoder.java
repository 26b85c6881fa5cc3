package org.parley.protocol.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;
import org.parley.protocol.EncodedFrame;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.codec.WireWriter;

/**
 * Encodes {@link Frame}s in the session's {@link WireVersion}, and passes {@link EncodedFrame}s (encoded once for
 * many sessions, in each version in use) through as they are, in the session's version.
 * Stateless: one instance serves every session.
 */
final class FrameEncoder extends ProtocolEncoderAdapter {

    private static final ThreadLocal<WireWriter> WRITER = ThreadLocal.withInitial(() -> new WireWriter(4096));

    private final int maxFrameBytes;

    FrameEncoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        if (message instanceof EncodedFrame e) {
            out.write(IoBuffer.wrap(e.bytes(WireVersion.of(session))));
            return;
        }
        WireWriter w = WRITER.get();
        w.reset();
        WireCodec.writeFrame(w, (Frame) message, maxFrameBytes, WireVersion.of(session));
        IoBuffer buf = IoBuffer.allocate(w.position(), false);
        buf.put(w.array(), 0, w.position());
        buf.flip();
        out.write(buf);
        if (w.array().length > 1 << 20) {
            WRITER.remove(); // do not keep a huge buffer per thread after one large frame
        }
    }
}
