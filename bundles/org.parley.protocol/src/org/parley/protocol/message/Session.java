package org.parley.protocol.message;

import org.parley.protocol.ErrorCode;

/** Connection-level messages: handshake, generic replies and keep-alive. */
public final class Session {

    /** Client → server, first frame: the range of protocol versions the client speaks. */
    public record Hello(int minVersion, int maxVersion, String client) implements Message {
    }

    /** Server → client, answer to Hello: the chosen version and the server's limits. */
    public record Welcome(int version, String server, int maxFrameBytes, int maxMessageBytes, long serverTime)
            implements Message {
    }

    /** Answer to a request that failed, or (request id 0) an error not tied to a request. */
    public record ErrorReply(ErrorCode code, String message) implements Message {
    }

    /** Answer to a request that succeeded and has nothing else to say. */
    public record Ok() implements Message {
    }

    /** Keep-alive probe; either side may send it, the other answers with {@link Pong}. */
    public record Ping(long nonce) implements Message {
    }

    /** Answer to {@link Ping}, echoing its nonce. */
    public record Pong(long nonce) implements Message {
    }

    private Session() {
    }
}
