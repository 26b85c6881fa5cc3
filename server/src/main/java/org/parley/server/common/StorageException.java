package org.parley.server.common;

/** Storage failed; the operation's transaction was rolled back and earlier data is intact. */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
