package org.parley.protocol.mina;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;

/**
 * Sits just above MINA's TLS filter and hands it encoded frames in slices that each fit one TLS record.
 *
 * <p>Why: MINA's TLS filter (2.2) encrypts a write larger than a record only a few records at a time, and while the
 * rest of it waits, queues every later write unencrypted, at most 64 of them; the next one fails the connection
 * (BufferOverflowException), and the queued ones are not counted in the session's scheduled write bytes, which
 * Parley's flow control relies on. A write of one record is always encrypted and passed on at once.
 *
 * <p>The slices of one frame must reach the TLS filter one after the other, with no slice of another frame between
 * them, though several threads write to a session at once (a download's chunk and a message push). Holding a lock
 * while calling into the TLS filter could deadlock: its I/O thread holds the filter's own monitor while it passes
 * received data up, where a handler may write. So writes go into a per-session queue, and whichever thread finds
 * nobody draining it drains it, whole frames at a time; a writer that finds a drainer at work returns at once.
 */
public final class RecordSlicer extends IoFilterAdapter {

    /**
     * What fits in one TLS record: 16 KiB of plaintext in TLS 1.2, 16,367 bytes with the JDK's TLS 1.3 (the
     * content type byte and the tag come out of it); a little less, for other engines.
     */
    public static final int SLICE = 16 * 1024 - 512;

    private static final AttributeKey STATE = new AttributeKey(RecordSlicer.class, "state");

    /** A session's writes waiting to be sliced, and whether a thread is draining them. */
    private static final class State {
        final Queue<WriteRequest> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean draining = new AtomicBoolean();
    }

    /** A slice before a frame's last: nobody waits for it, and its messageSent stops here. */
    private static final class Slice extends DefaultWriteRequest {
        Slice(IoBuffer slice) {
            super(slice);
        }
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) {
        State state = (State) session.getAttribute(STATE);
        if (state == null) {
            State fresh = new State();
            State earlier = (State) session.setAttributeIfAbsent(STATE, fresh);
            state = earlier != null ? earlier : fresh;
        }
        state.queue.add(request);
        // Drain until empty; re-check after letting go, so that a write queued meanwhile is not left behind.
        while (!state.queue.isEmpty() && state.draining.compareAndSet(false, true)) {
            try {
                WriteRequest r;
                while ((r = state.queue.poll()) != null) {
                    pass(next, session, r);
                }
            } finally {
                state.draining.set(false);
            }
        }
    }

    private static void pass(NextFilter next, IoSession session, WriteRequest request) {
        if (!(request.getMessage() instanceof IoBuffer buf) || buf.remaining() <= SLICE) {
            next.filterWrite(session, request);
            return;
        }
        int end = buf.limit();
        int at = buf.position();
        while (end - at > SLICE) {
            next.filterWrite(session, new Slice(buf.getSlice(at, SLICE)));
            at += SLICE;
        }
        // The frame's last slice travels in the original request: its future and messageSent are the frame's.
        request.setMessage(buf.getSlice(at, end - at));
        next.filterWrite(session, request);
    }

    @Override
    public void messageSent(NextFilter next, IoSession session, WriteRequest request) {
        if (!(request instanceof Slice)) {
            next.messageSent(session, request);
        }
    }
}
