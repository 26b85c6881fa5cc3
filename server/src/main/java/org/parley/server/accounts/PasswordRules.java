package org.parley.server.accounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nulabinc.zxcvbn.StandardDictionaries;
import org.parley.protocol.ErrorCode;
import org.parley.server.common.ParleyException;

/**
 * What a new password must be: at least {@code min-password-length} characters, at most
 * {@link AccountPolicy#MAX_PASSWORD}, not the user name, and not one of the {@value #COMMON} most common passwords
 * (the head of zxcvbn's frequency list of leaked passwords, as the zxcvbn4j library ships it; compared
 * case-insensitively). Refusals are INVALID_ARGUMENT with the rule.
 */
public final class PasswordRules {

    /** How many of the most common passwords are refused. */
    static final int COMMON = 10_000;
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
        List<String> byFrequency;
        try {
            byFrequency = StandardDictionaries.PASSWORDS_LOADER.load().getFrequencies();
        } catch (IOException e) {
            throw new UncheckedIOException("zxcvbn's password list could not be read", e);
        }
        Set<String> set = new HashSet<>(2 * COMMON);
        for (String p : byFrequency.subList(0, Math.min(COMMON, byFrequency.size()))) {
            set.add(p.strip().toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(set);
    }
}
