package org.parley.protocol.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.transport.socket.DefaultSocketSessionConfig;
import org.parley.protocol.BadFrame;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.WireCodec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any byte stream, split into reads at any points, decodes into {@link Frame}s and {@link BadFrame}s only, or stops
 * with one of the two exceptions the server answers and closes on ({@link BadFrameLengthException},
 * {@link FrameBudgetException}); nothing else escapes. How the stream is split changes nothing: the frames (and
 * the exception) are the same as when it arrives in one read. Every byte of budget the decoder reserved is
 * released when the connection ends.
 *
 * <p>The first byte of an input is a seed for where the rest is split (0: not at all), the rest is the stream. The
 * frame limit is 4 KiB and the partial-frame budget as much (a connection has one frame in progress at a time, so
 * the budget is never refused here; FrameDecoderTest covers refusals). Decoded frames are compared by their
 * encoding (messages holding byte arrays do not compare their contents).
 */
class FrameDecoderFuzzTest {

    private static final int MAX_FRAME = 4096;
    private static final int BUDGET = MAX_FRAME;

    /** A budget shared by the connection, as the server's is by all. */
    private static final class Budget implements FrameLimits {
        int reserved;
        int started;

        @Override
        public int maxFrameBytes(IoSession session) {
            return MAX_FRAME;
        }

        @Override
        public boolean reserve(IoSession session, int bytes) {
            if (reserved + bytes > BUDGET) {
                return false;
            }
            reserved += bytes;
            return true;
        }

        @Override
        public void release(IoSession session, int bytes) {
            reserved -= bytes;
        }

        @Override
        public void frameStarted(IoSession session, int length) {
            started++;
        }

        @Override
        public void frameEnded(IoSession session) {
            started--;
        }
    }

    private record Outcome(List<Object> decoded, Class<?> failure) {
    }

    @FuzzTest(maxDuration = "60s")
    void anyStreamSplitAnywhereDecodesToFramesOrIsRefused(byte[] input) throws Exception {
        if (input.length < 1) {
            return;
        }
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        Outcome whole = decode(stream, List.of(stream.length));
        Outcome split = decode(stream, splits(input[0] & 0xFF, stream.length));
        assertThat(split).as("the same stream split into reads").isEqualTo(whole);
    }

    /** Read sizes that add up to {@code length}, from a small generator seeded with {@code seed}. */
    private static List<Integer> splits(int seed, int length) {
        List<Integer> sizes = new ArrayList<>();
        if (seed == 0) {
            sizes.add(length);
            return sizes;
        }
        int x = seed;
        int left = length;
        while (left > 0) {
            x = x * 1103515245 + 12345;
            int size = Math.min(left, 1 + ((x >>> 16) % (seed < 128 ? 16 : 3000)));
            sizes.add(size);
            left -= size;
        }
        return sizes;
    }

    private static Outcome decode(byte[] stream, List<Integer> reads) throws Exception {
        Budget budget = new Budget();
        ParleyCodecFactory codec = new ParleyCodecFactory(budget, MAX_FRAME);
        ProtocolCodecSession session = new ProtocolCodecSession();
        session.setTransportMetadata(new DefaultTransportMetadata("test", "stream", false, true,
                InetSocketAddress.class, DefaultSocketSessionConfig.class, Object.class));
        ProtocolDecoder decoder = codec.getDecoder(session);
        List<Object> decoded = new ArrayList<>();
        Class<?> failure = null;
        int at = 0;
        try {
            for (int size : reads) {
                decoder.decode(session, IoBuffer.wrap(stream, at, size), session.getDecoderOutput());
                at += size;
                drain(session, decoded);
            }
        } catch (BadFrameLengthException | FrameBudgetException refused) {
            failure = refused.getClass(); // the server answers and closes: nothing more is read
            drain(session, decoded);
        }
        decoder.dispose(session);
        assertThat(budget.reserved).as("budget given back").isZero();
        assertThat(budget.started).as("every started frame ended").isZero();
        List<Object> comparable = new ArrayList<>();
        for (Object o : decoded) {
            assertThat(o).isInstanceOfAny(Frame.class, BadFrame.class);
            comparable.add(o instanceof Frame f ? HexFormat.of().formatHex(WireCodec.encode(f)) : o);
        }
        return new Outcome(comparable, failure);
    }

    private static void drain(ProtocolCodecSession session, List<Object> into) {
        Object o;
        while ((o = session.getDecoderOutputQueue().poll()) != null) {
            into.add(o);
        }
    }
}
