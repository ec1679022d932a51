package io.sensorflow.job.readings;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * The event-time forms a reading may carry, and how each becomes epoch milliseconds.
 *
 * <ul>
 *   <li>a number below {@value #SECONDS_LIMIT} is epoch seconds (fractions allowed), anything
 *       larger is epoch milliseconds: 10^11 seconds is the year 5138, and 10^11 milliseconds is
 *       March 1973, so real clocks of either kind never cross the line;
 *   <li>ISO-8601 with an offset or {@code Z}, e.g. {@code 2026-11-21T08:15:03.120Z};
 *   <li>{@code yyyy-MM-dd HH:mm:ss[.SSS]}, read as UTC;
 *   <li>a string of digits, read as a number.
 * </ul>
 * Times before 1970 are not accepted.
 */
public final class EventTimes {

    public static final long SECONDS_LIMIT = 100_000_000_000L;

    /** Returned when the value cannot be read. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final DateTimeFormatter SQL_STYLE = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .toFormatter()
            // Lenient or smart resolving would turn 2026-02-30 into 2026-02-28.
            .withResolverStyle(ResolverStyle.STRICT);

    private EventTimes() {}

    /** Epoch milliseconds from a JSON number, or {@link #INVALID}. */
    public static long fromNumber(double value) {
        if (!Double.isFinite(value) || value < 0) {
            return INVALID;
        }
        double millis = value < SECONDS_LIMIT ? value * 1000.0 : value;
        // Beyond ~year 292 million the long overflows; such a time is not a reading's.
        return millis < 9.0e15 ? (long) Math.floor(millis) : INVALID;
    }

    /** Epoch milliseconds from an integral JSON number, or {@link #INVALID}. */
    public static long fromLong(long value) {
        if (value < 0) {
            return INVALID;
        }
        if (value < SECONDS_LIMIT) {
            return value * 1000L;
        }
        return value < 9_000_000_000_000_000L ? value : INVALID;
    }

    /** Epoch milliseconds from a JSON string, or {@link #INVALID}. */
    public static long fromText(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return INVALID;
        }
        if (isDigits(s)) {
            return s.length() > 18 ? INVALID : fromLong(Long.parseLong(s));
        }
        long millis;
        try {
            if (s.length() > 10 && s.charAt(10) == ' ') {
                millis = LocalDateTime.parse(s, SQL_STYLE).toInstant(ZoneOffset.UTC).toEpochMilli();
            } else {
                millis = OffsetDateTime.parse(s).toInstant().toEpochMilli();
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
        return millis < 0 ? INVALID : millis;
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
