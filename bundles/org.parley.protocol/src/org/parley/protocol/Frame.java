package org.parley.protocol;

import org.parley.protocol.message.Message;

/**
 * One decoded frame: a message and the request id it belongs to (0 for pushes and for requests that want no
 * answer).
 */
public record Frame(int requestId, Message message) {

    /** A push or a fire-and-forget request. */
    public static Frame push(Message message) {
        return new Frame(0, message);
    }
}
