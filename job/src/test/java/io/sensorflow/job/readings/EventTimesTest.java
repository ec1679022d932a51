package io.sensorflow.job.readings;

import static org.assertj.core.api.Assertions.assertThat;

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
}
