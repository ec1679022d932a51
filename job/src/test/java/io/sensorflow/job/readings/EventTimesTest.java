package io.sensorflow.job.readings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event-time forms, one by one. Expected epoch milliseconds were worked out by hand / with {@code date -u}. */
class EventTimesTest {

    private static final long INVALID = Long.MIN_VALUE;

    @Test
    void invalidMarkerIsLongMinValue() {
        assertThat(EventTimes.INVALID).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void secondsLimitIsTenToTheEleven() {
        assertThat(EventTimes.SECONDS_LIMIT).isEqualTo(100_000_000_000L);
    }

    // --- integral numbers ------------------------------------------------------------------------

    @Test
    void epochSecondsFromLong() {
        assertThat(EventTimes.fromLong(1_763_712_000L)).isEqualTo(1_763_712_000_000L);
        assertThat(EventTimes.fromLong(1L)).isEqualTo(1_000L);
        assertThat(EventTimes.fromLong(0L)).isEqualTo(0L);
    }

    @Test
    void epochMillisFromLong() {
        assertThat(EventTimes.fromLong(1_795_248_903_120L)).isEqualTo(1_795_248_903_120L);
    }

    @Test
    void boundaryFromLong() {
        assertThat(EventTimes.fromLong(99_999_999_999L)).isEqualTo(99_999_999_999_000L);
        assertThat(EventTimes.fromLong(100_000_000_000L)).isEqualTo(100_000_000_000L);
        assertThat(EventTimes.fromLong(100_000_000_001L)).isEqualTo(100_000_000_001L);
    }

    @Test
    void negativeLongIsInvalid() {
        assertThat(EventTimes.fromLong(-1L)).isEqualTo(INVALID);
        assertThat(EventTimes.fromLong(-1_763_712_000L)).isEqualTo(INVALID);
        assertThat(EventTimes.fromLong(-1_795_248_903_120L)).isEqualTo(INVALID);
        assertThat(EventTimes.fromLong(Long.MIN_VALUE)).isEqualTo(INVALID);
    }

    @Test
    void absurdlyLargeLongIsInvalidNotOverflowed() {
        assertThat(EventTimes.fromLong(Long.MAX_VALUE)).isEqualTo(INVALID);
    }

    // --- decimal numbers -------------------------------------------------------------------------

    @Test
    void fractionalEpochSeconds() {
        assertThat(EventTimes.fromNumber(1_763_712_000.5)).isEqualTo(1_763_712_000_500L);
        assertThat(EventTimes.fromNumber(1_763_712_000.25)).isEqualTo(1_763_712_000_250L);
        assertThat(EventTimes.fromNumber(1_763_712_000.0)).isEqualTo(1_763_712_000_000L);
        assertThat(EventTimes.fromNumber(1_795_248_903.12)).isEqualTo(1_795_248_903_120L);
        assertThat(EventTimes.fromNumber(1_763_712_000.001)).isEqualTo(1_763_712_000_001L);
        assertThat(EventTimes.fromNumber(0.5)).isEqualTo(500L);
    }

    @Test
    void decimalEpochMillis() {
        assertThat(EventTimes.fromNumber(1_795_248_903_120.0)).isEqualTo(1_795_248_903_120L);
        assertThat(EventTimes.fromNumber(100_000_000_000.0)).isEqualTo(100_000_000_000L);
    }

    @Test
    void decimalBoundary() {
        assertThat(EventTimes.fromNumber(99_999_999_999.0)).isEqualTo(99_999_999_999_000L);
        assertThat(EventTimes.fromNumber(99_999_999_999.5)).isEqualTo(99_999_999_999_500L);
        assertThat(EventTimes.fromNumber(100_000_000_000.0)).isEqualTo(100_000_000_000L);
    }

    @Test
    void badDecimalsAreInvalid() {
        assertThat(EventTimes.fromNumber(-0.5)).isEqualTo(INVALID);
        assertThat(EventTimes.fromNumber(-1_763_712_000.0)).isEqualTo(INVALID);
        assertThat(EventTimes.fromNumber(Double.NaN)).isEqualTo(INVALID);
        assertThat(EventTimes.fromNumber(Double.POSITIVE_INFINITY)).isEqualTo(INVALID);
        assertThat(EventTimes.fromNumber(Double.NEGATIVE_INFINITY)).isEqualTo(INVALID);
        assertThat(EventTimes.fromNumber(Double.MAX_VALUE)).isEqualTo(INVALID);
    }

    // --- text ------------------------------------------------------------------------------------

    @Test
    void isoWithZ() {
        assertThat(EventTimes.fromText("2026-11-21T08:15:03Z")).isEqualTo(1_795_248_903_000L);
        assertThat(EventTimes.fromText("2026-11-21T08:15:03.120Z")).isEqualTo(1_795_248_903_120L);
        assertThat(EventTimes.fromText("2026-11-21T00:00:00Z")).isEqualTo(1_795_219_200_000L);
        assertThat(EventTimes.fromText("1970-01-01T00:00:00Z")).isEqualTo(0L);
        assertThat(EventTimes.fromText("2100-01-01T00:00:00Z")).isEqualTo(4_102_444_800_000L);
    }

    @Test
    void isoWithOffset() {
        assertThat(EventTimes.fromText("2026-11-21T08:15:03.120+02:00")).isEqualTo(1_795_241_703_120L);
        assertThat(EventTimes.fromText("2026-11-21T10:15:03+02:00")).isEqualTo(1_795_248_903_000L);
        assertThat(EventTimes.fromText("2026-11-21T03:15:03-05:00")).isEqualTo(1_795_248_903_000L);
        assertThat(EventTimes.fromText("2026-11-21T13:45:03+05:30")).isEqualTo(1_795_248_903_000L);
    }

    @Test
    void isoWithFractions() {
        assertThat(EventTimes.fromText("2026-11-21T08:15:03.1Z")).isEqualTo(1_795_248_903_100L);
        assertThat(EventTimes.fromText("2026-11-21T08:15:03.12Z")).isEqualTo(1_795_248_903_120L);
        assertThat(EventTimes.fromText("2026-11-21T08:15:03.999Z")).isEqualTo(1_795_248_903_999L);
    }

    @Test
    void sqlStyleIsUtc() {
        assertThat(EventTimes.fromText("2026-11-21 08:15:03")).isEqualTo(1_795_248_903_000L);
        assertThat(EventTimes.fromText("2026-11-21 08:15:03.123")).isEqualTo(1_795_248_903_123L);
        assertThat(EventTimes.fromText("2026-11-21 08:15:03.1")).isEqualTo(1_795_248_903_100L);
        assertThat(EventTimes.fromText("1970-01-01 00:00:00")).isEqualTo(0L);
        assertThat(EventTimes.fromText("2026-02-28 00:00:00")).isEqualTo(1_772_236_800_000L);
    }

    @Test
    void digitStrings() {
        assertThat(EventTimes.fromText("1763712000")).isEqualTo(1_763_712_000_000L);
        assertThat(EventTimes.fromText("1795248903120")).isEqualTo(1_795_248_903_120L);
        assertThat(EventTimes.fromText("0")).isEqualTo(0L);
        assertThat(EventTimes.fromText("99999999999")).isEqualTo(99_999_999_999_000L);
        assertThat(EventTimes.fromText("100000000000")).isEqualTo(100_000_000_000L);
    }

    @Test
    void overlongDigitStringIsInvalidNotAnException() {
        assertThat(EventTimes.fromText("9".repeat(19))).isEqualTo(INVALID);
        assertThat(EventTimes.fromText("9".repeat(400))).isEqualTo(INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1969-12-31T23:59:59Z",
        "1969-12-31T23:59:59.999Z",
        "1970-01-01T00:30:00+01:00",
        "1969-12-31 23:59:59",
        "1900-01-01 00:00:00",
        "-1",
        "-1763712000",
    })
    void before1970IsInvalid(String text) {
        assertThat(EventTimes.fromText(text)).isEqualTo(INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        " ",
        "yesterday",
        "2026-11-21",
        "2026-11-21T08:15:03",
        "2026-11-21T08:15",
        "2026-11-21 08:15",
        "2026/11/21 08:15:03",
        "21.11.2026 08:15:03",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-11-21T24:00:01Z",
        "1763712000.5",
        "1e9",
        "0x6920",
        "+999999999-12-31T23:59:59Z",
    })
    void unreadableTextIsInvalid(String text) {
        assertThat(EventTimes.fromText(text)).isEqualTo(INVALID);
    }

    @Test
    void sqlStyleRejectsImpossibleDates() {
        // Not a date: the ISO form rejects it; the SQL-style form must not move it to 2026-02-28.
        assertThat(EventTimes.fromText("2026-02-30 00:00:00")).isEqualTo(INVALID);
        assertThat(EventTimes.fromText("2026-11-31 08:15:03")).isEqualTo(INVALID);
        assertThat(EventTimes.fromText("2026-13-01 00:00:00")).isEqualTo(INVALID);
        assertThat(EventTimes.fromText("2026-11-21 25:00:00")).isEqualTo(INVALID);
    }

    // --- the same answers as java.time, without its exceptions ------------------------------------

    /** What {@link EventTimes#fromText} answered when it let java.time parse every string (and caught its exceptions). */
    private static long javaTime(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return INVALID;
        }
        if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return s.length() > 18 ? INVALID : EventTimes.fromLong(Long.parseLong(s));
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

    private static final DateTimeFormatter SQL_STYLE = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-21t08:15:03Z", "2026-11-21T08:15:03z", "2026-11-21t08:15:03.5z", "2026-11-21T08:15Z",
        "2026-11-21T08:15+02:00", "2026-11-21T08:15:03+02", "2026-11-21T08:15:03+0200", "2026-11-21T08:15:03+02:00:30",
        "2026-11-21T08:15:03+020030", "2026-11-21T08:15:03-00:00", "2026-11-21T08:15:03+18:00", "2026-11-21T08:15:03-18:00",
        "2026-11-21T08:15:03+18:01", "2026-11-21T08:15:03+19:00", "2026-11-21T08:15:03+17:60", "2026-11-21T08:15:03+1:00",
        "2026-11-21T08:15:03.Z", "2026-11-21T08:15:03.1234567891Z", "2026-11-21T08:15:03.123456789Z",
        "2026-11-21T08:15:03,5Z", "2026-11-21T08:15:60Z", "2026-11-21T24:00:00Z", "2026-11-21T23:60:00Z",
        "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
        "2400-02-29 00:00:00", "2100-02-29 00:00:00", "2026-04-31 00:00:00", "2026-00-10 00:00:00", "2026-11-00 00:00:00",
        "2026-11-21 08:15:03.", "2026-11-21 08:15:03.1234567891", "2026-11-21 08:15:03.123456789", "2026-11-21  08:15:03",
        "2026-11-21 08:15:03Z", "2026-11-21 08:15:03+02:00", "2026-11-21 08:15", "2026-11-21 8:15:03",
        "+2026-11-21T08:15:03Z", "+02026-11-21T08:15:03Z", "+0002026-11-21T08:15:03Z", "+00002026-11-21 08:15:03",
        "-2026-11-21T08:15:03Z", "02026-11-21T08:15:03Z", "+10000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
        "-999999999-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z", "+292278994-08-17T07:12:55.807Z",
        "+292278994-08-17T07:12:55.808Z", "+292278994-08-17T07:12:55.807999999Z", "+292278994-08-17 07:12:55.807",
        "+292278994-08-17 07:12:55.808", "0000-01-01T00:00:00Z", "1970-01-01T00:00:00.000+00:01",
        "1970-01-01T00:00:00-18:00", "1970-01-01T00:00:00+18:00", "1969-12-31T23:59:59.999-00:00",
        "9999-12-31 23:59:59.999999999", "2026-11-21T08:15:03Zx", "2026-11-21T08:15:03ZZ", "x2026-11-21T08:15:03Z",
        "2026-11-21T08:15:03Z ", "2026-11-21T08:15:03\u00a0Z", "２０２６-11-21T08:15:03Z", "2026-11-21T08:15:03+02:00[Europe/Paris]",
        "2026-11-21T08:15:03GMT", "2026-11-21T08:15:03UTC", "2026-11-21T08:15:03+02:00Z", "2026-1-21T08:15:03Z",
    })
    void answersAsJavaTimeDid(String text) {
        assertThat(EventTimes.fromText(text)).as(text).isEqualTo(javaTime(text));
    }

    @Test
    void answersAsJavaTimeDidForTimesNearAndOffTheUsualForms() {
        SplittableRandom rnd = new SplittableRandom(20261121);
        List<String> texts = new ArrayList<>();
        String[] years = {"0000", "0001", "1969", "1970", "1999", "2000", "2024", "2026", "2100", "2400", "9999", "+2026",
            "+12026", "-0001", "+292278994"};
        for (int i = 0; i < 100_000; i++) {
            String year = rnd.nextInt(4) == 0 ? String.format(Locale.ROOT, "%04d", rnd.nextInt(10_000)) : years[rnd.nextInt(years.length)];
            StringBuilder b = new StringBuilder(year).append('-').append(two(rnd, 14)).append('-').append(two(rnd, 33))
                    .append(rnd.nextInt(10) == 0 ? "t" : rnd.nextInt(3) == 0 ? " " : "T")
                    .append(two(rnd, 26)).append(':').append(two(rnd, 61));
            if (rnd.nextInt(10) > 0) {
                b.append(':').append(two(rnd, 62));
            }
            if (rnd.nextBoolean()) {
                b.append('.');
                for (int k = rnd.nextInt(11); k > 0; k--) {
                    b.append((char) ('0' + rnd.nextInt(10)));
                }
            }
            switch (rnd.nextInt(8)) {
                case 0:
                    break;
                case 1:
                    b.append(rnd.nextBoolean() ? 'Z' : 'z');
                    break;
                case 2:
                    b.append(rnd.nextBoolean() ? '+' : '-').append(two(rnd, 20));
                    break;
                case 3:
                    b.append(rnd.nextBoolean() ? '+' : '-').append(two(rnd, 20)).append(two(rnd, 61));
                    break;
                case 4:
                    b.append(rnd.nextBoolean() ? '+' : '-').append(two(rnd, 20)).append(':').append(two(rnd, 61))
                            .append(':').append(two(rnd, 61));
                    break;
                default:
                    b.append(rnd.nextBoolean() ? '+' : '-').append(two(rnd, 20)).append(':').append(two(rnd, 61));
            }
            if (rnd.nextInt(4) == 0) { // one character changed, removed or added
                int at = rnd.nextInt(b.length() + 1);
                char c = "0123456789-+:.TtZz x".charAt(rnd.nextInt(20));
                switch (rnd.nextInt(3)) {
                    case 0:
                        if (at < b.length()) {
                            b.setCharAt(at, c);
                        }
                        break;
                    case 1:
                        if (at < b.length()) {
                            b.deleteCharAt(at);
                        }
                        break;
                    default:
                        b.insert(at, c);
                }
            }
            texts.add(b.toString());
        }
        int valid = 0;
        for (String text : texts) {
            long expected = javaTime(text);
            assertThat(EventTimes.fromText(text)).as(text).isEqualTo(expected);
            valid += expected == INVALID ? 0 : 1;
        }
        // both kinds well represented
        assertThat(valid).isBetween(10_000, 90_000);
    }

    private static String two(SplittableRandom rnd, int bound) {
        return String.format(Locale.ROOT, "%02d", rnd.nextInt(bound));
    }
}
