package org.parley.server.admin.cli;

import java.util.Set;

import org.parley.protocol.ErrorCode;

/** The exit codes of {@code parley-server admin} (docs/operations.md lists them), for scripts to act on. */
public enum Exit {
    /** The command did what it says. */
    OK(0, "done"),
    /** The server failed the request (an internal error, unavailable, shutting down) or something unexpected. */
    FAILED(1, "the server failed the request, or another failure"),
    /** The command line is wrong, or a password or file it names cannot be read. */
    USAGE(2, "bad command line, or a password or file that cannot be read"),
    /** The server cannot be reached, its certificate is not trusted, or the connection broke. */
    CONNECTION(3, "cannot connect: refused, unreachable, timed out, certificate not trusted, connection lost"),
    /** Signing in failed: wrong user name or password, a disabled account, logins locked for a while. */
    AUTHENTICATION(4, "sign-in failed: wrong user or password, account disabled, logins locked"),
    /** Signed in, but the account is not an administrator. */
    FORBIDDEN(5, "the account is not an administrator"),
    /** The user, group or invitation named does not exist. */
    NOT_FOUND(6, "no such user, group or invitation"),
    /** The server refused the change: it conflicts with the current state or an argument is invalid. */
    REFUSED(7, "refused: invalid argument or conflict (user exists, weak password, already revoked ...)");

    private static final Set<ErrorCode> AUTHENTICATION_CODES = Set.of(ErrorCode.AUTHENTICATION_FAILED,
            ErrorCode.ACCOUNT_DISABLED, ErrorCode.LOGIN_LOCKED, ErrorCode.INVALID_TOKEN,
            ErrorCode.NOT_AUTHENTICATED);
    private static final Set<ErrorCode> NOT_FOUND_CODES = Set.of(ErrorCode.UNKNOWN_USER,
            ErrorCode.UNKNOWN_CONVERSATION, ErrorCode.UNKNOWN_FILE);
    private static final Set<ErrorCode> REFUSED_CODES = Set.of(ErrorCode.CONFLICT, ErrorCode.INVALID_ARGUMENT,
            ErrorCode.USER_EXISTS, ErrorCode.TOO_LARGE);

    private final int code;
    private final String meaning;

    Exit(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The exit code for a server's error answer. */
    public static Exit of(ErrorCode error) {
        if (AUTHENTICATION_CODES.contains(error)) {
            return AUTHENTICATION;
        }
        if (error == ErrorCode.FORBIDDEN) {
            return FORBIDDEN;
        }
        if (NOT_FOUND_CODES.contains(error)) {
            return NOT_FOUND;
        }
        if (REFUSED_CODES.contains(error)) {
            return REFUSED;
        }
        return FAILED;
    }
}
