package org.parley.server.contacts;

import java.util.Map;

import org.parley.server.accounts.AccountPolicy.NumberSetting;

/**
 * How many contact requests may wait for an answer (docs/operations.md): without a bound one account could ask
 * everyone on the server, and many accounts could bury one user's real requests under theirs.
 *
 * @param maxPendingSent requests one account may have sent that wait for an answer ({@code QUOTA_EXCEEDED} beyond;
 *        the sender may cancel some with {@code RemoveContact})
 * @param maxPendingReceived requests that may wait for one user's answer ({@code QUOTA_EXCEEDED} for a further
 *        sender; the user makes room by answering)
 */
public record ContactLimits(int maxPendingSent, int maxPendingReceived) {

    /** The settings' names, defaults and help, for ServerConfig's table. */
    public static void addSettings(Map<String, String[]> settings) {
        settings.put("max-pending-contact-requests-sent", new String[] {"100",
            "contact requests one account may have waiting for an answer; more are refused with QUOTA_EXCEEDED"});
        settings.put("max-pending-contact-requests-received", new String[] {"200",
            "contact requests that may wait for one user's answer; more are refused with QUOTA_EXCEEDED"});
    }

    /** Reads the settings; {@code number} parses and range-checks a whole number setting. */
    public static ContactLimits from(NumberSetting number) {
        return new ContactLimits((int) number.get("max-pending-contact-requests-sent", 1, 1_000_000),
                (int) number.get("max-pending-contact-requests-received", 1, 1_000_000));
    }

    public static ContactLimits defaults() {
        return new ContactLimits(100, 200);
    }
}
