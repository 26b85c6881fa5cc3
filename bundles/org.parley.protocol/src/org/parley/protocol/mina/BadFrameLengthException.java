package org.parley.protocol.mina;

import org.apache.mina.filter.codec.ProtocolDecoderException;

/** The peer sent a length prefix outside the allowed range; the stream can no longer be trusted. */
public class BadFrameLengthException extends ProtocolDecoderException {

    private static final long serialVersionUID = 1L;

    public BadFrameLengthException(String message) {
        super(message);
    }
}
