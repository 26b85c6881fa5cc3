package org.parley.server.accounts;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * One-time codes people pass on by hand (invitations, password resets): 20 characters of an alphabet without
 * look-alikes (100 random bits), shown in groups of five ({@code ABCDE-FGHJK-...}). Reading one ignores case,
 * spaces and dashes. Only a code's SHA-256 is stored.
 */
public final class Codes {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Codes() {
    }

    public static String newCode() {
        StringBuilder b = new StringBuilder(LENGTH + 3);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 5 == 0) {
                b.append('-');
            }
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** The code as stored: upper case, without spaces and dashes (bounded, so that any input is cheap). */
    static String normalize(String code) {
        String c = code == null ? "" : code;
        if (c.length() > 100) {
            c = c.substring(0, 100);
        }
        return c.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    /** SHA-256 of the normalized code. */
    public static byte[] hash(String code) {
        return AccountService.hashToken(normalize(code));
    }
}
