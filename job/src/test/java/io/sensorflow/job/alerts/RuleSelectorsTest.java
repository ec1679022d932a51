package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long an unclaimed copy of a sensor's rule states is kept after a rescale: as long as any
 * rule's state can still matter to a sensor quiet since its last reading. A selector that follows
 * the episodes' life (every kind does) matters for the cooldown after a resolution: a fresh state
 * would take a match in that cooldown for an opened episode and leave out the next ones.
 */
class RuleSelectorsTest {

    @Test
    void aSequenceWithACooldownIsKeptForItsCooldownNotOnlyItsWithin() {
        SequenceRule cooling = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1), 10, Duration.ofMinutes(15));
        assertThat(new RuleSelectors(List.of(cooling)).longestWindowMs).isEqualTo(Duration.ofMinutes(15).toMillis());
        SequenceRule noCooldown = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1));
        assertThat(new RuleSelectors(List.of(noCooldown)).longestWindowMs).isEqualTo(Duration.ofMinutes(1).toMillis());
    }

    @Test
    void theLongestOfTheRulesCounts() {
        RiseRule rise = new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 10, Duration.ofMinutes(5), 3,
                Duration.ofMinutes(2));
        SequenceRule cooling = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1), 10, Duration.ofMinutes(15));
        assertThat(new RuleSelectors(List.of(rise, cooling)).longestWindowMs).isEqualTo(Duration.ofMinutes(15).toMillis());
    }
}
