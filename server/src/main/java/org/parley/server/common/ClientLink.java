package org.parley.server.common;

import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.message.Message;

/** One live, logged-in connection of an account, as the feature services see it (the wire layer implements it). */
public interface ClientLink {

    /** Unique per connection for the life of the server process. */
    long id();

    long accountId();

    /** The device name the client gave at login ("" if none). */
    String device();

    /** Queues a push (request id 0). Never blocks; a connection whose outbound queue is full is closed instead. */
    void push(Message message);

    /** Queues a push encoded once for many connections (see {@link EncodedFrame}); otherwise as above. */
    void push(EncodedFrame frame);

    /**
     * As {@link #push(EncodedFrame)}, for a frame that carries new messages whose requests the server received at
     * {@code receivedNanos} ({@link System#nanoTime}, one per message): the connection times their delivery when
     * the stages are timed ({@code MessageStages}).
     */
    default void push(EncodedFrame frame, long[] receivedNanos) {
        push(frame);
    }

    /**
     * When the request being handled on this connection was received ({@link System#nanoTime} when its frame was
     * decoded); 0 when not recorded (the stages are not timed). Read on the worker handling that request.
     */
    default long requestReceivedNanos() {
        return 0;
    }

    /** The protocol version the connection speaks (what it can decode: version 1 has no reactions, for one). */
    default int protocolVersion() {
        return org.parley.protocol.Protocol.MAX_VERSION;
    }

    /**
     * The most bytes a page (history, search hits, a list) answered now on this connection may hold, given the
     * frame size: pages are cut to fit, and say there is more. The whole frame normally; less while the server holds
     * too many unsent answers ({@code max-outbound-total-bytes}), so that each connection it still answers then
     * adds little.
     */
    default int pageBytes(int maxFrameBytes) {
        return maxFrameBytes;
    }

    /** Sends an error (request id 0) and closes the connection. */
    void close(ErrorCode code, String reason);
}
