package org.parley.server.common;

import org.parley.protocol.ErrorCode;

/** A request failed for a reason the client is told about: it becomes an ErrorReply with {@link #code()}. */
public class ParleyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ParleyException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ParleyException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
