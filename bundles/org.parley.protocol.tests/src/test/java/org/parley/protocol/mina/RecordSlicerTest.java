package org.parley.protocol.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Transfers;

/**
 * The slicer hands the TLS filter record-sized writes, each frame's slices together and in order, though many threads
 * write at once; and a writer never waits for another writer's slices to get through.
 */
class RecordSlicerTest {

    private final IoSession session = new DummySession();
    private final RecordSlicer slicer = new RecordSlicer();

    /** What the TLS filter below would receive (its thread safety is the filter's own monitor). */
    private static class Below implements NextFilter {
        final List<WriteRequest> writes = Collections.synchronizedList(new ArrayList<>());
        final List<WriteRequest> sent = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void filterWrite(IoSession session, WriteRequest request) {
            writes.add(request);
        }

        @Override
        public void messageSent(IoSession session, WriteRequest request) {
            sent.add(request);
        }

        // NextFilter's other events are not used by the slicer.
        @Override public void sessionCreated(IoSession s) { }
        @Override public void sessionOpened(IoSession s) { }
        @Override public void sessionClosed(IoSession s) { }
        @Override public void sessionIdle(IoSession s, org.apache.mina.core.session.IdleStatus st) { }
        @Override public void exceptionCaught(IoSession s, Throwable c) { }
        @Override public void inputClosed(IoSession s) { }
        @Override public void messageReceived(IoSession s, Object m) { }
        @Override public void filterClose(IoSession s) { }
        @Override public void event(IoSession s, org.apache.mina.filter.FilterEvent e) { }
    }

    private static IoBuffer encoded(int requestId, int size) {
        byte[] data = new byte[size];
        new java.util.Random(requestId).nextBytes(data);
        return IoBuffer.wrap(WireCodec.encode(new Frame(requestId, new Transfers.FileChunk("f", 0, data))));
    }

    /** The frames the written bytes hold, in order (each must decode whole: interleaved slices would not). */
    private static List<Frame> frames(List<WriteRequest> writes) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (WriteRequest w : writes) {
            IoBuffer b = ((IoBuffer) w.getMessage()).duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            all.writeBytes(bytes);
        }
        ByteBuffer in = ByteBuffer.wrap(all.toByteArray());
        List<Frame> out = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = in.getInt();
            ByteBuffer body = in.slice(in.position(), length);
            in.position(in.position() + length);
            int type = body.getShort() & 0xFFFF;
            int requestId = body.getInt();
            out.add(new Frame(requestId, WireCodec.decodeBody(MessageTypes.classOf(type), body.slice())));
        }
        return out;
    }

    @Test
    void aLargeFrameGoesDownInRecordSizedSlicesTheLastInTheOriginalRequest() {
        Below below = new Below();
        IoBuffer frame = encoded(7, 256 * 1024);
        int size = frame.remaining();
        WriteRequest original = new DefaultWriteRequest(frame);
        slicer.filterWrite(below, session, original);

        assertThat(below.writes).hasSize((size + RecordSlicer.SLICE - 1) / RecordSlicer.SLICE)
                .allSatisfy(w -> assertThat(((IoBuffer) w.getMessage()).remaining()).isPositive()
                        .isLessThanOrEqualTo(RecordSlicer.SLICE));
        assertThat(RecordSlicer.SLICE).as("fits a TLS 1.3 record of the JDK (16,367 bytes)").isLessThan(16_367);
        assertThat(below.writes.get(below.writes.size() - 1)).isSameAs(original);
        assertThat(frames(below.writes)).extracting(Frame::requestId).containsExactly(7);

        // Only the frame's own request is reported sent upwards, not its slices.
        for (WriteRequest w : below.writes) {
            slicer.messageSent(below, session, w);
        }
        assertThat(below.sent).containsExactly(original);
    }

    @Test
    void aSmallFrameGoesDownAsItIs() {
        Below below = new Below();
        WriteRequest original = new DefaultWriteRequest(encoded(3, 100));
        slicer.filterWrite(below, session, original);
        assertThat(below.writes).containsExactly(original);
    }

    @Test
    void framesWrittenByManyThreadsAtOnceArriveWhole() throws Exception {
        Below below = new Below();
        int threads = 8;
        int perThread = 40;
        List<Thread> writers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int base = t * 1000;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    // sizes from one slice to many, so that slices of big frames meet small frames
                    slicer.filterWrite(below, session, new DefaultWriteRequest(encoded(base + i, 100 + i * 3000)));
                }
            }));
        }
        start.countDown();
        for (Thread w : writers) {
            w.join();
        }
        List<Frame> frames = frames(below.writes);
        assertThat(frames).hasSize(threads * perThread);
        // Each thread's frames in the order it wrote them.
        for (int t = 0; t < threads; t++) {
            int base = t * 1000;
            assertThat(frames.stream().map(Frame::requestId).filter(id -> id >= base && id < base + 1000))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(base, base + perThread).boxed()
                            .toList());
        }
    }

    @Test
    void aWriterDoesNotWaitWhileAnotherThreadIsStuckBelow() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Below below = new Below() {
            @Override
            public void filterWrite(IoSession s, WriteRequest request) {
                if (stuck.getCount() > 0) {
                    stuck.countDown();
                    try {
                        release.await(); // the TLS filter's monitor held by its I/O thread
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.filterWrite(s, request);
            }
        };
        Thread first = Thread.ofPlatform().start(() -> slicer.filterWrite(below, session,
                new DefaultWriteRequest(encoded(1, 64 * 1024))));
        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();

        // The I/O thread writes while the first writer is stuck: it must come back at once (no deadlock).
        Thread io = Thread.ofPlatform().start(() -> slicer.filterWrite(below, session,
                new DefaultWriteRequest(encoded(2, 64 * 1024))));
        io.join(10_000);
        assertThat(io.isAlive()).as("second writer still waiting").isFalse();

        release.countDown();
        first.join(10_000);
        assertThat(frames(below.writes)).extracting(Frame::requestId).containsExactly(1, 2);
    }
}
