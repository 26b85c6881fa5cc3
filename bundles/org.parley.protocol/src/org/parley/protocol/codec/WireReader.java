package org.parley.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads big-endian primitives from a buffer holding exactly one frame body. Every read is bounds-checked: a
 * peer can make it throw {@link MalformedFrameException}, never allocate more than the frame it sent.
 */
public final class WireReader {

    private final ByteBuffer in;

    public WireReader(ByteBuffer in) {
        this.in = in;
    }

    public int remaining() {
        return in.remaining();
    }

    private void need(int n, String what) {
        if (in.remaining() < n) {
            throw new MalformedFrameException("truncated " + what + ": need " + n + " bytes, " + in.remaining()
                    + " left");
        }
    }

    public int readUnsignedByte() {
        need(1, "byte");
        return in.get() & 0xFF;
    }

    public int readUnsignedShort() {
        need(2, "short");
        return in.getShort() & 0xFFFF;
    }

    public int readInt() {
        need(4, "int");
        return in.getInt();
    }

    public long readLong() {
        need(8, "long");
        return in.getLong();
    }

    public boolean readBoolean() {
        int b = readUnsignedByte();
        if (b > 1) {
            throw new MalformedFrameException("boolean must be 0 or 1, was " + b);
        }
        return b == 1;
    }

    public int readVarInt() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    break;
                }
                return value;
            }
        }
        throw new MalformedFrameException("length does not fit in 31 bits");
    }

    /** A count of items that follow; each item takes at least one byte, so a count over the bytes left is a lie. */
    public int readCount() {
        int n = readVarInt();
        if (n > in.remaining()) {
            throw new MalformedFrameException("count " + n + " exceeds the " + in.remaining() + " bytes left");
        }
        return n;
    }

    /**
     * A reader of the next {@code n} bytes only (a length-prefixed nested record); this reader moves past them, so
     * whatever of them the sub-reader leaves unread is skipped.
     */
    public WireReader slice(int n) {
        need(n, "record");
        WireReader sub = new WireReader(in.slice(in.position(), n));
        in.position(in.position() + n);
        return sub;
    }

    public byte[] readBytes() {
        int n = readVarInt();
        need(n, "bytes");
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** Malformed UTF-8 is replaced with U+FFFD rather than rejected. */
    public String readString() {
        int n = readVarInt();
        need(n, "string");
        if (n == 0) {
            return "";
        }
        String s;
        if (in.hasArray()) {
            s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
            in.position(in.position() + n);
        } else {
            byte[] b = new byte[n];
            in.get(b);
            s = new String(b, StandardCharsets.UTF_8);
        }
        return s;
    }
}
