package io.sensorflow.durations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The grammar, including everything one of the four parsers it replaces accepted (see the README, Settings). */
class DurationsTest {

    @Test
    void aNumberAndAUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("15min")).isEqualTo(Duration.ofMinutes(15)); // the simulator's
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("059s")).isEqualTo(Duration.ofSeconds(59));
    }

    @Test
    void fractionsExactToTheNanosecond() {
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500)); // the simulator's
        assertThat(Durations.parse("0.5m")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("0.000000001s")).isEqualTo(Duration.ofNanos(1));
        assertThat(Durations.parse("1.25d")).isEqualTo(Duration.ofHours(30));
    }

    @Test
    void unitsInAnyCaseAndSpacesBetween() {
        assertThat(Durations.parse("10S")).isEqualTo(Duration.ofSeconds(10)); // the bridge's and the simulator's
        assertThat(Durations.parse("1D")).isEqualTo(Duration.ofDays(1)); // issue 14: it failed in the job
        assertThat(Durations.parse("5M")).isEqualTo(Duration.ofMinutes(5)); // minutes: no unit means months
        assertThat(Durations.parse("500MS")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10 s")).isEqualTo(Duration.ofSeconds(10)); // the job's and the bridge's
    }

    @Test
    void zeroAloneIso8601AndNegatives() {
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO); // the simulator's
        assertThat(Durations.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("pt15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("P1D")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("-30s")).isEqualTo(Duration.ofSeconds(-30)); // the simulator's
        assertThat(Durations.parse("-PT5S")).isEqualTo(Duration.ofSeconds(-5));
        assertThat(Durations.parse("-1.5s")).isEqualTo(Duration.ofMillis(-1500));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "5", "15", "ms", "s", "5x", "5 minutes", "5sec", "1h30m", "15m5s", "s5",
        "5ms5", "PT", "P", "P1M", "1,5s", ".5s", "5.s", "+5s", "--5s", "5s ", " 5s", "5m\n", "1e3s", "０s", "5 m s"})
    void everythingElseIsRefusedWithTheOneMessage(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration").hasMessageEndingWith(": write " + Durations.SYNTAX);
    }

    @Test
    void tooLongOrTooFineIsRefusedNotWrappedOrRounded() {
        for (String text : new String[] {"99999999999999999999s", "9999999999999999d", "9223372036854775807h",
            "PT9223372036854775807H", "P106751991167301D"}) {
            assertThatThrownBy(() -> Durations.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("'" + text + "' is not a duration (too long): write");
        }
        assertThat(Durations.parse("106751991167d")).isEqualTo(Duration.ofDays(106_751_991_167L)); // fits in ms
        assertThatThrownBy(() -> Durations.parse("0.0000000001s")).hasMessageContaining("(finer than a nanosecond)");
    }

    @Test
    void theMessageQuotesTheTextShortAndPrintable() {
        assertThatThrownBy(() -> Durations.parse("5m\n")).hasMessageStartingWith("'5m\\n' is not a duration: write ");
        String longText = "x".repeat(10_000);
        assertThatThrownBy(() -> Durations.parse(longText)).hasMessageStartingWith("'" + "x".repeat(40) + "... (10000 characters)'")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void formatIsTheShortestFormParseReadsBack() {
        assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofHours(25))).isEqualTo("25h");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofSeconds(-5))).isEqualTo("-5s");
        assertThat(Durations.format(Duration.ofNanos(500_000))).isEqualTo("PT0.0005S");
        for (Duration d : new Duration[] {Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(15),
            Duration.ofHours(2), Duration.ofDays(3), Duration.ofMillis(61_001), Duration.ofSeconds(-90),
            Duration.ofNanos(1), Duration.ofDays(106_751_991_167L)}) {
            assertThat(Durations.parse(Durations.format(d))).as("%s", d).isEqualTo(d);
        }
    }

    @Test
    void theCommandLineIgnoresSpacesAroundAndSaysTheSame() {
        DurationConverter converter = new DurationConverter();
        assertThat(converter.convert(" 5s ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(converter.convert("\t15m\n")).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> converter.convert("banana")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'banana' is not a duration: write " + Durations.SYNTAX);
    }
}
