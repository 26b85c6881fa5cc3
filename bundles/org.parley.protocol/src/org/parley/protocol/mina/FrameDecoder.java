package org.parley.protocol.mina;

import java.nio.ByteBuffer;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.parley.protocol.BadFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.Protocol;
import org.parley.protocol.codec.MalformedFrameException;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Message;

/**
 * Splits the byte stream into frames and decodes them into {@link Frame}s, or {@link BadFrame}s when a frame is
 * well delimited but its type is unknown or its body does not parse. A length prefix out of range throws
 * {@link BadFrameLengthException}: the handler answers with an error and closes the connection. Never buffers
 * more than one maximum-size frame per connection.
 */
final class FrameDecoder extends CumulativeProtocolDecoder {

    private final int maxFrameBytes;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        if (in.remaining() < Protocol.LENGTH_BYTES) {
            return false;
        }
        int start = in.position();
        int length = in.getInt(start);
        if (length < Protocol.HEADER_BYTES || length > maxFrameBytes) {
            in.position(in.limit()); // discard: nothing after a bad length can be trusted
            throw new BadFrameLengthException("frame length " + Integer.toUnsignedString(length)
                    + " outside [" + Protocol.HEADER_BYTES + ", " + maxFrameBytes + "]");
        }
        if (in.remaining() < Protocol.LENGTH_BYTES + length) {
            return false;
        }
        in.position(start + Protocol.LENGTH_BYTES);
        int type = in.getUnsignedShort();
        int requestId = in.getInt();
        int bodyLength = length - Protocol.HEADER_BYTES;
        ByteBuffer body = in.buf().slice();
        body.limit(bodyLength);
        in.position(in.position() + bodyLength);

        Class<? extends Message> cls = MessageTypes.classOf(type);
        if (cls == null) {
            out.write(new BadFrame(requestId, type, ErrorCode.UNKNOWN_MESSAGE_TYPE,
                    "unknown message type 0x" + Integer.toHexString(type)));
            return true;
        }
        try {
            out.write(new Frame(requestId, WireCodec.decodeBody(cls, body)));
        } catch (MalformedFrameException | IllegalArgumentException e) {
            out.write(new BadFrame(requestId, type, ErrorCode.MALFORMED_FRAME,
                    cls.getSimpleName() + ": " + e.getMessage()));
        }
        return true;
    }
}
