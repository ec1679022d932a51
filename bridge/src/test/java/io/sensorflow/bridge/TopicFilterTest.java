package io.sensorflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

    private final TopicFilter readings = TopicFilter.parse("sensors/+/readings");

    @Test
    void theWildcardLevelIsTheSensorId() {
        assertThat(readings.sensorId("sensors/greenhouse-01/readings")).isEqualTo("greenhouse-01");
        assertThat(readings.sensorId("sensors/a/readings")).isEqualTo("a");
        assertThat(readings.sensorId("sensors/température 1/readings")).isEqualTo("température 1");
        // '+' matches an empty level too, as the broker does.
        assertThat(readings.sensorId("sensors//readings")).isEmpty();
    }

    @Test
    void otherTopicsDoNotMatch() {
        assertThat(readings.sensorId("sensors/a/status")).isNull();
        assertThat(readings.sensorId("sensors/a/readings/extra")).isNull();
        assertThat(readings.sensorId("sensors/readings")).isNull();
        assertThat(readings.sensorId("other/a/readings")).isNull();
        assertThat(readings.sensorId("sensors/a/readings/")).isNull();
    }

    @Test
    void theIdMayBeAnyLevel() {
        TopicFilter f = TopicFilter.parse("+/telemetry");
        assertThat(f.sensorId("dev7/telemetry")).isEqualTo("dev7");
        assertThat(f.sensorId("$SYS/telemetry")).as("a leading wildcard does not match $ topics").isNull();
        assertThat(TopicFilter.parse("plant/3/+").sensorId("plant/3/x")).isEqualTo("x");
    }

    @Test
    void badFiltersAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TopicFilter.parse("sensors/#")).hasMessageContaining("must not contain '#'");
        assertThatThrownBy(() -> TopicFilter.parse("sensors/+/+")).hasMessageContaining("more than one '+'");
        assertThatThrownBy(() -> TopicFilter.parse("sensors/a/readings")).hasMessageContaining("no '+' level");
        assertThatThrownBy(() -> TopicFilter.parse("sensors/a+/readings")).hasMessageContaining("must be a whole level");
        assertThatThrownBy(() -> TopicFilter.parse("")).hasMessageContaining("must not be empty");
    }

    @Test
    void overlapIsDetected() {
        assertThat(readings.overlaps(TopicFilter.parse("sensors/+/status"))).isFalse();
        assertThat(readings.overlaps(TopicFilter.parse("sensors/x/+"))).isTrue();
        assertThat(readings.overlaps(TopicFilter.parse("+/a/readings"))).isTrue();
        assertThat(readings.overlaps(TopicFilter.parse("sensors/+"))).isFalse();
    }
}
