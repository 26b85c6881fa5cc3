package org.parley.protocol.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Session;
import org.parley.protocol.message.Transfers;

/** Large frames leave the encoder in slices that each fit one TLS record; the bytes are the frame's. */
class FrameEncoderTest {

    private final ProtocolCodecSession session = new ProtocolCodecSession();
    private final ProtocolEncoder encoder = new ParleyCodecFactory(1 << 20, 1 << 20).getEncoder(session);

    private List<IoBuffer> encode(Frame frame) throws Exception {
        encoder.encode(session, frame, session.getEncoderOutput());
        List<IoBuffer> out = new ArrayList<>();
        Object o;
        while ((o = session.getEncoderOutputQueue().poll()) != null) {
            out.add((IoBuffer) o);
        }
        return out;
    }

    private static byte[] joined(List<IoBuffer> slices) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (IoBuffer b : slices) {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            all.writeBytes(bytes);
        }
        return all.toByteArray();
    }

    @Test
    void aLargeFrameIsSlicedToFitTlsRecords() throws Exception {
        byte[] data = new byte[256 * 1024];
        new java.util.Random(1).nextBytes(data);
        Frame frame = new Frame(9, new Transfers.FileChunk("Jx3kQ9v2LmN8pR4sT6wYbA", 262_144, data));
        List<IoBuffer> slices = encode(frame);
        assertThat(slices).hasSizeGreaterThan(16).allSatisfy(b -> assertThat(b.remaining())
                .isPositive().isLessThanOrEqualTo(FrameEncoder.SLICE));
        assertThat(FrameEncoder.SLICE).as("fits a TLS 1.3 record of the JDK (16,367 bytes)").isLessThan(16_367);
        assertThat(joined(slices)).isEqualTo(WireCodec.encode(frame));
    }

    @Test
    void aSmallFrameIsOneBuffer() throws Exception {
        Frame frame = new Frame(3, new Session.Ping(5));
        List<IoBuffer> out = encode(frame);
        assertThat(out).hasSize(1);
        assertThat(joined(out)).isEqualTo(WireCodec.encode(frame));
    }
}
