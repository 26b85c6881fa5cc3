package org.parley.protocol;

import java.nio.ByteBuffer;
import java.util.List;

import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.codec.WireWriter;

/**
 * A frame encoded once, to be written as it is to many connections (a message fanned out to a group's members):
 * the frame encoder passes its bytes through instead of encoding the same frame again for every connection. The
 * bytes never change after construction; each write gets its own read-only view of them. {@link #concat} joins
 * several such frames into one, written to a connection at once (one write instead of one per frame).
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

    /** Several encoded frames back to back, in order: the receiver reads them as the separate frames they are. */
    public static EncodedFrame concat(List<EncodedFrame> frames) {
        int size = 0;
        for (EncodedFrame f : frames) {
            size += f.bytes.length;
        }
        byte[] joined = new byte[size];
        int at = 0;
        for (EncodedFrame f : frames) {
            System.arraycopy(f.bytes, 0, joined, at, f.bytes.length);
            at += f.bytes.length;
        }
        return new EncodedFrame(joined);
    }

    /** The whole frame (or frames), length prefix included: a new read-only view for each call. */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** The size on the wire, length prefixes included. */
    public int size() {
        return bytes.length;
    }
}
