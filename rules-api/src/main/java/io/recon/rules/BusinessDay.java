package io.recon.rules;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * The business day an event time falls on, for checks per day (a value date, a daily total). Systems that
 * agree on the instant often disagree on the day: one counts in UTC, the other in the shop's zone, a bank
 * closes its day at a cut-off. Rules name the zone (and the cut-off) so the day is the same on every machine.
 */
public final class BusinessDay {

    private BusinessDay() {
    }

    /** The calendar date of {@code epochMillis} in {@code zone} (an IANA name such as "Europe/Berlin"). */
    public static LocalDate of(long epochMillis, String zone) {
        return Instant.ofEpochMilli(epochMillis).atZone(zoneOf(zone)).toLocalDate();
    }

    /**
     * The business day of {@code epochMillis} in {@code zone} when the day closes at {@code cutoff} ("HH:mm",
     * local time): an event at or after the cut-off belongs to the next day.
     */
    public static LocalDate of(long epochMillis, String zone, String cutoff) {
        ZonedDateTime local = Instant.ofEpochMilli(epochMillis).atZone(zoneOf(zone));
        LocalDate day = local.toLocalDate();
        return local.toLocalTime().isBefore(timeOf(cutoff)) ? day : day.plusDays(1);
    }

    /** {@link #of(long, String)} for a field of type {@code Instant}. */
    public static LocalDate of(Instant time, String zone) {
        return of(time.toEpochMilli(), zone);
    }

    /** {@link #of(long, String, String)} for a field of type {@code Instant}. */
    public static LocalDate of(Instant time, String zone, String cutoff) {
        return of(time.toEpochMilli(), zone, cutoff);
    }

    private static ZoneId zoneOf(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException("'" + zone + "' is not a time zone: name one such as \"Europe/Berlin\" or \"UTC\"", e);
        }
    }

    private static LocalTime timeOf(String cutoff) {
        try {
            return LocalTime.parse(cutoff);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("cut-off '" + cutoff + "' is not a time of day: write it as \"HH:mm\", e.g. \"23:00\"", e);
        }
    }
}
