package org.parley.server.wire;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.core.write.WriteRequestQueue;

/**
 * A connection's queue of writes that gathers what is waiting into one socket write ({@code write-gather-bytes}).
 * MINA's I/O thread writes each queued buffer with a write call of its own: a connection that got ten pushes since
 * its last turn took ten system calls (on loopback each also runs the receiver's TCP stack on the sender's core).
 * When the I/O thread takes the next write, this queue joins it with the buffers queued behind it, up to {@code
 * maxBytes}, into one buffer; the requests whose bytes went into it stay in the queue, in order, holding an empty
 * buffer, so that each still completes (its future, {@code messageSent}) once the joined bytes are written, after
 * the one before it, and MINA's counts of scheduled bytes and messages stay exact.
 *
 * <p>So writes gather by themselves under load (the more a connection's writes wait for the I/O thread, the more go
 * into one system call) and cost nothing when there is none (a lone buffer is written as it is, without a copy).
 * The joined copy is memory of this connection's alone: it is reported to the {@link #copies} consumer when made
 * and when written (the server-wide bound on unsent bytes counts it, {@link OutboundBudget}).
 *
 * <p>Single consumer: only the session's I/O thread polls (MINA's contract); offers come from any thread.
 */
final class GatheringWriteQueue implements WriteRequestQueue {

    private final Queue<WriteRequest> q = new ConcurrentLinkedQueue<>();
    private final int maxBytes;
    private final LongConsumer copies;
    /** The size of the joined copy being written, 0 when none is (I/O thread). */
    private long copyHeld;

    /**
     * @param maxBytes the most bytes joined into one write (the first buffer is never cut)
     * @param copies told +n when a joined copy of n bytes is made, -n when it has been written (I/O thread)
     */
    GatheringWriteQueue(int maxBytes, LongConsumer copies) {
        this.maxBytes = maxBytes;
        this.copies = copies;
    }

    @Override
    public WriteRequest poll(IoSession session) {
        if (copyHeld != 0) {
            // MINA asks for the next write only once the current one is written: the joined copy is done with.
            copies.accept(-copyHeld);
            copyHeld = 0;
        }
        WriteRequest first = q.poll();
        if (first == AbstractIoSession.CLOSE_REQUEST) {
            session.closeNow();
            dispose(session);
            return null;
        }
        if (first == null || !joinable(first)) {
            return first;
        }
        WriteRequest next = q.peek();
        IoBuffer head = (IoBuffer) first.getMessage();
        if (next == null || !joinable(next) || head.remaining() >= maxBytes) {
            return first;
        }
        int total = head.remaining();
        int count = 0;
        for (WriteRequest r : q) {
            if (!joinable(r)) {
                break;
            }
            int n = ((IoBuffer) r.getMessage()).remaining();
            if (total + n > maxBytes) {
                break;
            }
            total += n;
            count++;
        }
        if (count == 0) {
            return first;
        }
        IoBuffer joined = IoBuffer.allocate(total, false);
        joined.put(head);
        int i = 0;
        for (WriteRequest r : q) {
            if (i++ == count) {
                break;
            }
            IoBuffer b = (IoBuffer) r.getMessage();
            joined.put(b);
            // Its bytes go out with the first; it stays queued so that it completes after them, in order.
            r.setMessage(IoBuffer.allocate(0, false));
        }
        joined.flip();
        first.setMessage(joined);
        copyHeld = total;
        copies.accept(total);
        return first;
    }

    /** A buffer with bytes to write (not a file, nor an empty buffer that only marks a message as sent). */
    private static boolean joinable(WriteRequest r) {
        return r.getMessage() instanceof IoBuffer b && b.hasRemaining();
    }

    @Override
    public void offer(IoSession session, WriteRequest writeRequest) {
        q.offer(writeRequest);
    }

    @Override
    public boolean isEmpty(IoSession session) {
        return q.isEmpty();
    }

    @Override
    public void clear(IoSession session) {
        q.clear();
    }

    @Override
    public void dispose(IoSession session) {
        if (copyHeld != 0) {
            copies.accept(-copyHeld);
            copyHeld = 0;
        }
    }

    @Override
    public int size() {
        return q.size();
    }

    @Override
    public String toString() {
        return q.toString();
    }
}
