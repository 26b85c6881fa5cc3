package org.parley.protocol;

import org.parley.protocol.codec.WireEnum;

/**
 * Error codes carried by {@link org.parley.protocol.message.Session.Error}. Codes are stable: new codes are
 * appended, existing ones never change meaning. {@link #fatal()} errors are followed by the server closing
 * the connection, because the byte stream can no longer be trusted or the session must end.
 */
public enum ErrorCode implements WireEnum {
    /** The frame's body could not be parsed (truncated, bad count ...). Framing is intact: the connection stays. */
    MALFORMED_FRAME(1, false),
    /** The frame's type code is not known to the receiver. The connection stays. */
    UNKNOWN_MESSAGE_TYPE(2, false),
    /** The length prefix is below the minimum or above the maximum frame size: the stream cannot be trusted. */
    BAD_FRAME_LENGTH(3, true),
    /** No protocol version in common; sent in answer to Hello. */
    UNSUPPORTED_VERSION(4, true),
    /** The first frame must be Hello. */
    HANDSHAKE_REQUIRED(5, true),
    /** The request needs a logged-in session. */
    NOT_AUTHENTICATED(6, false),
    /** Wrong user name or password. Deliberately does not say which. */
    AUTHENTICATION_FAILED(7, false),
    /** The session token is unknown, revoked or expired: log in with the password. */
    INVALID_TOKEN(8, false),
    /** The account has been disabled by an administrator. */
    ACCOUNT_DISABLED(9, true),
    /** Registration: the user name is taken. */
    USER_EXISTS(10, false),
    /** A user name that does not exist. */
    UNKNOWN_USER(11, false),
    /** A conversation id that does not exist. */
    UNKNOWN_CONVERSATION(12, false),
    /** The caller is not a member of the conversation. */
    NOT_A_MEMBER(13, false),
    /** The caller may not do this (for example, an admin-only request). */
    FORBIDDEN(14, false),
    /** A field is out of range or badly formed (empty name, bad user name ...). */
    INVALID_ARGUMENT(15, false),
    /** The message text or the file is larger than the server allows; the request was not executed. */
    TOO_LARGE(16, false),
    /** Too many requests on this connection; the request was dropped, retry later. */
    RATE_LIMITED(17, false),
    /** The server is shutting down or overloaded; reconnect later. */
    UNAVAILABLE(18, true),
    /** A server-side failure; the request may be retried. Nothing already stored is lost. */
    INTERNAL_ERROR(19, false),
    /** A request that conflicts with the current state (already a contact, request already pending ...). */
    CONFLICT(20, false),
    /**
     * A quota of the user would be exceeded (files, groups created, contact requests waiting for an answer); nothing
     * was stored.
     */
    QUOTA_EXCEEDED(21, false),
    /** The server has no room left to store the data (full disk); nothing was stored. */
    STORAGE_FULL(22, false),
    /** The file (or upload) id is unknown. */
    UNKNOWN_FILE(23, false),
    /** The uploaded bytes do not match the declared size or SHA-256; the upload was discarded, start again. */
    CHECKSUM_MISMATCH(24, false),
    /** A picture or video that cannot be shared safely (malformed, or too many pixels to decode); not stored. */
    INVALID_MEDIA(25, false),
    /**
     * Password logins are paused after too many failures: for this account from addresses it never signed in
     * from, or from this address. The message says for how many seconds; a device that signed in before (and a
     * session token) still works. Nothing was checked.
     */
    LOGIN_LOCKED(26, false);

    private final int code;
    private final boolean fatal;

    ErrorCode(int code, boolean fatal) {
        this.code = code;
        this.fatal = fatal;
    }

    @Override
    public int wireCode() {
        return code;
    }

    /** Whether the server closes the connection after sending this error. */
    public boolean fatal() {
        return fatal;
    }
}
