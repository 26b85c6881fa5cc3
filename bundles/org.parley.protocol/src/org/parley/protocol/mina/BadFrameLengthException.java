package org.parley.protocol.mina;

import org.apache.mina.filter.codec.ProtocolDecoderException;

/** The peer sent a length prefix outside the allowed range; the stream can no longer be trusted. */
public class BadFrameLengthException extends ProtocolDecoderException {

    private static final long serialVersionUID = 1L;

    public BadFrameLengthException(String message) {
        super(message);
    }

    /**
     * No hex dump of the received bytes (MINA's codec filter adds one to every decoder exception, up to the whole
     * read, into the message that is logged and sent back): the message says the length, which is what matters.
     */
    @Override
    public void setHexdump(String hexdump) {
        // deliberately ignored
    }
}
