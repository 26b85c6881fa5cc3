package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.protocol.codec.FrameTooLargeException;
import org.parley.protocol.codec.MalformedFrameException;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Contacts;
import org.parley.protocol.message.Conversations;
import org.parley.protocol.message.Message;
import org.parley.protocol.message.Session;

class WireCodecTest {

    static Stream<Class<? extends Message>> messageTypes() {
        return MessageTypes.all().values().stream();
    }

    /** Decodes a whole encoded frame, checking the header on the way. */
    private static Frame decodeFrame(byte[] frame) {
        ByteBuffer buf = ByteBuffer.wrap(frame);
        int length = buf.getInt();
        assertThat(length).isEqualTo(frame.length - Protocol.LENGTH_BYTES);
        int type = buf.getShort() & 0xFFFF;
        int requestId = buf.getInt();
        return new Frame(requestId, WireCodec.decodeBody(MessageTypes.classOf(type), buf.slice()));
    }

    /** Version 1 leaves out the fields of later versions: those come back empty, the others as they were. */
    @ParameterizedTest
    @MethodSource("messageTypes")
    void everyMessageTypeSurvivesARoundTrip(Class<? extends Message> type) {
        Message message = (Message) Samples.sample(type);
        byte[] encoded = WireCodec.encode(new Frame(42, message));

        Frame decoded = decodeFrame(encoded);

        assertThat(decoded.requestId()).isEqualTo(42);
        assertThat(decoded.message()).isInstanceOf(type);
        // Records holding byte[] compare by reference, so compare what they encode to.
        assertThat(WireCodec.encode(new Frame(42, decoded.message()))).isEqualTo(encoded);
        if (!message.toString().contains("[B@")) {
            assertThat(decoded.message()).isEqualTo(Samples.asOf(message, 1));
        }
    }

    @ParameterizedTest
    @MethodSource("messageTypes")
    void everyMessageTypeSurvivesARoundTripInVersion2(Class<? extends Message> type) {
        Message message = (Message) Samples.sample(type);
        byte[] encoded = WireCodec.encode(new Frame(42, message), 2);

        ByteBuffer buf = ByteBuffer.wrap(encoded);
        assertThat(buf.getInt()).isEqualTo(encoded.length - Protocol.LENGTH_BYTES);
        assertThat(buf.getShort() & 0xFFFF).isEqualTo(MessageTypes.codeOf(type));
        assertThat(buf.getInt()).isEqualTo(42);
        Message decoded = WireCodec.decodeBody(type, buf.slice(), 2);

        assertThat(WireCodec.encode(new Frame(42, decoded), 2)).isEqualTo(encoded);
        if (!message.toString().contains("[B@")) {
            assertThat(decoded).isEqualTo(message);
        }
    }

    @Test
    void helloIsEncodedExactlyAsDocumented() {
        // docs/protocol.md shows this frame byte by byte; keep the two in step.
        byte[] frame = WireCodec.encode(new Frame(1, new Session.Hello(1, 1, "parley-cli")));
        assertThat(HexFormat.of().formatHex(frame))
                .isEqualTo("00000019" + "0001" + "00000001" + "00000001" + "00000001" + "0a"
                        + HexFormat.of().formatHex("parley-cli".getBytes()));
    }

    @Test
    void enumsTravelAsTheirStableCodes() {
        byte[] frame = WireCodec.encode(Frame.push(new Session.ErrorReply(ErrorCode.NOT_A_MEMBER, "")));
        // length(4) type(2) request(4) then the code as uint16
        assertThat(frame[10]).isZero();
        assertThat(frame[11]).isEqualTo((byte) ErrorCode.NOT_A_MEMBER.wireCode());
    }

    @Test
    void nestedRecordsAndListsRoundTrip() {
        var info = new Conversations.ConversationInfo(7, Conversations.Kind.GROUP, "team",
                List.of(new Conversations.Member("ann", 3, 2), new Conversations.Member("bob", 5, 5)), 9, 4,
                1_700_000_000_000L);
        Frame decoded = decodeFrame(WireCodec.encode(new Frame(3, info)));
        assertThat(decoded.message()).isEqualTo(info);
    }

    @Test
    void nullStringsAndListsAreSentAsEmpty() {
        var send = new Chat.Send(1, "id", Chat.Kind.TEXT, null, null);
        Chat.Send decoded = (Chat.Send) decodeFrame(WireCodec.encode(new Frame(1, send))).message();
        assertThat(decoded.text()).isEmpty();
        assertThat(decoded.attachments()).isEmpty();
    }

    @Test
    void trailingBytesFromANewerPeerAreIgnored() {
        byte[] body = bodyOf(new Chat.Typing(5, true));
        byte[] longer = Arrays.copyOf(body, body.length + 3);
        assertThat(WireCodec.decodeBody(Chat.Typing.class, ByteBuffer.wrap(longer)))
                .isEqualTo(new Chat.Typing(5, true));
    }

    @Test
    void fieldsMissingAtTheEndFromAnOlderPeerTakeDefaults() {
        byte[] body = bodyOf(new Contacts.SetPresence(Contacts.Presence.AWAY, "lunch"));
        byte[] presenceOnly = Arrays.copyOf(body, 2);
        assertThat(WireCodec.decodeBody(Contacts.SetPresence.class, ByteBuffer.wrap(presenceOnly)))
                .isEqualTo(new Contacts.SetPresence(Contacts.Presence.AWAY, ""));
    }

    @Test
    void truncatedFieldIsMalformed() {
        byte[] body = bodyOf(new Chat.FetchAfter(1, 2, 3));
        byte[] cut = Arrays.copyOf(body, 10); // the long afterSeq is cut in half
        assertThatThrownBy(() -> WireCodec.decodeBody(Chat.FetchAfter.class, ByteBuffer.wrap(cut)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("truncated");
    }

    @Test
    void aListCountLargerThanTheFrameIsRejectedBeforeAllocating() {
        // UserList with a count of 2^28 and no elements.
        byte[] body = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThatThrownBy(() -> WireCodec.decodeBody(Contacts.UserList.class, ByteBuffer.wrap(body)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("count");
    }

    @Test
    void aStringLongerThanTheFrameIsMalformed() {
        byte[] body = {0x7F, 'a', 'b'}; // claims 127 bytes, has 2
        assertThatThrownBy(() -> WireCodec.decodeBody(Contacts.RequestContact.class, ByteBuffer.wrap(body)))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void aVarIntThatOverflowsIsMalformed() {
        byte[] body = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
        assertThatThrownBy(() -> WireCodec.decodeBody(Contacts.RequestContact.class, ByteBuffer.wrap(body)))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void unknownEnumCodeAndBadBooleanAreMalformed() {
        byte[] presence = {0x00, 0x63, 0x00};
        assertThatThrownBy(() -> WireCodec.decodeBody(Contacts.SetPresence.class, ByteBuffer.wrap(presence)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("Presence");
        byte[] typing = new byte[9];
        typing[8] = 2;
        assertThatThrownBy(() -> WireCodec.decodeBody(Chat.Typing.class, ByteBuffer.wrap(typing)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("boolean");
    }

    @Test
    void encodingAFrameOverTheLimitFailsWithoutOutput() {
        var big = new Chat.Send(1, "x", Chat.Kind.TEXT, "a".repeat(2000), List.of());
        var w = new org.parley.protocol.codec.WireWriter(16);
        assertThatThrownBy(() -> WireCodec.writeFrame(w, new Frame(1, big), 1000))
                .isInstanceOf(FrameTooLargeException.class);
    }

    @Test
    void typeCodesAreUniqueAndTheReservedMediaRangeIsFree() {
        Map<Integer, Class<? extends Message>> all = MessageTypes.all();
        assertThat(all.keySet()).noneMatch(code -> code >> 8 == 0x06);
        assertThat(all.values()).doesNotHaveDuplicates();
        all.forEach((code, type) -> assertThat(MessageTypes.codeOf(type)).isEqualTo(code));
    }

    /**
     * A file chunk's frame is encoded once into an array of its own (the writer's, not copied again: #17), and the
     * bytes written are the frame: decoded back, the same chunk, in every version; a writer used again after giving
     * its array away starts afresh and leaves that array alone.
     */
    @Test
    void aFileChunksEncodedFrameIsTheChunkAndAWriterGivesItsArrayAwayOnlyWhenFull() {
        byte[] data = new byte[256 * 1024];
        new java.util.Random(17).nextBytes(data);
        var chunk = new org.parley.protocol.message.Transfers.FileChunk("file-1", 3L << 18, data);
        for (int v = Protocol.MIN_VERSION; v <= Protocol.MAX_VERSION; v++) {
            ByteBuffer bytes = EncodedFrame.of(new Frame(9, chunk), Protocol.ABSOLUTE_MAX_FRAME_BYTES).bytes(v);
            byte[] frame = new byte[bytes.remaining()];
            bytes.get(frame);
            ByteBuffer buf = ByteBuffer.wrap(frame);
            assertThat(buf.getInt()).isEqualTo(frame.length - Protocol.LENGTH_BYTES);
            assertThat(buf.getShort() & 0xFFFF).isEqualTo(MessageTypes.codeOf(chunk.getClass()));
            assertThat(buf.getInt()).isEqualTo(9);
            var back = (org.parley.protocol.message.Transfers.FileChunk) WireCodec.decodeBody(chunk.getClass(),
                    buf.slice(), v);
            assertThat(back.fileId()).isEqualTo("file-1");
            assertThat(back.offset()).isEqualTo(3L << 18);
            assertThat(back.data()).isEqualTo(data);
        }

        var w = new org.parley.protocol.codec.WireWriter(16);
        w.writeInt(7);
        assertThat(w.detach()).as("not full: a copy of what was written").containsExactly(0, 0, 0, 7);
        assertThat(w.position()).as("a copy leaves the writer as it was").isEqualTo(4);
        var full = new org.parley.protocol.codec.WireWriter(16);
        for (int i = 0; i < 4; i++) {
            full.writeInt(i + 1);
        }
        byte[] given = full.detach();
        assertThat(given).hasSize(16).startsWith(0, 0, 0, 1).endsWith(0, 0, 0, 4);
        assertThat(full.position()).isZero();
        full.writeInt(-1);
        assertThat(given).as("left alone by later writes").startsWith(0, 0, 0, 1);
        assertThat(full.toByteArray()).containsExactly(-1, -1, -1, -1);
    }

    private static byte[] bodyOf(Message message) {
        byte[] frame = WireCodec.encode(new Frame(0, message));
        return Arrays.copyOfRange(frame, Protocol.LENGTH_BYTES + Protocol.HEADER_BYTES, frame.length);
    }
}
