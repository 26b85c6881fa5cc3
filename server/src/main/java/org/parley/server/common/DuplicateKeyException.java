package org.parley.server.common;

/** A row with the same unique key already exists (for example a taken account name). */
public class DuplicateKeyException extends StorageException {

    private static final long serialVersionUID = 1L;

    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
