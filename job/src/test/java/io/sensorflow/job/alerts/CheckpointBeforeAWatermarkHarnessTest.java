package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.Severity;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint taken after a restore before the first watermark, when the selector's watermark is
 * still Long.MIN_VALUE: a sensor's state must be kept as it was. The watermark minus the sensor's
 * last reading overflowed there into a large positive number, so the sensor (nothing held) looked
 * quiet for longer than any rule's window and was forgotten, its rise's starting point with it.
 */
class CheckpointBeforeAWatermarkHarnessTest {

    static final long S = 1_000L;
    static final long T0 = 1_800_000_000_000L;

    @Test
    void aRiseFromAReadingBeforeTwoRestoresFires() throws Exception {
        List<Rule> rules = List.of(new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 3, Duration.ofSeconds(20),
                2, Duration.ZERO));
        AlertRulesHarness h = new AlertRulesHarness(rules);
        h.reading("a", T0, 61);
        h.watermark(T0 + 500); // released: the reading a rise can start from
        List<OperatorSubtaskState> first = h.snapshot(1);
        h.close();
        h = new AlertRulesHarness(rules, first);
        List<OperatorSubtaskState> second = h.snapshot(2); // no watermark since the restore
        h.close();
        h = new AlertRulesHarness(rules, second);
        h.reading("a", T0 + 6 * S, 65);
        h.watermark(T0 + 10 * S);
        List<Alert> alerts = h.takeAlerts();
        h.close();
        assertThat(alerts).extracting(a -> a.status + " " + (a.spanStart - T0) / S + ".." + (a.spanEnd - T0) / S)
                .containsExactly("FIRING 0..6");
    }
}
