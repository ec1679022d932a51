package io.sensorflow.rules.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After a restore the selector has no watermark (Long.MIN_VALUE) until the first one comes, and a
 * checkpoint can come before it: a state is then as old as it was, not empty. The watermark minus a
 * reading's time overflowed into a large positive number there, and a rise's starting point, a
 * duration window or a cooldown read as long past (RuleDifferentialTest lost two rises after a
 * second restore when empty states were left out of the checkpoint: rise rule set 21).
 */
class NoWatermarkYetTest {

    static final long T0 = 1_800_000_000_000L;
    static final long NONE = Long.MIN_VALUE;
    private final List<RuleEvent> out = new ArrayList<>();

    @Test
    void aRiseStateWithAReadingToRiseFromIsNotEmpty() {
        RiseCandidates selector = new RiseCandidates(new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 3,
                Duration.ofSeconds(20), 2, Duration.ZERO));
        RiseCandidates.State s = selector.newState();
        selector.accept(s, "a", T0, 61, out::add);
        assertThat(selector.isEmpty(s, T0 + 1_000)).isFalse();
        assertThat(selector.isEmpty(s, NONE)).isFalse();
        assertThat(selector.isEmpty(s, T0 + 20_000)).isTrue();
    }

    @Test
    void anOutliersDurationWindowIsNotEmpty() {
        OutlierCandidates selector = new OutlierCandidates(OutlierRule.ofDuration("spike", Severity.WARNING,
                Metric.TEMPERATURE, 3, Duration.ofSeconds(30)).with(2, 1, Duration.ZERO, SensorScope.ALL));
        OutlierCandidates.State s = selector.newState();
        selector.accept(s, "a", T0, 20, out::add);
        assertThat(selector.isEmpty(s, NONE)).isFalse();
        assertThat(selector.isEmpty(s, T0 + 30_000)).isTrue();
    }

    @Test
    void aCooldownIsNotOver() {
        Episodes e = new Episodes();
        e.open = false;
        e.resolvedAt = T0;
        e.at = T0;
        assertThat(e.isEmpty(NONE, 60_000)).isFalse();
        assertThat(e.isEmpty(T0 + 60_000, 60_000)).isTrue();
    }

    @Test
    void passedByIsFalseWithoutAWatermark() {
        assertThat(CandidateSelector.passedBy(NONE, T0, 1)).isFalse();
        assertThat(CandidateSelector.passedBy(T0 + 1, T0, 1)).isTrue();
        assertThat(CandidateSelector.passedBy(T0, T0, 1)).isFalse();
    }
}
