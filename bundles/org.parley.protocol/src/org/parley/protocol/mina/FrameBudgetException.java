package org.parley.protocol.mina;

import org.apache.mina.filter.codec.ProtocolDecoderException;

/** There is no memory left for the rest of a frame the peer is sending (see {@link FrameLimits#reserve}). */
public class FrameBudgetException extends ProtocolDecoderException {

    private static final long serialVersionUID = 1L;

    public FrameBudgetException(String message) {
        super(message);
    }

    /** No hex dump of the received bytes in the message: it says what matters, and a dump would only fill logs. */
    @Override
    public void setHexdump(String hexdump) {
        // deliberately ignored
    }
}
