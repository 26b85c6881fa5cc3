package org.parley.protocol.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.DefaultSocketSessionConfig;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.junit.jupiter.api.Test;
import org.parley.protocol.BadFrame;
import org.parley.protocol.EncodedFrame;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;

class FrameDecoderTest {

    private final ParleyCodecFactory codec = new ParleyCodecFactory(1024, 1024);
    private final ProtocolCodecSession session = new ProtocolCodecSession();
    private final ProtocolDecoder decoder = codec.getDecoder(session);

    FrameDecoderTest() {
        // A stream transport, as TCP is: the decoder must keep partial frames between reads.
        session.setTransportMetadata(new DefaultTransportMetadata("test", "stream", false, true,
                InetSocketAddress.class, DefaultSocketSessionConfig.class, Object.class));
    }

    private List<Object> feed(byte[]... chunks) throws Exception {
        for (byte[] chunk : chunks) {
            decoder.decode(session, IoBuffer.wrap(chunk), session.getDecoderOutput());
        }
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = session.getDecoderOutputQueue().poll()) != null) {
            out.add(o);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void framesSplitAcrossReadsAreReassembled() throws Exception {
        byte[] frame = WireCodec.encode(new Frame(7, new Chat.Typing(3, true)));
        List<Object> first = feed(Arrays.copyOfRange(frame, 0, 3), Arrays.copyOfRange(frame, 3, 9));
        assertThat(first).isEmpty();
        assertThat(feed(Arrays.copyOfRange(frame, 9, frame.length)))
                .containsExactly(new Frame(7, new Chat.Typing(3, true)));
    }

    /**
     * What the decoder keeps with a connection exists only while a frame (or its length prefix) is in progress: an
     * idle connection holds none of it (before, every connection kept it, with its arrays, for life).
     */
    @Test
    void aConnectionBetweenFramesHoldsNoDecoderState() throws Exception {
        byte[] frame = WireCodec.encode(new Frame(7, new Chat.Typing(3, true)));
        assertThat(feed(frame)).hasSize(1);
        assertThat(session.containsAttribute(FrameDecoder.PARTIAL)).as("after a whole frame").isFalse();
        assertThat(feed(Arrays.copyOfRange(frame, 0, 2))).isEmpty();
        assertThat(session.containsAttribute(FrameDecoder.PARTIAL)).as("half a length prefix").isTrue();
        assertThat(feed(Arrays.copyOfRange(frame, 2, 9))).isEmpty();
        assertThat(session.containsAttribute(FrameDecoder.PARTIAL)).as("a frame in progress").isTrue();
        assertThat(feed(concat(Arrays.copyOfRange(frame, 9, frame.length), Arrays.copyOf(frame, 4)))).as(
                "the frame, and the whole prefix of the next").containsExactly(new Frame(7, new Chat.Typing(3, true)));
        assertThat(session.containsAttribute(FrameDecoder.PARTIAL)).as("the next frame in progress").isTrue();
        assertThat(feed(Arrays.copyOfRange(frame, 4, frame.length))).hasSize(1);
        assertThat(session.containsAttribute(FrameDecoder.PARTIAL)).as("once the frames are complete").isFalse();
    }

    @Test
    void severalFramesInOneReadAreAllDecodedInOrder() throws Exception {
        byte[] a = WireCodec.encode(new Frame(1, new Session.Ping(1)));
        byte[] b = WireCodec.encode(new Frame(2, new Session.Ping(2)));
        assertThat(feed(concat(a, b)))
                .containsExactly(new Frame(1, new Session.Ping(1)), new Frame(2, new Session.Ping(2)));
    }

    @Test
    void unknownTypeBecomesABadFrameAndTheStreamGoesOn() throws Exception {
        byte[] unknown = {0, 0, 0, 6, (byte) 0x7F, 0x01, 0, 0, 0, 9};
        byte[] ping = WireCodec.encode(new Frame(3, new Session.Ping(5)));
        List<Object> out = feed(concat(unknown, ping));
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOfSatisfying(BadFrame.class, bad -> {
            assertThat(bad.code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
            assertThat(bad.requestId()).isEqualTo(9);
        });
        assertThat(out.get(1)).isEqualTo(new Frame(3, new Session.Ping(5)));
    }

    @Test
    void garbageBodyBecomesAMalformedBadFrame() throws Exception {
        // A Ping (0x0005) whose body is 3 bytes instead of 8.
        byte[] frame = {0, 0, 0, 9, 0, 5, 0, 0, 0, 4, 1, 2, 3};
        assertThat(feed(frame)).singleElement().isInstanceOfSatisfying(BadFrame.class, bad -> {
            assertThat(bad.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(bad.requestId()).isEqualTo(4);
            assertThat(bad.reason()).contains("Ping");
        });
    }

    @Test
    void aLengthOverTheMaximumIsRejectedBeforeBuffering() {
        byte[] huge = {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 1};
        assertThatThrownBy(() -> feed(huge)).isInstanceOf(BadFrameLengthException.class)
                .hasMessageContaining("2147483647");
    }

    @Test
    void aLengthBelowTheHeaderIsRejected() {
        byte[] tiny = {0, 0, 0, 2, 0, 1};
        assertThatThrownBy(() -> feed(tiny)).isInstanceOf(BadFrameLengthException.class);
    }

    @Test
    void framesJoinedIntoOneWriteAreReadAsTheFramesTheyAre() throws Exception {
        Frame a = Frame.push(new Chat.Typing(3, true));
        Frame b = Frame.push(new Chat.ReceiptChanged(3, "bob", 7, 6));
        Frame c = Frame.push(new Chat.Typing(4, false));
        EncodedFrame joined = EncodedFrame.concat(List.of(
                EncodedFrame.of(a, 1024), EncodedFrame.of(b, 1024), EncodedFrame.of(c, 1024)));
        ByteBuffer bytes = joined.bytes(1);
        byte[] all = new byte[bytes.remaining()];
        bytes.get(all);
        assertThat(joined.size(1)).isEqualTo(all.length)
                .isEqualTo(WireCodec.encode(a).length + WireCodec.encode(b).length + WireCodec.encode(c).length);
        assertThat(feed(all)).containsExactly(a, b, c);
    }

    /** Counts what the decoder reserves; refuses past {@code budget}; frames up to {@code max}. */
    private static final class CountingLimits implements FrameLimits {
        final int max;
        final long budget;
        long reserved;
        long mostReserved;
        int started;
        int ended;

        CountingLimits(int max, long budget) {
            this.max = max;
            this.budget = budget;
        }

        @Override
        public int maxFrameBytes(IoSession s) {
            return max;
        }

        @Override
        public boolean reserve(IoSession s, int bytes) {
            if (reserved + bytes > budget) {
                return false;
            }
            reserved += bytes;
            mostReserved = Math.max(mostReserved, reserved);
            return true;
        }

        @Override
        public void release(IoSession s, int bytes) {
            reserved -= bytes;
        }

        @Override
        public void frameStarted(IoSession s, int length) {
            started++;
        }

        @Override
        public void frameEnded(IoSession s) {
            ended++;
        }
    }

    private static List<Object> feed(ProtocolDecoder d, ProtocolCodecSession s, byte[]... chunks) throws Exception {
        for (byte[] chunk : chunks) {
            d.decode(s, IoBuffer.wrap(chunk), s.getDecoderOutput());
        }
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = s.getDecoderOutputQueue().poll()) != null) {
            out.add(o);
        }
        return out;
    }

    private ProtocolCodecSession streamSession() {
        ProtocolCodecSession s = new ProtocolCodecSession();
        s.setTransportMetadata(new DefaultTransportMetadata("test", "stream", false, true,
                InetSocketAddress.class, DefaultSocketSessionConfig.class, Object.class));
        return s;
    }

    /** A peer that announces a large frame and sends little of it makes the decoder hold little. */
    @Test
    void aFrameArrivingSlowlyIsHeldAsWhatArrivedNotAsItsAnnouncedSize() throws Exception {
        CountingLimits limits = new CountingLimits(1 << 20, Long.MAX_VALUE);
        ProtocolDecoder d = new ParleyCodecFactory(limits, 1 << 20).getDecoder(null);
        ProtocolCodecSession s = streamSession();
        byte[] data = new byte[200_000];
        new java.util.Random(1).nextBytes(data);
        byte[] frame = WireCodec.encode(new Frame(4, new Transfers.UploadChunk("u", 0, data)));
        assertThat(feed(d, s, Arrays.copyOf(frame, 20))).isEmpty();
        assertThat(limits.reserved).isEqualTo(FrameDecoder.FIRST_PIECE);
        assertThat(limits.started).isEqualTo(1);
        List<Object> out = new ArrayList<>();
        for (int at = 20; at < frame.length; at += 1000) {
            out.addAll(feed(d, s, Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 1000))));
        }
        assertThat(out).singleElement().isInstanceOfSatisfying(Frame.class, f -> {
            assertThat(f.requestId()).isEqualTo(4);
            assertThat(((Transfers.UploadChunk) f.message()).data()).isEqualTo(data);
        });
        assertThat(limits.mostReserved).as("pieces grow with what arrived: at most twice").isLessThanOrEqualTo(
                2L * frame.length);
        assertThat(limits.reserved).as("all given back").isZero();
        assertThat(limits.ended).isEqualTo(1);
    }

    @Test
    void aRefusedReservationFailsTheStreamAndGivesEverythingBack() throws Exception {
        CountingLimits limits = new CountingLimits(1 << 20, 10_000);
        ProtocolDecoder d = new ParleyCodecFactory(limits, 1 << 20).getDecoder(null);
        ProtocolCodecSession s = streamSession();
        byte[] frame = WireCodec.encode(new Frame(4, new Transfers.UploadChunk("u", 0, new byte[50_000])));
        assertThat(feed(d, s, Arrays.copyOf(frame, 5000))).isEmpty();
        assertThatThrownBy(() -> feed(d, s, Arrays.copyOfRange(frame, 5000, 20_000)))
                .isInstanceOf(FrameBudgetException.class).hasMessageContaining("no memory");
        assertThat(limits.reserved).isZero();
        assertThat(feed(d, s, WireCodec.encode(new Frame(1, new Session.Ping(1))))).as("nothing more is read")
                .isEmpty();
    }

    @Test
    void theLimitIsAskedForEachFrame() throws Exception {
        CountingLimits limits = new CountingLimits(20, Long.MAX_VALUE);
        ProtocolDecoder d = new ParleyCodecFactory(limits, 1 << 20).getDecoder(null);
        ProtocolCodecSession s = streamSession();
        assertThat(feed(d, s, WireCodec.encode(new Frame(1, new Session.Ping(1))))).hasSize(1);
        assertThatThrownBy(() -> feed(d, s, WireCodec.encode(new Frame(2, new Session.Hello(1, 1, "a long name")))))
                .isInstanceOf(BadFrameLengthException.class).hasMessageContaining("20");
    }

    /** MINA's codec filter adds a hex dump of the read to a decoder's exception: not to these. */
    @Test
    void noHexDumpIsAddedToTheMessages() {
        BadFrameLengthException bad = new BadFrameLengthException("frame length 9 outside [6, 4]");
        bad.setHexdump("00 00 00 09 ...");
        assertThat(bad.getMessage()).isEqualTo("frame length 9 outside [6, 4]");
        FrameBudgetException full = new FrameBudgetException("no memory");
        full.setHexdump("00");
        assertThat(full.getMessage()).isEqualTo("no memory");
    }
}
