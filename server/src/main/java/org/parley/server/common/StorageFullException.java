package org.parley.server.common;

/** The disk is full: nothing of the failed operation was stored; earlier data is intact. */
public class StorageFullException extends StorageException {

    private static final long serialVersionUID = 1L;

    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
