package org.parley.server.common;

import java.util.Locale;
import java.util.regex.Pattern;

import org.parley.protocol.ErrorCode;

/** User-name rules: 2–32 characters of a–z, 0–9, '.', '_' and '-', compared in lower case. */
public final class Names {

    private static final Pattern VALID = Pattern.compile("[a-z0-9._-]{2,32}");

    private Names() {
    }

    /** The canonical form of a user name someone typed. */
    public static String canonical(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
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

    /** Trims and bounds free text (display names, titles, status); never returns null. */
    public static String text(String s, int max, String what) {
        String t = s == null ? "" : s.strip();
        if (t.length() > max) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, what + " is longer than " + max + " characters");
        }
        return t;
    }
}
