package org.parley.protocol.mina;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;
import org.parley.protocol.BadFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.Protocol;
import org.parley.protocol.codec.MalformedFrameException;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;

/**
 * Splits the byte stream into frames and decodes them into {@link Frame}s, or {@link BadFrame}s when a frame is
 * well delimited but its type is unknown or its body does not parse. A length prefix out of range (the limit is
 * asked of {@link FrameLimits} for each frame) throws {@link BadFrameLengthException}: the handler answers with an
 * error and closes the connection.
 *
 * <p>A frame that arrives whole in one read is decoded where it lies. Of a frame that arrives in several reads,
 * only the bytes received so far are held, in pieces that grow with what arrived (the first 8 KiB, then as much
 * again as has arrived), so that a peer that announces a large frame and then sends little holds little. Once
 * half of the frame has arrived (the read at hand included), the rest goes into one array of the whole frame's size,
 * into which the pieces so far are copied (at most twice what arrived is held, as before), so that the frame needs
 * no joining at the end: of a large frame (a file chunk) only the first half or less is copied a second time, not
 * all of it. Each piece is first asked of {@link FrameLimits#reserve}; a refusal throws
 * {@link FrameBudgetException}.
 */
final class FrameDecoder implements ProtocolDecoder {

    static final AttributeKey PARTIAL = new AttributeKey(FrameDecoder.class, "partial");
    static final int FIRST_PIECE = 8 * 1024;

    private final FrameLimits limits;
    /** The versions this side speaks as a server (0 = this is a client's decoder). */
    private final int minVersion;
    private final int maxVersion;

    FrameDecoder(FrameLimits limits) {
        this(limits, 0, 0);
    }

    FrameDecoder(FrameLimits limits, int minVersion, int maxVersion) {
        this.limits = limits;
        this.minVersion = minVersion;
        this.maxVersion = maxVersion;
    }

    /**
     * A connection's frame in progress (or its length prefix, when that was split), kept with the session only
     * while there is one; touched only under the codec filter's lock on the session.
     */
    private static final class Partial {
        final byte[] prefix = new byte[Protocol.LENGTH_BYTES];
        int prefixHave;
        int length; // of the frame being received (after its prefix); 0 while reading a prefix
        final List<byte[]> pieces = new ArrayList<>();
        byte[] last; // the piece being filled
        int lastFill;
        int have; // bytes of the frame received, in pieces
        int reserved;
        boolean failed; // a bad length or a refusal: nothing more from this stream is decoded
    }

    @Override
    public void decode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        Partial p = (Partial) session.getAttribute(PARTIAL);
        if (p != null && p.failed) {
            in.position(in.limit()); // the connection is being closed: what follows is not read
            return;
        }
        try {
            while (in.hasRemaining()) {
                if (p == null || p.length == 0) {
                    int length;
                    if ((p == null || p.prefixHave == 0) && in.remaining() >= Protocol.LENGTH_BYTES) {
                        length = (in.get() & 0xff) << 24 | (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8
                                | in.get() & 0xff;
                    } else {
                        p = partial(session, p);
                        int n = Math.min(Protocol.LENGTH_BYTES - p.prefixHave, in.remaining());
                        in.get(p.prefix, p.prefixHave, n);
                        p.prefixHave += n;
                        if (p.prefixHave < Protocol.LENGTH_BYTES) {
                            return;
                        }
                        p.prefixHave = 0;
                        length = ByteBuffer.wrap(p.prefix).getInt();
                    }
                    int max = limits.maxFrameBytes(session);
                    if (length < Protocol.HEADER_BYTES || length > max) {
                        in.position(in.limit()); // discard: nothing after a bad length can be trusted
                        p = partial(session, p);
                        p.failed = true;
                        throw new BadFrameLengthException("frame length " + Integer.toUnsignedString(length)
                                + " outside [" + Protocol.HEADER_BYTES + ", " + max + "]");
                    }
                    if (in.remaining() >= length) { // the whole frame is here: decode it where it lies
                        ByteBuffer frame = in.buf().slice();
                        frame.limit(length);
                        in.position(in.position() + length);
                        out.write(decodeFrame(session, frame));
                        continue;
                    }
                    p = partial(session, p);
                    p.length = length;
                    limits.frameStarted(session, length);
                }
                receive(session, p, in);
                if (p.have == p.length) {
                    ByteBuffer frame = ByteBuffer.wrap(join(p));
                    end(session, p);
                    out.write(decodeFrame(session, frame));
                }
            }
        } finally {
            if (p != null && !p.failed && p.length == 0 && p.prefixHave == 0) {
                // Between frames: nothing is kept for the connection (an idle one holds no decoder state).
                session.removeAttribute(PARTIAL);
            }
        }
    }

    /** {@code p}, or a new frame in progress kept with the session when there is none. */
    private static Partial partial(IoSession session, Partial p) {
        if (p != null) {
            return p;
        }
        Partial fresh = new Partial();
        session.setAttribute(PARTIAL, fresh);
        return fresh;
    }

    /** Copies what {@code in} holds of the frame in progress into its pieces, adding pieces as needed. */
    private void receive(IoSession session, Partial p, IoBuffer in) throws FrameBudgetException {
        while (in.hasRemaining() && p.have < p.length) {
            if (p.last == null || p.lastFill == p.last.length) {
                // Every piece so far is full: they hold p.have bytes. Once half the frame has arrived (counting
                // what this read brought), one array for all of it holds at most twice what arrived.
                boolean whole = !p.pieces.isEmpty() && p.length <= 2L * ((long) p.have + in.remaining());
                int size = whole ? p.length : Math.min(p.length - p.have, Math.max(FIRST_PIECE, p.have));
                if (!limits.reserve(session, size)) {
                    in.position(in.limit());
                    end(session, p);
                    p.failed = true;
                    throw new FrameBudgetException("no memory left for the rest of a frame of " + p.length
                            + " bytes; try again later");
                }
                if (whole) {
                    byte[] all = new byte[p.length];
                    int at = 0;
                    for (byte[] piece : p.pieces) {
                        System.arraycopy(piece, 0, all, at, piece.length);
                        at += piece.length;
                    }
                    limits.release(session, p.reserved);
                    p.reserved = size;
                    p.pieces.clear();
                    p.pieces.add(all);
                    p.last = all;
                    p.lastFill = p.have;
                } else {
                    p.reserved += size;
                    p.last = new byte[size];
                    p.lastFill = 0;
                    p.pieces.add(p.last);
                }
            }
            int n = Math.min(p.last.length - p.lastFill, in.remaining());
            in.get(p.last, p.lastFill, n);
            p.lastFill += n;
            p.have += n;
        }
    }

    private static byte[] join(Partial p) {
        if (p.pieces.size() == 1) {
            return p.pieces.get(0);
        }
        byte[] all = new byte[p.length];
        int at = 0;
        for (byte[] piece : p.pieces) {
            System.arraycopy(piece, 0, all, at, piece.length);
            at += piece.length;
        }
        return all;
    }

    /** Forgets the frame in progress and gives its memory back. */
    private void end(IoSession session, Partial p) {
        if (p.length != 0) {
            limits.frameEnded(session);
        }
        if (p.reserved > 0) {
            limits.release(session, p.reserved);
        }
        p.pieces.clear();
        p.last = null;
        p.lastFill = 0;
        p.reserved = 0;
        p.have = 0;
        p.length = 0;
    }

    private Object decodeFrame(IoSession session, ByteBuffer frame) {
        int type = Short.toUnsignedInt(frame.getShort());
        int requestId = frame.getInt();
        ByteBuffer body = frame.slice();
        Class<? extends Message> cls = MessageTypes.classOf(type);
        if (cls == null) {
            return new BadFrame(requestId, type, ErrorCode.UNKNOWN_MESSAGE_TYPE,
                    "unknown message type 0x" + Integer.toHexString(type));
        }
        try {
            Message m = WireCodec.decodeBody(cls, body, WireVersion.of(session));
            handshake(session, m);
            return new Frame(requestId, m);
        } catch (MalformedFrameException | IllegalArgumentException e) {
            return new BadFrame(requestId, type, ErrorCode.MALFORMED_FRAME, cls.getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Sets the connection's version from the handshake as soon as it is decoded, before the frames behind it: a
     * server's from the client's first {@code Hello}, a client's from the server's {@code Welcome}.
     */
    private void handshake(IoSession session, Message m) {
        if (WireVersion.chosen(session)) {
            return;
        }
        if (maxVersion > 0 && m instanceof Session.Hello hello) {
            int version = Protocol.negotiate(hello.minVersion(), hello.maxVersion(), minVersion, maxVersion);
            if (version > 0) {
                WireVersion.set(session, version);
            }
        } else if (maxVersion == 0 && m instanceof Session.Welcome welcome && welcome.version() >= Protocol.MIN_VERSION
                && welcome.version() <= Protocol.MAX_VERSION) {
            WireVersion.set(session, welcome.version());
        }
    }

    @Override
    public void finishDecode(IoSession session, ProtocolDecoderOutput out) {
        // a frame cut short by the end of the stream is simply dropped
    }

    @Override
    public void dispose(IoSession session) {
        Partial p = (Partial) session.removeAttribute(PARTIAL);
        if (p != null) {
            synchronized (session) {
                end(session, p);
            }
        }
    }
}
