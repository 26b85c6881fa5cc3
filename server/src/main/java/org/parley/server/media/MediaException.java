package org.parley.server.media;

/** A file that claims or turns out to be a picture but cannot be shared safely. The message is for the sender. */
public final class MediaException extends Exception {

    private static final long serialVersionUID = 1L;

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
