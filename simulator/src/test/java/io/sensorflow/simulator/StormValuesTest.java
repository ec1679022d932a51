package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.rules.RuleFileLoader;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code --values storm}, the benchmark's alert storm: under the shipped rules, at a reading every
 * 10 s, every run of a sensor fires and resolves both temperature rules, none falls into a cooldown.
 */
class StormValuesTest {

    @Test
    void everyRunFiresAndResolvesBothTemperatureRules() {
        int sensors = 20;
        int cycles = 4;
        SimulatorSettings s = Scenarios.base().sensors(sensors).seed(5).format(PayloadFormat.DEVICE_EPOCH)
                .values(ValueModel.STORM).interval(Duration.ofSeconds(10))
                .count((long) sensors * ValueModel.STORM_CYCLE * cycles).build();
        ExpectedOutcome outcome = Simulator.expectedOutcome(s, RuleFileLoader.loadDefault());

        Map<String, Long> counts = outcome.alerts().stream()
                .collect(Collectors.groupingBy(a -> a.ruleId() + " " + a.status(), Collectors.counting()));
        // Each sensor's place in the cycle differs, so a sensor has `cycles` runs, or one more when its
        // first reading falls within a run; the last run of a sensor may lack its resolution.
        for (String rule : new String[] {"temperature-extreme-run", "temperature-rapid-rise"}) {
            long firing = counts.getOrDefault(rule + " FIRING", 0L);
            long resolved = counts.getOrDefault(rule + " RESOLVED", 0L);
            assertThat(firing).as(rule).isBetween((long) sensors * cycles - sensors, (long) sensors * (cycles + 1));
            assertThat(resolved).as(rule).isBetween(firing - sensors, firing);
        }
        assertThat(counts).containsOnlyKeys("temperature-extreme-run FIRING", "temperature-extreme-run RESOLVED",
                "temperature-rapid-rise FIRING", "temperature-rapid-rise RESOLVED");
        // A run every 108 readings (18 minutes), just over the resolution and the 15-minute cooldown.
        assertThat(outcome.alerts()).filteredOn(a -> a.status().equals(ExpectedAlert.FIRING)
                        && a.ruleId().equals("temperature-extreme-run"))
                .allSatisfy(a -> assertThat(a.values()).containsExactly(75.0, 75.0, 75.0));
    }
}
