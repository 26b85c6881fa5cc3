package org.parley.protocol.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolEncoder;
import org.junit.jupiter.api.Test;
import org.parley.protocol.EncodedFrame;
import org.parley.protocol.Frame;
import org.parley.protocol.codec.FrameTooLargeException;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Chat;

class FrameEncoderTest {

    private final ParleyCodecFactory codec = new ParleyCodecFactory(1024, 1024);
    private final ProtocolCodecSession session = new ProtocolCodecSession();
    private final ProtocolEncoder encoder = codec.getEncoder(session);

    private byte[] written(Object message) throws Exception {
        encoder.encode(session, message, session.getEncoderOutput());
        IoBuffer buf = (IoBuffer) session.getEncoderOutputQueue().poll();
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    @Test
    void aFrameEncodedOnceIsWrittenByteForByteAsIfEncodedForEachSession() throws Exception {
        Frame push = Frame.push(new Chat.ReceiptChanged(42, "bob", 13, 12));
        EncodedFrame once = EncodedFrame.of(push, 1024);
        assertThat(once.size(1)).isEqualTo(WireCodec.encode(push).length);
        // Written to several sessions: each write reads the same bytes; none consumes another's.
        for (int i = 0; i < 3; i++) {
            assertThat(written(once)).isEqualTo(written(push)).isEqualTo(WireCodec.encode(push));
        }
    }

    @Test
    void theSharedBytesCannotBeChangedThroughAWrite() {
        EncodedFrame once = EncodedFrame.of(Frame.push(new Chat.Typing(3, true)), 1024);
        assertThat(once.bytes(1).isReadOnly()).isTrue();
        assertThat(List.of(once.bytes(1).remaining(), once.bytes(1).position())).containsExactly(once.size(1), 0);
    }

    @Test
    void aFrameOverTheLimitIsRefusedWhenEncodedOnce() {
        Frame big = Frame.push(new Chat.Typing(3, true));
        assertThatThrownBy(() -> EncodedFrame.of(big, 4)).isInstanceOf(FrameTooLargeException.class);
    }
}
