package org.parley.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.codec.WireWriter;

/**
 * A frame encoded once per protocol version, to be written as it is to many connections (a message fanned out to a
 * group's members): the frame encoder passes its bytes for the connection's version through instead of encoding
 * the same frame again for every connection. It is encoded in the newest version at once (whose encoding is never
 * smaller than an older one's, so that the size check covers them all), in an older one when a connection of that
 * version first needs it. The bytes never change once made; each write gets its own read-only view of them.
 * {@link #concat} joins several such frames into one, written to a connection at once (one write instead of one per
 * frame).
 */
public final class EncodedFrame {

    private final List<Frame> frames;
    private final int maxFrameBytes;
    /** By version (index 0 unused). */
    private final AtomicReferenceArray<byte[]> bytes = new AtomicReferenceArray<>(Protocol.MAX_VERSION + 1);

    private EncodedFrame(List<Frame> frames, int maxFrameBytes) {
        this.frames = frames;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Encodes {@code frame} (length, type, request id, body).
     *
     * @throws org.parley.protocol.codec.FrameTooLargeException if it is larger than {@code maxFrameBytes}
     */
    public static EncodedFrame of(Frame frame, int maxFrameBytes) {
        EncodedFrame e = new EncodedFrame(List.of(frame), maxFrameBytes);
        e.encoded(Protocol.MAX_VERSION);
        return e;
    }

    /** Several encoded frames back to back, in order: the receiver reads them as the separate frames they are. */
    public static EncodedFrame concat(List<EncodedFrame> frames) {
        int max = 0;
        List<Frame> all = new java.util.ArrayList<>();
        for (EncodedFrame f : frames) {
            all.addAll(f.frames);
            max = Math.max(max, f.maxFrameBytes);
        }
        EncodedFrame joined = new EncodedFrame(List.copyOf(all), max);
        for (int v = Protocol.MIN_VERSION; v <= Protocol.MAX_VERSION; v++) {
            if (allEncoded(frames, v)) {
                joined.bytes.set(v, join(frames, v));
            }
        }
        return joined;
    }

    private static boolean allEncoded(List<EncodedFrame> frames, int version) {
        for (EncodedFrame f : frames) {
            if (f.bytes.get(version) == null) {
                return false;
            }
        }
        return true;
    }

    private static byte[] join(List<EncodedFrame> frames, int version) {
        int size = 0;
        for (EncodedFrame f : frames) {
            size += f.bytes.get(version).length;
        }
        byte[] joined = new byte[size];
        int at = 0;
        for (EncodedFrame f : frames) {
            byte[] b = f.bytes.get(version);
            System.arraycopy(b, 0, joined, at, b.length);
            at += b.length;
        }
        return joined;
    }

    private byte[] encoded(int version) {
        byte[] b = bytes.get(version);
        if (b == null) {
            WireWriter w = new WireWriter(256);
            for (Frame f : frames) {
                WireCodec.writeFrame(w, f, maxFrameBytes, version);
            }
            b = w.detach(); // a file chunk's frame is not copied once more
            if (!bytes.compareAndSet(version, null, b)) {
                b = bytes.get(version); // encoded meanwhile by another thread: the same bytes
            }
        }
        return b;
    }

    /** The whole frame (or frames) in protocol {@code version}, length prefixes included: a new read-only view. */
    public ByteBuffer bytes(int version) {
        return ByteBuffer.wrap(encoded(version)).asReadOnlyBuffer();
    }

    /** The size on the wire in protocol {@code version}, length prefixes included. */
    public int size(int version) {
        return encoded(version).length;
    }
}
