package org.parley.protocol;

import java.text.BreakIterator;
import java.util.Locale;

/**
 * What counts as one emoji in a reaction, for the server (which refuses anything else) and for clients (which
 * check before sending). An emoji is one grapheme cluster (what a reader sees as one character: a flag, a
 * family joined by zero-width joiners, a skin tone modifier on a hand) of at most {@link #MAX_CHARS} UTF-16 units,
 * made only of code points Unicode lists as emoji or emoji components (joiners, variation selector 16, skin tones,
 * regional indicators, keycap, tags), with at least one emoji that is not ASCII or a keycap (so "1", "#" or a
 * lone joiner is not an emoji, but the keycap "1️⃣" is).
 */
public final class Emoji {

    /** The longest emoji in UTF-16 units: the longest sequences Unicode defines (a couple kissing with skin tones, flags of subdivisions) stay below it. */
    public static final int MAX_CHARS = 32;

    private static final int ZWJ = 0x200D;
    private static final int VS16 = 0xFE0F;
    private static final int KEYCAP = 0x20E3;

    private Emoji() {
    }

    /** Whether {@code s} is one emoji (see the class comment). */
    public static boolean isEmoji(String s) {
        return problem(s) == null;
    }

    /** Why {@code s} is not one emoji, in a sentence, or null when it is one. */
    public static String problem(String s) {
        if (s == null || s.isEmpty()) {
            return "a reaction needs an emoji";
        }
        if (s.length() > MAX_CHARS) {
            return "an emoji has at most " + MAX_CHARS + " UTF-16 units; this one has " + s.length();
        }
        boolean base = false;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            if (Character.isSurrogate(s.charAt(i)) && !Character.isSupplementaryCodePoint(cp)) {
                return "the emoji holds a lone surrogate at " + i;
            }
            if (!(Character.isEmoji(cp) || Character.isEmojiComponent(cp) || cp == ZWJ || cp == VS16
                    || cp == KEYCAP)) {
                return String.format(Locale.ROOT, "U+%04X at %d is not part of an emoji", cp, i);
            }
            base |= Character.isEmoji(cp) && cp > 0x7F || cp == KEYCAP;
            i += Character.charCount(cp);
        }
        if (!base) {
            return "\"" + s + "\" is not an emoji";
        }
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(s);
        graphemes.first();
        if (graphemes.next() != s.length()) {
            return "a reaction is one emoji, not several";
        }
        return null;
    }
}
