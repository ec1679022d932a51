package io.sensorflow.job.readings;

import java.text.ParsePosition;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalField;
import java.util.Set;

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

    /**
     * Epoch milliseconds from a JSON string, or {@link #INVALID}.
     *
     * <p>It throws nothing and catches nothing on the way: a payload may repeat a bad time string
     * thousands of times, and an exception per string (java.time reports every unreadable text with
     * one) costs microseconds each. The usual forms are read by hand; any other text that could be
     * one of the accepted forms is read by java.time without resolving ({@code parseUnresolved}
     * reports errors by position, not by exception) and its fields are checked here as java.time's
     * strict resolving would check them.
     */
    public static long fromText(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return INVALID;
        }
        if (isDigits(s)) {
            return s.length() > 18 ? INVALID : fromLong(Long.parseLong(s));
        }
        boolean sqlStyle = s.length() > 10 && s.charAt(10) == ' ';
        long millis = usualForm(s, sqlStyle);
        return millis == NOT_USUAL ? anyForm(s, sqlStyle) : millis;
    }

    /** {@link #usualForm}'s answer for a text not in a usual form. */
    private static final long NOT_USUAL = Long.MIN_VALUE + 1;

    /**
     * Reads {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]} followed by {@code Z} or {@code ±HH:MM} (the
     * {@code T} and {@code Z} in either case, as java.time reads them), or, when
     * {@code sqlStyle}, {@code yyyy-MM-dd HH:mm:ss[.f{1,9}]}; {@link #NOT_USUAL} for any other text.
     */
    private static long usualForm(String s, boolean sqlStyle) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return NOT_USUAL;
        }
        char t = s.charAt(10);
        if (sqlStyle ? t != ' ' : t != 'T' && t != 't') {
            return NOT_USUAL;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return NOT_USUAL;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 10 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i++) - '0');
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return NOT_USUAL;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds = 0;
        if (sqlStyle) {
            if (i != n) {
                return NOT_USUAL;
            }
        } else if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, 2);
            int minutes = digits(s, i + 4, 2);
            if ((hours | minutes) < 0) {
                return NOT_USUAL;
            }
            if (minutes > 59 || hours * 3600 + minutes * 60 > MAX_OFFSET_SECONDS) {
                return INVALID;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return NOT_USUAL;
        }
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour > 23 || minute > 59 || second > 59) {
            return INVALID;
        }
        long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second - offsetSeconds;
        return epochSecond < 0 ? INVALID : epochSecond * 1000L + nanos / 1_000_000;
    }

    private static final int MAX_OFFSET_SECONDS = 18 * 3600;
    /** No text java.time reads with either form is longer: a sign and 19 digits of year, a fraction, an offset. */
    private static final int MAX_TEXT = 64;

    private static final Set<TemporalField> LOCAL_FIELDS = Set.of(ChronoField.YEAR, ChronoField.MONTH_OF_YEAR,
            ChronoField.DAY_OF_MONTH, ChronoField.HOUR_OF_DAY, ChronoField.MINUTE_OF_HOUR, ChronoField.SECOND_OF_MINUTE,
            ChronoField.NANO_OF_SECOND);

    /**
     * Any other text, read as {@code OffsetDateTime.parse} ({@link DateTimeFormatter#ISO_OFFSET_DATE_TIME})
     * or {@link #SQL_STYLE} read it, without an exception: java.time reads the date and time without
     * resolving them ({@code parseUnresolved} reports errors by position), the fields are checked
     * as its strict resolving checks them, and the offset is read here (java.time's offset reader
     * throws on an hour from 24 to 59).
     */
    private static long anyForm(String s, boolean sqlStyle) {
        char first = s.charAt(0);
        if (s.length() > MAX_TEXT || !(isDigit(first) || first == '+' || first == '-')) {
            return INVALID; // both forms start with a year: digits, or a sign and digits
        }
        ParsePosition position = new ParsePosition(0);
        TemporalAccessor read = (sqlStyle ? SQL_STYLE : DateTimeFormatter.ISO_LOCAL_DATE_TIME).parseUnresolved(s, position);
        if (read == null || position.getErrorIndex() >= 0) {
            return INVALID;
        }
        long offset = sqlStyle ? (position.getIndex() == s.length() ? 0 : NO_OFFSET) : offsetSeconds(s, position.getIndex());
        if (offset == NO_OFFSET) {
            return INVALID;
        }
        for (ChronoField f : ChronoField.values()) {
            if (read.isSupported(f) && !LOCAL_FIELDS.contains(f)) {
                return INVALID; // neither formatter reads other fields
            }
        }
        if (!read.isSupported(ChronoField.YEAR) || !read.isSupported(ChronoField.MONTH_OF_YEAR)
                || !read.isSupported(ChronoField.DAY_OF_MONTH) || !read.isSupported(ChronoField.HOUR_OF_DAY)
                || !read.isSupported(ChronoField.MINUTE_OF_HOUR)) {
            return INVALID;
        }
        long year = read.getLong(ChronoField.YEAR);
        long month = read.getLong(ChronoField.MONTH_OF_YEAR);
        long day = read.getLong(ChronoField.DAY_OF_MONTH);
        long hour = read.getLong(ChronoField.HOUR_OF_DAY);
        long minute = read.getLong(ChronoField.MINUTE_OF_HOUR);
        long second = read.isSupported(ChronoField.SECOND_OF_MINUTE) ? read.getLong(ChronoField.SECOND_OF_MINUTE) : 0;
        long nanos = read.isSupported(ChronoField.NANO_OF_SECOND) ? read.getLong(ChronoField.NANO_OF_SECOND) : 0;
        if (!ChronoField.YEAR.range().isValidValue(year) || month < 1 || month > 12
                || day < 1 || day > lengthOfMonth(year, (int) month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || nanos < 0 || nanos > 999_999_999) {
            return INVALID;
        }
        // |year| < 10^9, so the seconds fit in a long; the milliseconds may not, where java.time's overflowed.
        long epochSecond = epochDay(year, (int) month, (int) day) * 86_400L + hour * 3600 + minute * 60 + second - offset;
        long millisOfSecond = nanos / 1_000_000;
        if (epochSecond < 0 || epochSecond > (Long.MAX_VALUE - millisOfSecond) / 1000L) {
            return INVALID;
        }
        return epochSecond * 1000L + millisOfSecond;
    }

    /** {@link #offsetSeconds}'s answer when there is no offset it can read. */
    private static final long NO_OFFSET = Long.MIN_VALUE;

    /**
     * The offset at {@code from} up to the end of {@code s}, read as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}
     * reads it (leniently, as {@code +HH:mm:ss}: {@code Z} in either case, or a sign, two digits of
     * hours and optionally {@code :mm} and then {@code :ss}), within java.time's ±18:00; or
     * {@link #NO_OFFSET}.
     */
    private static long offsetSeconds(String s, int from) {
        int n = s.length();
        if (from == n - 1 && (s.charAt(from) == 'Z' || s.charAt(from) == 'z')) {
            return 0;
        }
        if (from + 3 > n || s.charAt(from) != '+' && s.charAt(from) != '-') {
            return NO_OFFSET;
        }
        int hours = digits(s, from + 1, 2);
        int minutes = 0;
        int seconds = 0;
        int i = from + 3;
        int m = twoDigitsAfterColon(s, i);
        if (m >= 0) {
            minutes = m;
            i += 3;
            int sec = twoDigitsAfterColon(s, i);
            if (sec >= 0) {
                seconds = sec;
                i += 3;
            }
        }
        if (hours < 0 || hours > 23 || i != n) {
            return NO_OFFSET;
        }
        int total = hours * 3600 + minutes * 60 + seconds;
        if (total > MAX_OFFSET_SECONDS) {
            return NO_OFFSET;
        }
        return s.charAt(from) == '-' ? -total : total;
    }

    /** The value of {@code :dd} at {@code from} if it is at most 59, else -1. */
    private static int twoDigitsAfterColon(String s, int from) {
        if (from + 3 > s.length() || s.charAt(from) != ':') {
            return -1;
        }
        int v = digits(s, from + 1, 2);
        return v <= 59 ? v : -1;
    }

    /** Days from 1970-01-01 to the date, in the proleptic Gregorian calendar (as {@code LocalDate.toEpochDay}). */
    private static long epochDay(long year, int month, int day) {
        long y = year;
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        } else {
            total -= y / -4 - y / -100 + y / -400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeap(year)) {
                total--;
            }
        }
        return total - DAYS_0000_TO_1970;
    }

    private static final long DAYS_0000_TO_1970 = (146_097L * 5L) - (30L * 365L + 7L);

    private static boolean isLeap(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int lengthOfMonth(long year, int month) {
        switch (month) {
            case 2:
                return isLeap(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 if they are not all digits. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
