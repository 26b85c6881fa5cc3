package org.parley.protocol;

import java.nio.ByteBuffer;

import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.codec.WireWriter;

/**
 * A frame encoded once, to be written as it is to many connections (a message fanned out to a group's members):
 * the frame encoder passes its bytes through instead of encoding the same frame again for every connection. The
 * bytes never change after construction; each write gets its own read-only view of them.
 */
public final class EncodedFrame {

    private final byte[] bytes;

    private EncodedFrame(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Encodes {@code frame} (length, type, request id, body).
     *
     * @throws org.parley.protocol.codec.FrameTooLargeException if it is larger than {@code maxFrameBytes}
     */
    public static EncodedFrame of(Frame frame, int maxFrameBytes) {
        WireWriter w = new WireWriter(256);
        WireCodec.writeFrame(w, frame, maxFrameBytes);
        return new EncodedFrame(w.toByteArray());
    }

    /** The whole frame, length prefix included: a new read-only view for each call. */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** The frame's size on the wire, length prefix included. */
    public int size() {
        return bytes.length;
    }
}
