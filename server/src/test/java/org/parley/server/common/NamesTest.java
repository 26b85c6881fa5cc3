package org.parley.server.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.protocol.ErrorCode;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"Ann Lee", "Zoë Ørsted", "李小龙", "محمد", "שלום עולם", "Anna 🙂", "Ⅻ Team",
        // ZWNJ inside a Persian word, ZWJ inside an emoji sequence (family, skin tone): where scripts need them
        "می\u200Cخواهم", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\uD83D\uDC4D\uD83C\uDFFD",
        "\u0915\u094D\u200D\u0937"})
    void visibleTextInAnyScriptIsAName(String name) {
        assertThat(Names.hidden(name)).isEqualTo(-1);
        assertThat(Names.shown("  " + name + " ", 100, "the display name")).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "invoice\u202Egnp.exe", // right-to-left override
        "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db", // embeddings, pop, left-to-right override
        "a\u2066b", "a\u2067b", "a\u2068b", "a\u2069b", // isolates
        "a\u200Eb", "a\u200Fb", "a\u061Cb", // direction marks
        "pay\u200Bpal", "a\u2060b", "a\uFEFFb", "a\u00ADb", // zero-width space, word joiner, BOM, soft hyphen
        "a\u0000b", "a\nb", "a\tb", "a\u0085b", "a\u2028b", "a\u2029b", // controls and separators
        "\u3164", "a\u115Fb", "a\uFFA0b", "a\u180Eb", "a\u2800b", // characters that render as nothing
        "a\uDB40\uDC41b", // a tag character
        "a\uD800b", // a lone surrogate
        "\u200Dab", "ab\u200D", "a \u200Db", "a\u200D\u200Db", "1\u200C2", // joiners out of place
    })
    void invisibleAndDirectionChangingCharactersAreRefused(String name) {
        assertThat(Names.hidden(name)).isNotNegative();
        assertThatThrownBy(() -> Names.shown(name, 100, "the title"))
                .isInstanceOfSatisfying(ParleyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("the title contains an invisible or direction-changing"
                            + " character (U+");
                });
    }

    @Test
    void theRefusalNamesTheCharacterAndWhereItIs() {
        assertThatThrownBy(() -> Names.shown("invoice\u202Egnp.exe", 100, "the display name"))
                .hasMessageContaining("U+202E at position 7");
    }

    @Test
    void lengthsAreBounded() {
        assertThat(Names.shown("x".repeat(100), Names.MAX_DISPLAY_NAME, "the display name")).hasSize(100);
        assertThatThrownBy(() -> Names.shown("x".repeat(101), Names.MAX_DISPLAY_NAME, "the display name"))
                .isInstanceOfSatisfying(ParleyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("longer than 100");
        assertThat(Names.shown(null, 10, "the status")).isEmpty();
    }

    /**
     * The JDK lowers a text of characters that grow when lowered ('İ' becomes "i̇") in time quadratic in its
     * length: a frame-sized user name of them held a request worker for minutes (OversizedFieldsIT). Names longer
     * than any user name are not lowered, and texts lowered for a check are cut first.
     */
    @Test
    void textsFromClientsAreNeverLoweredWhole() {
        assertThat(Names.canonical("  Ann.Lee ")).isEqualTo("ann.lee");
        assertThat(Names.canonical("İ".repeat(64))).isEqualTo("i\u0307".repeat(64));
        String huge = "İ".repeat(500_000);
        assertThat(Names.canonical(huge)).isSameAs(huge);
        assertThat(Names.isValid(Names.canonical(huge))).isFalse();
        assertThat(Names.lowerBounded(huge, 3)).isEqualTo("i\u0307".repeat(3));
        assertThat(Names.quoted(huge)).hasSizeLessThan(80).startsWith("'İİ").endsWith("(500000 characters)");
        assertThat(Names.quoted("bob")).isEqualTo("'bob'");
    }
}
