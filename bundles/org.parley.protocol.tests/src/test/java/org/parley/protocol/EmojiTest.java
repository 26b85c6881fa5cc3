package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.protocol.codec.WireCodec;
import org.parley.protocol.message.Chat;
import org.parley.protocol.message.Reactions;

/** What one emoji is (reactions), and how a message's reaction summary travels in versions 1 and 2. */
class EmojiTest {

    @ParameterizedTest
    @ValueSource(strings = {"\uD83D\uDC4D", "\u2764\uFE0F", "\uD83D\uDE02", "\uD83C\uDF89", "\uD83D\uDE2E",
            "\uD83D\uDE22", "\uD83D\uDC4D\uD83C\uDFFD", // thumbs up, medium skin tone
            "\uD83C\uDDEB\uD83C\uDDF7", // the flag of France (two regional indicators)
            "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67", // a family, joined by ZWJ
            "1\uFE0F\u20E3", // keycap 1
            "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F", // Scotland (tags)
            "\u00A9"})
    void oneEmojiIsAccepted(String emoji) {
        assertThat(Emoji.problem(emoji)).isNull();
        assertThat(Emoji.isEmoji(emoji)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "1", "#", "ok", "\uD83D\uDC4D\uD83D\uDC4D", "\uD83D\uDC4D ", " \uD83D\uDC4D",
            "\uD83D\uDC4Dx", "\u200D", "\uD83C\uDDEB\uD83C\uDDF7\uD83C\uDDE9", "\uD83D", "\u202E\uD83D\uDC4D",
            "<script>"})
    void anythingElseIsRefusedWithAReason(String notOne) {
        assertThat(Emoji.problem(notOne)).isNotBlank();
        assertThat(Emoji.isEmoji(notOne)).isFalse();
    }

    @Test
    void anOverlongSequenceIsRefusedByLength() {
        String longOne = "\uD83D\uDC69\u200D".repeat(11) + "\uD83D\uDC67";
        assertThat(Emoji.problem(longOne)).contains("at most " + Emoji.MAX_CHARS);
    }

    @Test
    void aVersion1ConnectionCarriesNoReactionsAndAVersion2OneCarriesThem() {
        var summary = List.of(new Reactions.Reaction("\uD83D\uDC4D", List.of("ann", "bob")));
        var reacted = new Chat.ChatMessage(42, 12, 5, "bob", "77ab", Chat.Kind.TEXT, "ship it?", List.of(), summary);
        var plain = new Chat.ChatMessage(42, 12, 5, "bob", "77ab", Chat.Kind.TEXT, "ship it?", List.of());
        byte[] v1 = body(new Chat.NewMessage(reacted), 1);
        assertThat(v1).isEqualTo(body(new Chat.NewMessage(plain), 1));
        assertThat(((Chat.NewMessage) decode(v1, 1)).message().reactions()).isEmpty();
        assertThat(((Chat.NewMessage) decode(body(new Chat.NewMessage(reacted), 2), 2)).message()).isEqualTo(reacted);
    }

    private static byte[] body(Chat.NewMessage m, int version) {
        byte[] frame = WireCodec.encode(new Frame(0, m), version);
        return Arrays.copyOfRange(frame, Protocol.LENGTH_BYTES + Protocol.HEADER_BYTES, frame.length);
    }

    private static Object decode(byte[] body, int version) {
        return WireCodec.decodeBody(Chat.NewMessage.class, ByteBuffer.wrap(body), version);
    }
}
