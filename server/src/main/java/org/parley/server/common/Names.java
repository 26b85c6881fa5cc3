package org.parley.server.common;

import java.util.Locale;
import java.util.regex.Pattern;

import org.parley.protocol.ErrorCode;

/**
 * The rules for names: user names (2–32 characters of a–z, 0–9, '.', '_' and '-', compared in lower case), and
 * the names and texts a user sets that others see (display name, group title, status text), which may hold any
 * visible text but no character that is invisible or that changes the direction of the text around it.
 */
public final class Names {

    /** Longest display name, group title and status text, in UTF-16 units (what protocol.md documents). */
    public static final int MAX_DISPLAY_NAME = 100;
    public static final int MAX_TITLE = 100;
    public static final int MAX_STATUS = 200;

    private static final Pattern VALID = Pattern.compile("[a-z0-9._-]{2,32}");
    private static final int ZWNJ = 0x200C;
    private static final int ZWJ = 0x200D;

    private Names() {
    }

    /** Most characters of a client's text quoted back in an error message. */
    private static final int MAX_QUOTED = 40;

    /**
     * {@code text} in quotes for an error message, cut to a few dozen characters: an answer that quoted a
     * frame-sized field back whole would be larger than a frame.
     */
    public static String quoted(String text) {
        return "'" + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…' (" + text.length()
                + " characters)" : text + "'");
    }

    /** The canonical form of a user name someone typed. */
    public static String canonical(String name) {
        if (name == null) {
            return "";
        }
        String n = name.strip();
        // No user name is this long, so no account matches it lowered or not; and the JDK lowers a text of
        // characters that grow when lowered ('İ' becomes "i̇") in time quadratic in its length: a frame-sized name
        // of them took minutes of a request worker.
        return n.length() > MAX_CANONICAL ? n : n.toLowerCase(Locale.ROOT);
    }

    /** Longest text lowered by {@link #canonical}; longer ones cannot be user names (2 to 32 characters). */
    private static final int MAX_CANONICAL = 64;

    /**
     * {@code text} in lower case, cut to {@code max} characters first: see {@link #canonical} for why a text from a
     * client is never lowered whole.
     */
    public static String lowerBounded(String text, int max) {
        return (text.length() > max ? text.substring(0, max) : text).toLowerCase(Locale.ROOT);
    }

    /** Whether a canonical name follows the rule for user names. */
    public static boolean isValid(String canonical) {
        return VALID.matcher(canonical).matches();
    }

    /** The canonical name, or INVALID_ARGUMENT explaining the rule. */
    public static String requireValid(String name) {
        String c = canonical(name);
        if (!VALID.matcher(c).matches()) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT,
                    "a user name has 2 to 32 characters: letters, digits, '.', '_' or '-'");
        }
        return c;
    }

    /** Trims and bounds free text that nobody else is shown (a search, a device name); never returns null. */
    public static String text(String s, int max, String what) {
        String t = s == null ? "" : s.strip();
        if (t.length() > max) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, what + " is longer than " + max + " characters");
        }
        return t;
    }

    /**
     * Trims and bounds a name or text a user sets that others are shown (display name, group title, status), and
     * refuses with INVALID_ARGUMENT any character that {@link #hidden} finds: a name must look like what it is.
     */
    public static String shown(String s, int max, String what) {
        String t = text(s, max, what);
        int bad = hidden(t);
        if (bad >= 0) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, what + " contains an invisible or direction-"
                    + "changing character (" + String.format(Locale.ROOT, "U+%04X", t.codePointAt(bad))
                    + " at position " + bad + "); remove it");
        }
        return t;
    }

    /**
     * The index of the first character of {@code s} that may not be in a name shown to others, or -1. Refused:
     * controls (C0, C1, line and paragraph separators), every format character (bidi embeddings, overrides and
     * isolates, marks such as U+200E/U+200F/U+061C, zero-width space, word joiner, soft hyphen, BOM, tags),
     * characters that render as nothing (Hangul fillers, U+180E, the blank braille pattern), unassigned code points and lone
     * surrogates. Two format characters are kept where scripts and emoji need them: the zero-width non-joiner and
     * joiner, only between two letters, marks or symbols.
     */
    public static int hidden(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (cp == ZWJ || cp == ZWNJ) {
                if (i == 0 || next >= s.length() || !joinable(s.codePointBefore(i)) || !joinable(s.codePointAt(next))) {
                    return i;
                }
            } else if (refused(cp)) {
                return i;
            }
            i = next;
        }
        return -1;
    }

    private static boolean refused(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.UNASSIGNED, Character.SURROGATE -> {
                return true;
            }
            default -> {
                return cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x180E
                        || cp == 0x2800;
            }
        }
    }

    private static boolean joinable(int cp) {
        if (cp == ZWJ || cp == ZWNJ || refused(cp)) {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK, Character.OTHER_SYMBOL,
                    Character.MODIFIER_SYMBOL -> true;
            default -> false;
        };
    }
}
