package org.parley.server.accounts;

import java.util.Locale;
import java.util.Map;

/**
 * Who may create accounts and see whom, and the rules for passwords (server settings, docs/operations.md
 * "Registration and passwords", docs/security.md).
 *
 * @param registration who may register: anyone, holders of an invitation code, or nobody (admins create accounts)
 * @param usersMayInvite whether every user, not only administrators, may create invitations
 * @param invitationMillis how long an invitation code registers someone
 * @param resetMillis how long a password reset code works
 * @param minPasswordLength shortest password accepted for a new account or a new password
 * @param directory what SearchUsers searches: every account, or the caller's contacts and the people who share a
 *        conversation with the caller
 */
public record AccountPolicy(Registration registration, boolean usersMayInvite, long invitationMillis,
        long resetMillis, int minPasswordLength, Directory directory) {

    /** Setting {@code registration}. */
    public enum Registration {
        /** Anyone who reaches the port may register. */
        OPEN,
        /** Registering needs an invitation code; a server without accounts lets its first one register (admin). */
        INVITE,
        /** Only administrators create accounts; a server without accounts lets its first one register (admin). */
        CLOSED
    }

    /** Setting {@code directory}. */
    public enum Directory {
        /** SearchUsers finds every enabled account. */
        ORGANIZATION,
        /** SearchUsers finds only contacts and people who share a conversation with the caller. */
        CONTACTS
    }

    /** The longest password accepted (a longer one is refused before hashing). */
    public static final int MAX_PASSWORD = 1024;

    /** The settings' names, defaults and help, for ServerConfig's table. */
    public static void addSettings(Map<String, String[]> settings) {
        settings.put("registration", new String[] {"invite", "who may create an account: open (anyone), invite "
            + "(with an invitation code), closed (only admins); with invite or closed, the first account to "
            + "register on a server without accounts becomes its administrator"});
        settings.put("users-may-invite", new String[] {"false",
            "every user (not only admins) may create invitation codes"});
        settings.put("invitation-hours", new String[] {"168", "how long an invitation code registers someone"});
        settings.put("password-reset-hours", new String[] {"24", "how long a password reset code works"});
        settings.put("min-password-length", new String[] {"8",
            "shortest password accepted (common passwords are refused whatever their length)"});
        settings.put("directory", new String[] {"organization", "what user search finds: organization (every "
            + "account) or contacts (contacts and people sharing a conversation)"});
    }

    /** Reads the settings; {@code number} parses and range-checks a whole number setting. */
    public static AccountPolicy from(Map<String, String> v, NumberSetting number) {
        return new AccountPolicy(choice(v, "registration", Registration.class), flag(v, "users-may-invite"),
                number.get("invitation-hours", 1, 24 * 365) * 3_600_000L,
                number.get("password-reset-hours", 1, 24 * 30) * 3_600_000L,
                (int) number.get("min-password-length", 8, MAX_PASSWORD), choice(v, "directory", Directory.class));
    }

    /** Parses a whole-number setting within bounds (ServerConfig's, so that errors read the same). */
    @FunctionalInterface
    public interface NumberSetting {
        long get(String name, long min, long max);
    }

    private static <E extends Enum<E>> E choice(Map<String, String> v, String name, Class<E> type) {
        String s = v.get(name).strip();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(name + " must be one of " + allowed + ", was '" + s + "'");
    }

    private static boolean flag(Map<String, String> v, String name) {
        String s = v.get(name).strip();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(name + " must be true or false, was '" + s + "'");
    }
}
