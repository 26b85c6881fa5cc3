package org.parley.protocol.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.codec.WireWriter;

/**
 * Encodes {@link Frame}s. Stateless: one instance serves every session.
 *
 * <p>A frame larger than one TLS record is handed on in slices of at most {@link #SLICE} bytes (same bytes on the
 * wire). MINA's TLS filter encrypts a larger write only a few records at a time and queues every later write
 * unencrypted meanwhile, at most 64 of them: the next one fails the connection (BufferOverflowException), and the
 * queued ones are not counted in the session's scheduled write bytes, which the server's flow control relies on.
 * A slice of one record is always encrypted and passed on at once.
 */
final class FrameEncoder extends ProtocolEncoderAdapter {

    /**
     * What fits in one TLS record: 16 KiB in TLS 1.2, 16,367 bytes with the JDK's TLS 1.3 (the content type byte
     * and the tag come out of it); a little less, for other engines.
     */
    static final int SLICE = 16 * 1024 - 512;

    private static final ThreadLocal<WireWriter> WRITER = ThreadLocal.withInitial(() -> new WireWriter(4096));

    private final int maxFrameBytes;

    FrameEncoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        WireWriter w = WRITER.get();
        w.reset();
        WireCodec.writeFrame(w, (Frame) message, maxFrameBytes);
        IoBuffer buf = IoBuffer.allocate(w.position(), false);
        buf.put(w.array(), 0, w.position());
        buf.flip();
        if (buf.remaining() <= SLICE) {
            out.write(buf);
        } else {
            for (int at = 0; at < buf.limit(); at += SLICE) {
                out.write(buf.getSlice(at, Math.min(SLICE, buf.limit() - at)));
            }
        }
        if (w.array().length > 1 << 20) {
            WRITER.remove(); // do not keep a huge buffer per thread after one large frame
        }
    }
}
