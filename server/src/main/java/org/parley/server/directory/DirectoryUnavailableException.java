package org.parley.server.directory;

/** The directory could not be asked: down, too slow, or it refused the service account. The message is for logs. */
public final class DirectoryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DirectoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
