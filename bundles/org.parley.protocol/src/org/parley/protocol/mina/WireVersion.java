package org.parley.protocol.mina;

import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * The protocol version a connection speaks, kept on its MINA session: the frame encoder and decoder encode and
 * decode in it. Until the handshake has chosen one, a connection speaks version 1 ({@code Hello}, {@code Welcome}
 * and {@code ErrorReply} are the same in every version). The decoder sets it itself as it decodes the handshake
 * (see {@link ParleyCodecFactory}), before it decodes any frame that follows in the same read.
 */
public final class WireVersion {

    private static final AttributeKey KEY = new AttributeKey(WireVersion.class, "version");

    private WireVersion() {
    }

    /** The session's protocol version; 1 until the handshake chose one. */
    public static int of(IoSession session) {
        Object v = session.getAttribute(KEY);
        return v == null ? 1 : (Integer) v;
    }

    /** Whether the handshake has chosen the session's version yet. */
    public static boolean chosen(IoSession session) {
        return session.getAttribute(KEY) != null;
    }

    public static void set(IoSession session, int version) {
        session.setAttribute(KEY, version);
    }
}
