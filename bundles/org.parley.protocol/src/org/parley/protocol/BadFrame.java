package org.parley.protocol;

/**
 * A frame whose length prefix was sound but whose type is unknown or whose body could not be parsed. The
 * decoder hands it to the application instead of failing, so that the peer gets an error for that request and
 * the connection goes on.
 */
public record BadFrame(int requestId, int type, ErrorCode code, String reason) {
}
