package org.parley.protocol.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.filter.codec.ProtocolCodecFactory;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.transport.socket.DefaultSocketSessionConfig;
import org.junit.jupiter.api.Test;
import org.parley.protocol.EncodedFrame;
import org.parley.protocol.Frame;
import org.parley.protocol.Protocol;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Conversations.Member;
import org.parley.protocol.message.Conversations.Role;
import org.parley.protocol.message.Session;

/** The codec speaks the version the handshake chose, from the frame right after it. */
class WireVersionTest {

    private static final Conversations.ConversationInfo INFO = new Conversations.ConversationInfo(7,
            Conversations.Kind.GROUP, "team", List.of(new Member("ann", 3, 2, Role.ADMIN)), 9, 4, 5);

    private static ProtocolCodecSession session() {
        ProtocolCodecSession s = new ProtocolCodecSession();
        s.setTransportMetadata(new DefaultTransportMetadata("test", "stream", false, true, InetSocketAddress.class,
                DefaultSocketSessionConfig.class, Object.class));
        return s;
    }

    private static List<Object> feed(ProtocolCodecFactory codec, ProtocolCodecSession s, byte[] bytes)
            throws Exception {
        codec.getDecoder(s).decode(s, IoBuffer.wrap(bytes), s.getDecoderOutput());
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = s.getDecoderOutputQueue().poll()) != null) {
            out.add(o);
        }
        return out;
    }

    private static byte[] written(ProtocolCodecFactory codec, ProtocolCodecSession s, Object message)
            throws Exception {
        codec.getEncoder(s).encode(s, message, s.getEncoderOutput());
        IoBuffer buf = (IoBuffer) s.getEncoderOutputQueue().poll();
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void aServerDecodesTheFramesPipelinedBehindHelloInTheVersionItChose() throws Exception {
        var codec = ParleyCodecFactory.forServer(FrameLimits.fixed(4096), 4096, 1, 2);
        var s = session();
        byte[] hello = WireCodec.encode(new Frame(1, new Session.Hello(1, 2, "t")));
        byte[] behind = WireCodec.encode(new Frame(2, new Conversations.ConversationUpdated(INFO)), 2);

        assertThat(feed(codec, s, concat(hello, behind))).containsExactly(new Frame(1, new Session.Hello(1, 2, "t")),
                new Frame(2, new Conversations.ConversationUpdated(INFO)));
        assertThat(WireVersion.of(s)).isEqualTo(2);
        assertThat(written(codec, s, Frame.push(INFO))).isEqualTo(WireCodec.encode(Frame.push(INFO), 2));
    }

    @Test
    void aVersion1ClientGetsVersion1BytesWithoutRoles() throws Exception {
        var codec = ParleyCodecFactory.forServer(FrameLimits.fixed(4096), 4096, 1, 2);
        var s = session();
        feed(codec, s, WireCodec.encode(new Frame(1, new Session.Hello(1, 1, "old"))));

        assertThat(WireVersion.of(s)).isEqualTo(1);
        assertThat(written(codec, s, Frame.push(INFO))).isEqualTo(WireCodec.encode(Frame.push(INFO), 1));
        EncodedFrame once = EncodedFrame.of(Frame.push(INFO), 4096);
        assertThat(written(codec, s, once)).isEqualTo(WireCodec.encode(Frame.push(INFO), 1));
    }

    @Test
    void aFrameEncodedOnceIsWrittenToEachConnectionInItsVersion() throws Exception {
        var codec = ParleyCodecFactory.forServer(FrameLimits.fixed(4096), 4096, 1, 2);
        var old = session();
        var current = session();
        feed(codec, old, WireCodec.encode(new Frame(1, new Session.Hello(1, 1, "old"))));
        feed(codec, current, WireCodec.encode(new Frame(1, new Session.Hello(1, 2, "new"))));
        EncodedFrame a = EncodedFrame.of(Frame.push(INFO), 4096);
        EncodedFrame b = EncodedFrame.of(Frame.push(new Session.Ping(3)), 4096);
        EncodedFrame both = EncodedFrame.concat(List.of(a, b));

        assertThat(written(codec, old, both)).isEqualTo(concat(WireCodec.encode(Frame.push(INFO), 1),
                WireCodec.encode(Frame.push(new Session.Ping(3)), 1)));
        assertThat(written(codec, current, both)).isEqualTo(concat(WireCodec.encode(Frame.push(INFO), 2),
                WireCodec.encode(Frame.push(new Session.Ping(3)), 2)));
    }

    @Test
    void aClientSpeaksTheVersionTheServersWelcomeSays() throws Exception {
        var codec = new ParleyCodecFactory(4096, 4096);
        var s = session();
        byte[] welcome = WireCodec.encode(new Frame(1, new Session.Welcome(2, "s", 4096, 1024, 0)));
        byte[] behind = WireCodec.encode(Frame.push(INFO), 2);

        assertThat(feed(codec, s, concat(welcome, behind))).last().isEqualTo(Frame.push(INFO));
        assertThat(WireVersion.of(s)).isEqualTo(2);
    }

    @Test
    void aHelloWithNoCommonVersionLeavesVersion1ForTheRefusal() throws Exception {
        var codec = ParleyCodecFactory.forServer(FrameLimits.fixed(4096), 4096, 1, Protocol.MAX_VERSION);
        var s = session();
        feed(codec, s, WireCodec.encode(new Frame(1, new Session.Hello(7, 9, "future"))));
        assertThat(WireVersion.chosen(s)).isFalse();
        assertThat(WireVersion.of(s)).isEqualTo(1);
    }
}
