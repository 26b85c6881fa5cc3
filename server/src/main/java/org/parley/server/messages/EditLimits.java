package org.parley.server.messages;

import java.util.Map;

import org.parley.server.accounts.AccountPolicy.NumberSetting;

/**
 * How long after sending a message its sender may still edit or delete it (docs/operations.md); 0 = no limit. A
 * group's admins delete others' messages at any time.
 *
 * @param editWindowSeconds seconds after a message was stored during which its sender may edit it
 * @param deleteWindowSeconds seconds after a message was stored during which its sender may delete it
 */
public record EditLimits(long editWindowSeconds, long deleteWindowSeconds) {

    /** The settings' names, defaults and help, for ServerConfig's table. */
    public static void addSettings(Map<String, String[]> settings) {
        settings.put("edit-window-seconds", new String[] {"86400",
            "how long after sending a message its sender may edit it (0 = no limit)"});
        settings.put("delete-window-seconds", new String[] {"0",
            "how long after sending a message its sender may delete it (0 = no limit; group admins always may)"});
    }

    /** Reads the settings; {@code number} parses and range-checks a whole number setting. */
    public static EditLimits from(NumberSetting number) {
        return new EditLimits(number.get("edit-window-seconds", 0, 10L * 365 * 86400),
                number.get("delete-window-seconds", 0, 10L * 365 * 86400));
    }

    public static EditLimits defaults() {
        return new EditLimits(86400, 0);
    }
}
