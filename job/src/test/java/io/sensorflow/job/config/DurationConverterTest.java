package io.sensorflow.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @Test
    void shortForms() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(DurationConverter.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(DurationConverter.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationConverter.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationConverter.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(DurationConverter.parse("0ms")).isEqualTo(Duration.ZERO);
        assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void isoForms() {
        assertThat(DurationConverter.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(DurationConverter.parse("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationConverter.parse("P1D")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(DurationConverter.parse(" 5s ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(DurationConverter.parse("\t15m\n")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void converterInterfaceAgreesWithParse() {
        assertThat(new DurationConverter().convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(new DurationConverter().convert("PT15M")).isEqualTo(Duration.ofMinutes(15));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "5", "15", "ms", "s", "-5s", "1.5s", "5x", "5 minutes", "5sec", "15min",
        "PT", "P", "15m5s", "s5", "5ms5"})
    void malformedDurationsAreRejectedWithAReadableMessage(String value) {
        assertThatThrownBy(() -> DurationConverter.parse(value))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining("duration");
    }

    @Test
    void overflowingDurationsAreRejected() {
        // Too large for a long / a Duration: must fail, not produce a wrapped-around value.
        assertThatThrownBy(() -> DurationConverter.parse("99999999999999999999s")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> DurationConverter.parse("9999999999999999d")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void format() {
        assertThat(DurationConverter.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(DurationConverter.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(DurationConverter.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(DurationConverter.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(DurationConverter.format(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(DurationConverter.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(DurationConverter.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(DurationConverter.format(Duration.ofHours(25))).isEqualTo("25h");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationConverter.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void formatThenParseIsTheSameDuration() {
        for (Duration d : new Duration[] {Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(15),
            Duration.ofHours(2), Duration.ofDays(3), Duration.ofMillis(61_001)}) {
            assertThat(DurationConverter.parse(DurationConverter.format(d))).isEqualTo(d);
        }
    }
}
