package org.parley.server.media;

import java.io.IOException;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An image stream that fails every read after a deadline. Decoders read their input as they go (libjpeg a few KiB
 * at a time, between the scans of a progressive JPEG), so a picture that costs too much work is stopped on its next
 * read rather than running for minutes. Does not close the stream it reads.
 */
final class DeadlineInputStream extends ImageInputStreamImpl {

    /** The message of the exception a read throws once the deadline has passed. */
    static final String EXPIRED = "decode deadline passed";

    private final ImageInputStream in;
    private final long deadlineNanos;

    DeadlineInputStream(ImageInputStream in, long timeoutMillis) {
        this.in = in;
        this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    private void check() throws IIOException {
        if (System.nanoTime() - deadlineNanos > 0 || Thread.currentThread().isInterrupted()) {
            throw new IIOException(EXPIRED);
        }
    }

    @Override
    public int read() throws IOException {
        check();
        bitOffset = 0;
        int b = in.read();
        if (b >= 0) {
            streamPos++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        bitOffset = 0;
        int n = in.read(b, off, len);
        if (n > 0) {
            streamPos += n;
        }
        return n;
    }

    @Override
    public void seek(long pos) throws IOException {
        check();
        super.seek(pos);
        in.seek(pos);
    }

    @Override
    public void flushBefore(long pos) throws IOException {
        super.flushBefore(pos);
        in.flushBefore(pos);
    }

    @Override
    public long length() {
        try {
            return in.length();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public boolean isCached() {
        return in.isCached();
    }

    @Override
    public boolean isCachedMemory() {
        return in.isCachedMemory();
    }

    @Override
    public boolean isCachedFile() {
        return in.isCachedFile();
    }
}
