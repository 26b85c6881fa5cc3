package org.parley.server.accounts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;

/**
 * What a new password must be: at least {@code min-password-length} characters, at most
 * {@link AccountPolicy#MAX_PASSWORD}, not the user name, and not one of the 10,000 most common passwords (the
 * resource {@code common-passwords.txt}, compared case-insensitively). Refusals are INVALID_ARGUMENT with the rule.
 */
public final class PasswordRules {

    private static final String LIST = "common-passwords.txt";
    private static volatile Set<String> common;

    private final int minLength;

    public PasswordRules(int minLength) {
        this.minLength = minLength;
    }

    /** Returns the password if a new account or a new password may have it; refuses it otherwise. */
    public String check(String password, String userName) {
        if (password == null || password.length() < minLength) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT,
                    "a password needs at least " + minLength + " characters");
        }
        if (password.length() > AccountPolicy.MAX_PASSWORD) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT,
                    "a password may have at most " + AccountPolicy.MAX_PASSWORD + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (userName != null && lower.equals(userName.toLowerCase(Locale.ROOT))) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT, "the password must not be the user name");
        }
        if (commonPasswords().contains(lower)) {
            throw new ParleyException(ErrorCode.INVALID_ARGUMENT,
                    "this password is one of the most common passwords, which are tried first: choose another");
        }
        return password;
    }

    /** Whether {@code password} is on the list of common passwords (case-insensitively). */
    public static boolean isCommon(String password) {
        return commonPasswords().contains(password.toLowerCase(Locale.ROOT));
    }

    private static Set<String> commonPasswords() {
        Set<String> set = common;
        if (set == null) {
            set = load();
            common = set;
        }
        return set;
    }

    private static Set<String> load() {
        Set<String> set = new HashSet<>(16_384);
        try (InputStream in = PasswordRules.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + LIST + " is missing from the server");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    set.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(set);
    }
}
