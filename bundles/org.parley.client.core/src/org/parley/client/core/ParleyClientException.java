package org.parley.client.core;

import org.parley.protocol.ErrorCode;

/**
 * A request failed. {@link #code()} is the server's error code, or null when the failure is local (no connection,
 * timeout, certificate not trusted).
 */
public class ParleyClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ParleyClientException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ParleyClientException(String message, Throwable cause) {
        super(message, cause);
        this.code = null;
    }

    /** The server's error code, or null for a local failure. */
    public ErrorCode code() {
        return code;
    }
}
