package org.parley.protocol.mina;

import org.apache.mina.core.session.IoSession;

/**
 * What the frame decoder asks its host about each connection: the largest frame it may send now (a server allows
 * only small frames before login), and memory for the frames it has only partly sent. Called on the session's I/O
 * thread, under the decoder's lock.
 */
public interface FrameLimits {

    /** The largest frame (length prefix value) {@code session} may send now. */
    int maxFrameBytes(IoSession session);

    /**
     * Asks for {@code bytes} more buffer for a frame of {@code session} that is not complete yet. When refused the
     * decoder throws {@link FrameBudgetException} and the connection should be closed.
     */
    boolean reserve(IoSession session, int bytes);

    /** Gives back buffer obtained with {@link #reserve} (the frame completed, or the connection closed). */
    void release(IoSession session, int bytes);

    /** The first bytes of a frame of {@code length} arrived, and the rest did not yet. */
    default void frameStarted(IoSession session, int length) {
    }

    /** The frame announced by {@link #frameStarted} is complete, or the connection closed before it was. */
    default void frameEnded(IoSession session) {
    }

    /** One limit for every frame, and no memory budget (a client's view of its server). */
    static FrameLimits fixed(int maxFrameBytes) {
        return new FrameLimits() {
            @Override
            public int maxFrameBytes(IoSession session) {
                return maxFrameBytes;
            }

            @Override
            public boolean reserve(IoSession session, int bytes) {
                return true;
            }

            @Override
            public void release(IoSession session, int bytes) {
            }
        };
    }
}
