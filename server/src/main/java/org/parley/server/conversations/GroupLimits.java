package org.parley.server.conversations;

import java.util.Map;

import org.parley.server.accounts.AccountPolicy.NumberSetting;

/**
 * How many groups one account may create (docs/operations.md): each group is a row, a member list and a SYSTEM
 * message for every member, so an account that scripts {@code CreateGroup} could otherwise fill the database and
 * other users' sidebars over time, however slowly its requests are spaced.
 *
 * @param perDay groups one account may create in any 24 hours ({@code RATE_LIMITED} beyond)
 * @param maxCreated groups created by one account that exist at once ({@code QUOTA_EXCEEDED} beyond; a group an
 *        administrator deleted no longer counts)
 */
public record GroupLimits(int perDay, int maxCreated) {

    /** The settings' names, defaults and help, for ServerConfig's table. */
    public static void addSettings(Map<String, String[]> settings) {
        settings.put("groups-per-day", new String[] {"50",
            "groups one account may create in any 24 hours; more are refused with RATE_LIMITED"});
        settings.put("max-groups-created", new String[] {"1000",
            "groups created by one account that may exist at once; more are refused with QUOTA_EXCEEDED"});
    }

    /** Reads the settings; {@code number} parses and range-checks a whole number setting. */
    public static GroupLimits from(NumberSetting number) {
        return new GroupLimits((int) number.get("groups-per-day", 1, 1_000_000),
                (int) number.get("max-groups-created", 1, 100_000_000));
    }

    public static GroupLimits defaults() {
        return new GroupLimits(50, 1000);
    }
}
