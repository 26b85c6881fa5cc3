package org.parley.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.TreeMap;

import org.parley.protocol.Frame;
import org.parley.protocol.MessageTypes;
import org.parley.protocol.codec.MalformedFrameException;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Message;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Protocol version 2 (nested records with a length of their own, fields a version 1 connection does not see): any
 * bytes, decoded as the body of any message type, either decode or are refused with the two exceptions the
 * frame decoder turns into {@code MALFORMED_FRAME}: nothing else may escape (no NegativeArraySizeException, no
 * OutOfMemoryError from a count larger than the bytes left, no loop). What decodes encodes to a canonical form
 * that decodes to itself again.
 *
 * <p>The first two bytes of an input choose the message type: its wire code when they are one (so that a committed
 * input keeps its type when types are added), otherwise modulo the number of types; the rest is the body.
 * In the normal test run only the committed inputs under {@code src/test/resources/.../WireCodecVersion2FuzzTestInputs}
 * run (regression mode); {@code releng/scripts/fuzz.sh} fuzzes (see docs/testing.md).
 */
class WireCodecVersion2FuzzTest {

    private static final List<Class<? extends Message>> TYPES = List.copyOf(
            new TreeMap<Integer, Class<? extends Message>>(MessageTypes.all()).values());

    @FuzzTest(maxDuration = "60s")
    void anyVersion2BodyDecodesOrIsRefusedAsMalformed(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int code = (input[0] & 0xff) << 8 | (input[1] & 0xff);
        Class<? extends Message> type = MessageTypes.classOf(code) != null ? MessageTypes.classOf(code)
                : TYPES.get(code % TYPES.size());
        Message decoded;
        try {
            decoded = WireCodec.decodeBody(type, ByteBuffer.wrap(input, 2, input.length - 2).slice(), 2);
        } catch (MalformedFrameException | IllegalArgumentException refused) {
            return;
        }
        byte[] once = WireCodec.encode(new Frame(1, decoded), 2);
        Message again = WireCodec.decodeBody(type, ByteBuffer.wrap(once, 10, once.length - 10).slice(), 2);
        assertThat(WireCodec.encode(new Frame(1, again), 2)).as(type.getSimpleName() + " re-encodes canonically")
                .isEqualTo(once);
    }
}
