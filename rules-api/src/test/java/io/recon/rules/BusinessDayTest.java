package io.recon.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class BusinessDayTest {

    private static long utc(String time) {
        return Instant.parse(time).toEpochMilli();
    }

    @Test
    void oneInstantFallsOnDifferentDaysInDifferentZones() {
        long lateEveningInNewYork = utc("2026-03-02T03:30:00Z"); // 22:30 on March 1 in New York, 11:30 on March 2 in Shanghai

        assertThat(BusinessDay.of(lateEveningInNewYork, "America/New_York")).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(BusinessDay.of(lateEveningInNewYork, "Asia/Shanghai")).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(BusinessDay.of(lateEveningInNewYork, "UTC")).isEqualTo(LocalDate.of(2026, 3, 2));
    }

    @Test
    void anEventAtOrAfterTheCutOffBelongsToTheNextDay() {
        // 23:00 in Shanghai is 15:00 UTC
        assertThat(BusinessDay.of(utc("2026-01-01T14:59:59.999Z"), "Asia/Shanghai", "23:00")).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(BusinessDay.of(utc("2026-01-01T15:00:00Z"), "Asia/Shanghai", "23:00")).isEqualTo(LocalDate.of(2026, 1, 2));
        assertThat(BusinessDay.of(Instant.parse("2026-01-01T15:00:00Z"), "Asia/Shanghai", "23:00")).isEqualTo(LocalDate.of(2026, 1, 2));
    }

    @Test
    void theCutOffIsLocalTimeAcrossADaylightSavingChange() {
        // Berlin moves from UTC+1 to UTC+2 on 2026-03-29: a 22:00 cut-off is 21:00 UTC before, 20:00 UTC after
        assertThat(BusinessDay.of(utc("2026-03-28T20:30:00Z"), "Europe/Berlin", "22:00")).isEqualTo(LocalDate.of(2026, 3, 28));
        assertThat(BusinessDay.of(utc("2026-03-29T20:30:00Z"), "Europe/Berlin", "22:00")).isEqualTo(LocalDate.of(2026, 3, 30));
    }

    @Test
    void aWrongZoneOrCutOffSaysHowToWriteIt() {
        assertThatThrownBy(() -> BusinessDay.of(0, "Europe/Atlantis"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Europe/Atlantis' is not a time zone");
        assertThatThrownBy(() -> BusinessDay.of(0, "UTC", "11pm"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut-off '11pm' is not a time of day");
    }
}
