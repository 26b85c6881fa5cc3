package org.parley.server.admin.cli;

import org.parley.protocol.ErrorCode;

/**
 * Why a command did not do what it says: the exit code, the words for the user, and the server's error code when
 * the server refused (null otherwise).
 */
final class CliFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Exit exit;
    private final transient ErrorCode error;

    CliFailure(Exit exit, String message) {
        this(exit, null, message, null);
    }

    CliFailure(Exit exit, String message, Throwable cause) {
        this(exit, null, message, cause);
    }

    private CliFailure(Exit exit, ErrorCode error, String message, Throwable cause) {
        super(message, cause);
        this.exit = exit;
        this.error = error;
    }

    /** The server answered {@code code}: the exit code follows from it. */
    static CliFailure refused(ErrorCode code, String message) {
        return new CliFailure(Exit.of(code), code, message, null);
    }

    Exit exit() {
        return exit;
    }

    /** The server's error code, or null when the failure is not a server's answer. */
    ErrorCode error() {
        return error;
    }
}
