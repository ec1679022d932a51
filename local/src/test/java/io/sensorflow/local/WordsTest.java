package io.sensorflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void oneIsSingularEverythingElsePlural() {
        assertThat(Words.duration(Duration.ofMinutes(1))).isEqualTo("1 minute");
        assertThat(Words.duration(Duration.ofMinutes(15))).isEqualTo("15 minutes");
        assertThat(Words.duration(Duration.ofMinutes(45))).isEqualTo("45 minutes");
        assertThat(Words.duration(Duration.ofHours(1))).isEqualTo("1 hour");
        assertThat(Words.duration(Duration.ofDays(2))).isEqualTo("2 days");
        assertThat(Words.duration(Duration.ofSeconds(90))).isEqualTo("90 seconds");
        assertThat(Words.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Words.duration(Duration.ofMillis(1500))).isEqualTo("1500 milliseconds");
        assertThat(Words.duration(Duration.ZERO)).isEqualTo("0 seconds");
        assertThat(Words.count(1, "sensor")).isEqualTo("1 sensor");
        assertThat(Words.count(50, "sensor")).isEqualTo("50 sensors");
    }
}
