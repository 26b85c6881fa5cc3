package org.parley.protocol.codec;

/** Thrown when encoding a frame larger than the negotiated maximum; nothing is written to the connection. */
public class FrameTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int length;
    private final int max;

    public FrameTooLargeException(int length, int max) {
        super("frame of " + length + " bytes exceeds the maximum of " + max);
        this.length = length;
        this.max = max;
    }

    public int length() {
        return length;
    }

    public int max() {
        return max;
    }
}
