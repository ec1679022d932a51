package io.sensorflow.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Late;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SilenceRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The oracle's {@code late: evaluate}: hand-made streams whose alerts were worked out by hand from
 * the definition (cep-rules/README, "Late readings"). Times are offsets from T0 in ms; with an
 * out-of-orderness of 5 s and steps of 1 s, the watermark after a reading at t is t - 5,001 ms
 * rounded down to the second, less 1 ms.
 */
class AlertOracleLateTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final int S1 = 0;
    private static final int S2 = 1;
    private static final int S3 = 2;

    private static final SequenceRule HOT = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true,
            70, 3, Duration.ofMinutes(1)).withLate(Late.EVALUATE);
    private static final SequenceRule HOT_SKIP = new SequenceRule("hot-skip", Severity.CRITICAL, "",
            Metric.TEMPERATURE, true, 70, 3, Duration.ofMinutes(1));
    private static final RiseRule UP = new RiseRule("up", Severity.WARNING, "", Metric.TEMPERATURE, 15,
            Duration.ofMinutes(2)).withLate(Late.EVALUATE);
    private static final SilenceRule QUIET = new SilenceRule("quiet", Severity.WARNING, "", Duration.ofSeconds(25));

    private final SensorIds ids = new SensorIds(3, "s", 0);
    /** Windows and lateness long enough that no reading here is too late for aggregation. */
    private final OracleParameters roomy = new OracleParameters(3_600_000, 5_000, 1_000, 3_600_000);
    private long seq;

    private OutcomeOracle oracle(Rule... rules) {
        return new OutcomeOracle(roomy, ids, new RuleSet("test", List.of(rules)));
    }

    private void temp(OutcomeOracle o, int sensor, long at, double celsius) {
        MessageFacts f = new MessageFacts().reading(sensor, T0 + at, ++seq)
                .value(Measurement.TEMPERATURE, (int) Math.round(celsius * 10));
        byte[] payload = f.toString().getBytes();
        o.onMessage(f, ids.key(f.sensor()), payload, payload.length);
    }

    private static String describe(ExpectedAlert a) {
        return a.ruleId() + " " + a.status() + " " + a.sensorId() + "@" + (a.spanStartMs() - T0) + ".."
                + (a.spanEndMs() - T0) + (a.detectionDelayMs() == null ? "" : " late " + a.detectionDelayMs());
    }

    @Test
    void anOfflineSensorsQueueIsEvaluatedByTheRulesThatSaySoItsAlertsLateByTheWatermarkMinusTheirReading() {
        OutcomeOracle o = oracle(HOT, HOT_SKIP, QUIET);
        temp(o, S1, 10_000, 50);
        temp(o, S1, 20_000, 50);
        for (long t = 30_000; t <= 100_000; t += 10_000) {
            temp(o, S2, t, 20);
        }
        assertThat(o.watermark()).isEqualTo(T0 + 94_999);
        double[] queued = {71, 72, 73, 50, 50, 50};
        for (int i = 0; i < queued.length; i++) {
            temp(o, S1, 30_000 + 10_000 * i, queued[i]);
        }
        temp(o, S1, 105_000, 50);
        temp(o, S2, 120_000, 20);
        assertThat(o.outcome().alerts()).extracting(AlertOracleLateTest::describe).containsExactlyInAnyOrder(
                "quiet FIRING s1@20000..45000",
                "hot FIRING s1@30000..50000 late 44999",
                "hot RESOLVED s1@30000..80000 late 14999",
                "quiet RESOLVED s1@20000..105000"); // the late readings do not end the silence
        // Every late reading counts in its window, evaluated or not.
        assertThat(o.outcome().aggregates()).filteredOn(a -> a.sensorId().equals("s1")).singleElement()
                .satisfies(a -> assertThat(a.readingsLateForRules()).isEqualTo(6));
    }

    @Test
    void aLateReadingNotNewerThanAllItsSensorGaveTheRulesIsSkipped() {
        OutcomeOracle o = oracle(HOT, UP);
        temp(o, S3, 10_000, 60);
        temp(o, S2, 60_000, 20); // the watermark: 54,999
        temp(o, S3, 30_000, 71); // evaluated (up by 11 only)
        temp(o, S3, 20_000, 90); // older than 30 s: skipped (else a rise of 30)
        temp(o, S3, 5_000, 90); // older than the one on time: skipped
        temp(o, S3, 30_000, 71); // a repeat: skipped
        temp(o, S3, 40_000, 72);
        temp(o, S3, 50_000, 73);
        temp(o, S2, 80_000, 20);
        assertThat(o.outcome().alerts()).extracting(AlertOracleLateTest::describe).containsExactly(
                "hot FIRING s3@30000..50000 late 4999");
    }

    @Test
    void onlyTheAlertWhoseLastReadingWasLateIsLate() {
        OutcomeOracle o = oracle(UP);
        temp(o, S1, 10_000, 20);
        temp(o, S2, 100_000, 20); // the watermark: 94,999
        temp(o, S1, 40_000, 30); // up by 10 only
        temp(o, S1, 50_000, 36); // up by 16 from 20 at 10 s: late by 44,999
        temp(o, S1, 120_000, 60); // a rise again (from 20 at 10 s), on time, while the episode is open
        temp(o, S1, 300_000, 60); // no rise: the lowest of the last 2 minutes is 60
        temp(o, S1, 310_000, 60);
        temp(o, S1, 320_000, 60); // the third: resolved, on time
        temp(o, S2, 400_000, 20);
        assertThat(o.outcome().alerts()).extracting(AlertOracleLateTest::describe).containsExactly(
                "up FIRING s1@10000..50000 late 44999", "up RESOLVED s1@10000..320000");
    }
}
