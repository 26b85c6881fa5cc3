package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.junit.jupiter.api.Test;

/**
 * The write queue that joins a connection's waiting buffers into one socket write: the bytes go out in the order
 * they were queued, every request still comes out (after the joined bytes, holding nothing more to write, so that
 * each completes in order), at most {@code maxBytes} are joined, a lone buffer is not copied, and the copy is
 * reported while it is being written.
 */
class GatheringWriteQueueTest {

    private final DummySession session = new DummySession();
    private final List<Long> copies = new ArrayList<>();
    private final GatheringWriteQueue queue = new GatheringWriteQueue(100, copies::add);

    private static WriteRequest request(String text) {
        return new DefaultWriteRequest(IoBuffer.wrap(text.getBytes()));
    }

    private static String text(WriteRequest r) {
        IoBuffer b = ((IoBuffer) r.getMessage()).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes);
    }

    @Test
    void waitingBuffersGoOutInOneWriteInOrderAndEachRequestStillCompletesAfterIt() {
        WriteRequest a = request("aaa");
        WriteRequest b = request("bb");
        WriteRequest c = request("c");
        queue.offer(session, a);
        queue.offer(session, b);
        queue.offer(session, c);

        WriteRequest first = queue.poll(session);
        assertThat(first).isSameAs(a);
        assertThat(text(first)).isEqualTo("aaabbc");
        assertThat(first.getOriginalMessage()).as("still the request written").isNotNull();
        assertThat(copies).containsExactly(6L);
        // The others follow, in order, with nothing left to write: MINA completes each without a system call.
        WriteRequest second = queue.poll(session);
        assertThat(second).isSameAs(b);
        assertThat(((IoBuffer) second.getMessage()).hasRemaining()).isFalse();
        assertThat(copies).as("the copy was written once MINA asked for the next").containsExactly(6L, -6L);
        assertThat(queue.poll(session)).isSameAs(c);
        assertThat(queue.poll(session)).isNull();
        assertThat(copies).containsExactly(6L, -6L);
    }

    @Test
    void aLoneBufferIsWrittenAsItIs() {
        WriteRequest a = request("alone");
        queue.offer(session, a);
        IoBuffer before = (IoBuffer) a.getMessage();
        assertThat(queue.poll(session).getMessage()).isSameAs(before);
        assertThat(copies).isEmpty();
    }

    @Test
    void noMoreThanMaxBytesAreJoinedAndABufferIsNeverCut() {
        queue.offer(session, request("x".repeat(60)));
        queue.offer(session, request("y".repeat(30)));
        queue.offer(session, request("z".repeat(30))); // would make 120 > 100
        queue.offer(session, request("w".repeat(150))); // larger than maxBytes alone

        assertThat(text(queue.poll(session))).isEqualTo("x".repeat(60) + "y".repeat(30));
        assertThat(queue.poll(session).getMessage()).as("the second, emptied").matches(m -> !((IoBuffer) m)
                .hasRemaining());
        WriteRequest z = queue.poll(session);
        assertThat(text(z)).as("z alone: w would not fit with it").isEqualTo("z".repeat(30));
        assertThat(text(queue.poll(session))).isEqualTo("w".repeat(150));
        assertThat(queue.poll(session)).isNull();
    }

    @Test
    void aCloseRequestIsNotJoinedOver() {
        queue.offer(session, request("a"));
        queue.offer(session, AbstractIoSession.CLOSE_REQUEST);
        queue.offer(session, request("b"));

        assertThat(text(queue.poll(session))).isEqualTo("a");
        assertThat(queue.poll(session)).as("closes the session").isNull();
        assertThat(session.isClosing()).isTrue();
    }
}
