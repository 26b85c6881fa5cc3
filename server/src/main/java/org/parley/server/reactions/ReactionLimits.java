package org.parley.server.reactions;

import java.util.Map;

import org.parley.server.accounts.AccountPolicy.NumberSetting;

/**
 * The reaction settings (docs/operations.md).
 *
 * @param maxEmojiPerMessage most distinct emoji on one message
 * @param maxPerUser most reactions of one user on one message
 * @param perMinute reaction changes (adds and removes) one user may make a minute, in bursts of as many: each is
 *        pushed to every member online, so a tight limit keeps a toggling client from flooding a large group
 */
public record ReactionLimits(int maxEmojiPerMessage, int maxPerUser, int perMinute) {

    /** The settings' names, defaults and help, for ServerConfig's table. */
    public static void addSettings(Map<String, String[]> settings) {
        settings.put("reactions-max-emoji", new String[] {"20", "most distinct emoji reactions on one message"});
        settings.put("reactions-max-per-user", new String[] {"10",
            "most reactions of one user on one message"});
        settings.put("reactions-per-minute", new String[] {"120",
            "reaction adds and removes one user may make a minute (in bursts of as many)"});
    }

    /** Reads the settings; {@code number} parses and range-checks a whole number setting. */
    public static ReactionLimits from(NumberSetting number) {
        return new ReactionLimits((int) number.get("reactions-max-emoji", 1, 1000),
                (int) number.get("reactions-max-per-user", 1, 1000), (int) number.get("reactions-per-minute", 1,
                        1_000_000));
    }

    public static ReactionLimits defaults() {
        return new ReactionLimits(20, 10, 120);
    }
}
