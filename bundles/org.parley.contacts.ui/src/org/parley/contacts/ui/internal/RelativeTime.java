package org.parley.contacts.ui.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * When a conversation's last message came, as the sidebars of Slack and Element say it: the time for today
 * ("14:05"), "Yesterday", the weekday within the last week ("Mon"), the date before that.
 */
public final class RelativeTime {

    private RelativeTime() {
    }

    /** {@code millis} as seen at {@code now} (whose zone is the user's). */
    public static String format(long millis, ZonedDateTime now, Locale locale) {
        ZonedDateTime then = Instant.ofEpochMilli(millis).atZone(now.getZone());
        LocalDate day = then.toLocalDate();
        LocalDate today = now.toLocalDate();
        if (day.equals(today) || day.isAfter(today)) { // a clock a little ahead counts as today
            return DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale).format(then);
        }
        if (day.equals(today.minusDays(1))) {
            return Messages.Time_yesterday;
        }
        if (day.isAfter(today.minusDays(7))) {
            return then.getDayOfWeek().getDisplayName(TextStyle.SHORT, locale);
        }
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT).withLocale(locale).format(then);
    }
}
