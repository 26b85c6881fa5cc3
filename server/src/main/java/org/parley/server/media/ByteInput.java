package org.parley.server.media;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A forward-only reader over an upload with its own buffer, for the container walkers. Every read that runs past
 * the end throws {@link EOFException}: a walker never sees a short read. Not thread-safe (one per walk).
 */
final class ByteInput {

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    /** Bytes of the stream before {@code buf[0]}. */
    private long base;

    ByteInput(InputStream in) {
        this.in = in;
    }

    long position() {
        return base + pos;
    }

    private boolean fill() throws IOException {
        base += lim;
        pos = 0;
        lim = 0;
        int n;
        do {
            n = in.read(buf);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        lim = n;
        return true;
    }

    /** The next byte, or -1 at the end. */
    int read() throws IOException {
        if (pos == lim && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    boolean atEnd() throws IOException {
        return pos == lim && !fill();
    }

    int u8() throws IOException {
        int b = read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    int u16be() throws IOException {
        return u8() << 8 | u8();
    }

    long u32be() throws IOException {
        return (long) u16be() << 16 | u16be();
    }

    long u32le() throws IOException {
        int b0 = u8();
        int b1 = u8();
        int b2 = u8();
        int b3 = u8();
        return (long) b3 << 24 | b2 << 16 | b1 << 8 | b0;
    }

    byte[] bytes(int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            if (pos == lim && !fill()) {
                throw new EOFException();
            }
            int k = Math.min(n - off, lim - pos);
            System.arraycopy(buf, pos, b, off, k);
            pos += k;
            off += k;
        }
        return b;
    }

    /** Copies the next {@code n} bytes to {@code out}, or skips them when {@code out} is null. */
    void copy(long n, OutputStream out) throws IOException {
        while (n > 0) {
            if (pos == lim && !fill()) {
                throw new EOFException();
            }
            int k = (int) Math.min(n, lim - pos);
            if (out != null) {
                out.write(buf, pos, k);
            }
            pos += k;
            n -= k;
        }
    }

    /**
     * Copies bytes up to the next 0xFF (to {@code out} unless null) and consumes that 0xFF: the fast path through
     * JPEG entropy-coded data. Throws {@link EOFException} when the data ends first.
     */
    void copyUntilFF(OutputStream out) throws IOException {
        while (true) {
            if (pos == lim && !fill()) {
                throw new EOFException();
            }
            int start = pos;
            while (pos < lim && buf[pos] != (byte) 0xFF) {
                pos++;
            }
            if (out != null && pos > start) {
                out.write(buf, start, pos - start);
            }
            if (pos < lim) {
                pos++;
                return;
            }
        }
    }
}
