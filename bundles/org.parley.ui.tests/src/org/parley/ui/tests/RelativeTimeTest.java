package org.parley.ui.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.parley.contacts.ui.internal.RelativeTime;

/** The sidebar's times: the time today, "Yesterday", the weekday within a week, the date before. */
class RelativeTimeTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    /** Monday 7 December 2026, 09:30 in Paris. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 7, 9, 30, 0, 0, ZONE);

    private static String at(ZonedDateTime t) {
        return RelativeTime.format(t.toInstant().toEpochMilli(), NOW, Locale.UK);
    }

    @Test
    void todayIsTheTime() {
        assertThat(at(NOW.withHour(0).withMinute(5))).isEqualTo("00:05");
        assertThat(at(NOW.minusMinutes(1))).isEqualTo("09:29");
        assertThat(at(NOW.plusMinutes(2))).as("a sender's clock a little ahead").isEqualTo("09:32");
    }

    @Test
    void yesterdayIsSaid() {
        assertThat(at(NOW.minusDays(1).withHour(23).withMinute(59))).isEqualTo("Yesterday");
        assertThat(at(NOW.minusDays(1).withHour(0))).isEqualTo("Yesterday");
    }

    @Test
    void theLastWeekIsTheWeekdayAndBeforeThatTheDate() {
        assertThat(at(NOW.minusDays(2))).isEqualTo("Sat");
        assertThat(at(NOW.minusDays(6))).isEqualTo("Tue");
        assertThat(at(NOW.minusDays(7))).isEqualTo("30/11/2026");
        assertThat(at(NOW.minusYears(1))).isEqualTo("07/12/2025");
    }

    @Test
    void theUsersZoneDecidesTheDay() {
        // 23:30 UTC on Sunday is 00:30 on Monday in Paris: today there
        ZonedDateTime sundayUtc = ZonedDateTime.of(2026, 12, 6, 23, 30, 0, 0, ZoneId.of("UTC"));
        assertThat(at(sundayUtc.withZoneSameInstant(ZONE))).isEqualTo("00:30");
        assertThat(RelativeTime.format(sundayUtc.toInstant().toEpochMilli(), NOW.withZoneSameInstant(ZoneId.of(
                "UTC")), Locale.UK)).isEqualTo("Yesterday");
    }
}
