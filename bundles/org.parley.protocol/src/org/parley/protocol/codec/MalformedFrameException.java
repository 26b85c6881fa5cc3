package org.parley.protocol.codec;

/** A frame body that does not parse: truncated, a count larger than the bytes left, an unknown enum code. */
public class MalformedFrameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
