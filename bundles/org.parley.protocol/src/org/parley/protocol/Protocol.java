package org.parley.protocol;

/**
 * Constants of the framing layer. A frame on the wire is:
 *
 * <pre>
 *   uint32 length      bytes that follow this field (header + body), 6 .. maxFrameSize
 *   uint16 type        message type code, see {@link MessageTypes}
 *   uint32 requestId   chosen by the client for a request and echoed in its response;
 *                      0 for server pushes and for client messages that want no response
 *   body               the message's fields, see {@link org.parley.protocol.codec.WireCodec}
 * </pre>
 */
public final class Protocol {

    /** The lowest protocol version this code speaks. */
    public static final int MIN_VERSION = 1;
    /**
     * The highest protocol version this code speaks. Version 2 gives every nested record a length of its own (see
     * {@link org.parley.protocol.codec.WireCodec}) and adds group roles to {@code Conversations.Member}.
     */
    public static final int MAX_VERSION = 2;

    /** Size of the length prefix. */
    public static final int LENGTH_BYTES = 4;
    /** Size of the type and request id that follow the length. */
    public static final int HEADER_BYTES = 2 + 4;

    /** Frames up to this size are always accepted; the server may announce a larger limit in Welcome. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
    /** No implementation may ever accept a larger frame, whatever it is configured to. */
    public static final int ABSOLUTE_MAX_FRAME_BYTES = 16 << 20;

    /** Default TCP port of a Parley server (TLS or plaintext, as the server is configured). */
    public static final int DEFAULT_PORT = 7443;

    /**
     * The version a connection speaks: the highest one in both ranges, or 0 when they do not meet (the server then
     * answers {@code UNSUPPORTED_VERSION}).
     */
    public static int negotiate(int clientMin, int clientMax, int serverMin, int serverMax) {
        int version = Math.min(clientMax, serverMax);
        return version >= Math.max(clientMin, serverMin) ? version : 0;
    }

    private Protocol() {
    }
}
