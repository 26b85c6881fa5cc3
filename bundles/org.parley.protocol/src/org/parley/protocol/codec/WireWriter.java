package org.parley.protocol.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends big-endian primitives to a growable byte array. Not thread-safe; reuse one per thread or call. */
public final class WireWriter {

    private byte[] buf;
    private int pos;

    public WireWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    public void writeByte(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    public void writeShort(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    public void writeInt(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    public void writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    /** Unsigned LEB128: 7 bits a byte, low bits first; used for lengths and counts. */
    public void writeVarInt(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative length " + v);
        }
        while ((v & ~0x7F) != 0) {
            writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        writeByte(v);
    }

    public void writeBytes(byte[] b) {
        byte[] bytes = b == null ? new byte[0] : b;
        writeVarInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** A string as its UTF-8 length (varint) and bytes; null is written as the empty string. */
    public void writeString(String s) {
        writeBytes(s == null || s.isEmpty() ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Inserts {@code v} as a varint at {@code at}, moving what was written from there on up (used to put a length
     * in front of a nested record once its size is known).
     */
    public void insertVarInt(int at, int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative length " + v);
        }
        int size = 1;
        for (int rest = v >>> 7; rest != 0; rest >>>= 7) {
            size++;
        }
        ensure(size);
        System.arraycopy(buf, at, buf, at + size, pos - at);
        int value = v;
        for (int i = 0; i < size; i++) {
            buf[at + i] = (byte) (i == size - 1 ? value : (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        pos += size;
    }

    /** Overwrites 4 bytes at {@code at} (used to patch a length prefix). */
    public void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    public int position() {
        return pos;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /**
     * The bytes written, in an array no one else has: the writer's own when it is exactly full (as after a large
     * byte field written last: a file chunk), which spares copying it once more, and the writer starts over
     * with a new one; otherwise a copy, as {@link #toByteArray}.
     */
    public byte[] detach() {
        if (pos != buf.length) {
            return toByteArray();
        }
        byte[] b = buf;
        buf = new byte[16];
        pos = 0;
        return b;
    }

    public void reset() {
        pos = 0;
    }
}
