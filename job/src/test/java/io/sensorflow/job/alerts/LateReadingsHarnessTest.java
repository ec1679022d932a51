package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.Late;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.alert.AlertIds;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * {@code late: evaluate} through the job's alert operators (selector, CEP, lifecycle): readings
 * late for rules, as the batching operator marks them, are evaluated when newer than every reading
 * of their sensor the rules were given, their alerts marked late with the delay; older ones skipped;
 * a rule with {@code late: skip} and the silence rules never see them.
 */
class LateReadingsHarnessTest {

    static final long S = 1_000L;
    static final SequenceRule HOT = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
            Duration.ofMinutes(1)).withLate(Late.EVALUATE);
    static final SequenceRule HOT_SKIP = new SequenceRule("hot-skip", Severity.CRITICAL, "", Metric.TEMPERATURE, true,
            70, 3, Duration.ofMinutes(1));
    static final RiseRule UP = new RiseRule("up", Severity.WARNING, "", Metric.TEMPERATURE, 15, Duration.ofMinutes(2))
            .withLate(Late.EVALUATE);
    static final SilenceRule QUIET = new SilenceRule("quiet", Severity.WARNING, "", Duration.ofSeconds(25));

    static void onTime(AlertRulesHarness h, String sensor, long time, double temperature) throws Exception {
        h.reading(sensor, time, temperature);
    }

    /** A reading the batching operator judged late for rules against {@code judgedBy} and passed on (a rule evaluates late). */
    static void late(AlertRulesHarness h, String sensor, long time, double temperature, long judgedBy) throws Exception {
        late(h, sensor, time, temperature, Double.NaN, judgedBy);
    }

    static String describe(Alert a) {
        return a.ruleId + " " + a.status + " " + a.sensorId + "@" + a.spanStart / S + ".." + a.spanEnd / S
                + (a.late ? " late " + a.detectionDelayMs / S + "s" : "");
    }

    @Test
    void anOfflineSensorsQueueIsEvaluatedInOrderAndItsAlertsSayLateWithTheirDelay() throws Exception {
        try (AlertRulesHarness h = new AlertRulesHarness(List.of(HOT, HOT_SKIP, QUIET))) {
            onTime(h, "a", 10 * S, 50);
            onTime(h, "a", 20 * S, 50);
            h.watermark(25 * S);
            // "a" goes offline at 20 s; "b" keeps event time moving to 100 s.
            for (long t = 30; t <= 100; t += 10) {
                onTime(h, "b", t * S, 20);
            }
            h.watermark(100 * S);
            assertThat(h.takeAlerts()).extracting(LateReadingsHarnessTest::describe).containsExactly(
                    "quiet FIRING a@20..45");
            // Back at 100 s, it sends its queue, oldest first: a run above 70, then three back below.
            double[] queued = {71, 72, 73, 50, 50, 50};
            for (int i = 0; i < queued.length; i++) {
                late(h, "a", (30 + 10 * i) * S, queued[i], 100 * S);
            }
            onTime(h, "a", 105 * S, 50);
            h.watermark(110 * S);
            List<Alert> alerts = h.takeAlerts();
            assertThat(alerts).extracting(LateReadingsHarnessTest::describe).containsExactlyInAnyOrder(
                    "hot FIRING a@30..50 late 50s", // detected at 100 s, on time at 50 s
                    "hot RESOLVED a@30..80 late 20s",
                    // The late readings do not end the silence: the first reading on time does.
                    "quiet RESOLVED a@20..105");
            Alert firing = alerts.stream().filter(a -> a.ruleId.equals("hot") && a.status.equals(Alert.FIRING))
                    .findFirst().orElseThrow();
            assertThat(firing.alertId).isEqualTo(AlertIds.of("hot", "a", 30 * S).toString());
            assertThat(firing.readingTimes).containsExactly(30 * S, 40 * S, 50 * S);
            assertThat(firing.values).containsExactly(71, 72, 73);
            assertThat(new String(AlertJson.toJson(firing), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("\"late\":true,\"detection_delay_ms\":50000");
        }
    }

    @Test
    void aLateReadingOlderThanOneTheRulesWereGivenIsSkippedAcrossARestoreToo() throws Exception {
        List<Rule> rules = List.of(HOT, UP);
        List<OperatorSubtaskState> snapshot;
        try (AlertRulesHarness h = new AlertRulesHarness(rules)) {
            onTime(h, "c", 10 * S, 60);
            h.watermark(50 * S);
            late(h, "c", 30 * S, 71, 50 * S); // newer than 10 s: evaluated (up by 11 only)
            late(h, "c", 20 * S, 90, 50 * S); // older than 30 s, evaluated before it: skipped (else a rise of 30)
            late(h, "c", 5 * S, 90, 50 * S); // older than the one on time: skipped
            late(h, "c", 30 * S, 71, 50 * S); // a repeat: skipped
            h.watermark(60 * S);
            assertThat(h.takeAlerts()).isEmpty();
            snapshot = h.snapshot(1);
        }
        try (AlertRulesHarness h = new AlertRulesHarness(rules, snapshot)) {
            late(h, "c", 25 * S, 72, 60 * S); // still older than 30 s after the restore
            late(h, "c", 40 * S, 72, 60 * S);
            late(h, "c", 50 * S, 73, 60 * S);
            h.watermark(70 * S);
            assertThat(h.takeAlerts()).extracting(LateReadingsHarnessTest::describe).containsExactly(
                    "hot FIRING c@30..50 late 10s");
        }
    }

    @Test
    void readingsHeldAheadOfTheWatermarkGoFirstWhenALateOneIsNewerThanThey() throws Exception {
        // The partition's clock judged 70 s late (at 80 s) while this operator's watermark is 30 s (another
        // partition lags): 40 s and 60 s are held, older than 70 s, and are the sensor's readings before it.
        try (AlertRulesHarness h = new AlertRulesHarness(List.of(HOT, HOT_SKIP));
                AlertRulesHarness onTime = new AlertRulesHarness(List.of(HOT, HOT_SKIP))) {
            h.watermark(30 * S);
            onTime(h, "d", 40 * S, 71);
            onTime(h, "d", 60 * S, 72);
            late(h, "d", 70 * S, 73, 80 * S);
            onTime(h, "d", 90 * S, 50);
            h.watermark(100 * S);
            assertThat(h.takeAlerts()).extracting(LateReadingsHarnessTest::describe).containsExactly(
                    "hot FIRING d@40..70 late 10s");
            // The same readings all on time: the same alert, on time, and the rule that skips late ones fires too.
            onTime.watermark(30 * S);
            for (long[] r : new long[][] {{40, 71}, {60, 72}, {70, 73}, {90, 50}}) {
                onTime(onTime, "d", r[0] * S, r[1]);
            }
            onTime.watermark(100 * S);
            assertThat(onTime.takeAlerts()).extracting(LateReadingsHarnessTest::describe).containsExactlyInAnyOrder(
                    "hot FIRING d@40..70", "hot-skip FIRING d@40..70");
        }
    }

    @Test
    void aRiseCompletedByAnOnTimeReadingAfterLateOnesIsOnTime() throws Exception {
        try (AlertRulesHarness h = new AlertRulesHarness(List.of(UP))) {
            onTime(h, "e", 10 * S, 20);
            h.watermark(100 * S);
            late(h, "e", 40 * S, 30, 100 * S); // up by 10 only
            late(h, "e", 50 * S, 36, 100 * S); // up by 16 from 20 (at 10 s, 40 s before): a rise, late
            onTime(h, "e", 120 * S, 60); // a rise again (from 20 at 10 s), on time, but the episode is open
            h.watermark(130 * S);
            assertThat(h.takeAlerts()).extracting(LateReadingsHarnessTest::describe).containsExactly(
                    "up FIRING e@10..50 late 50s");
        }
    }

    static final io.sensorflow.rules.StuckRule SAME = new io.sensorflow.rules.StuckRule("same", Severity.INFO, "",
            Metric.HUMIDITY, 3, null, Duration.ZERO, io.sensorflow.rules.SensorScope.ALL).withLate(Late.EVALUATE);

    static void late(AlertRulesHarness h, String sensor, long time, double temperature, double humidity, long judgedBy)
            throws Exception {
        Reading r = new Reading();
        r.sensorId = sensor;
        r.eventTime = time;
        r.temperature = temperature;
        r.humidity = humidity;
        r.lateForRules = true;
        r.judgedBy = judgedBy;
        h.reading(r);
    }

    /**
     * A queue sent in a burst at one time (a producer that stamps whole seconds sends several
     * readings a second, and a client that retries sends one twice): of the late readings of one
     * sensor at one time, the rules take only the first. An exact repeat of it must not count as
     * another reading (the stuck rule's run, the sequence's count), and neither does, by the
     * definition (newer than every reading the rules were given), another reading at that time:
     * on time the three readings at 30 s are a run of three, late they are one reading. Across a
     * restore in the middle of the burst, the same.
     */
    @Test
    void aBurstOfLateReadingsAtOneTimeIsOneReadingForTheRules() throws Exception {
        List<Rule> rules = List.of(HOT, SAME);
        List<OperatorSubtaskState> snapshot;
        try (AlertRulesHarness h = new AlertRulesHarness(rules)) {
            onTime(h, "f", 10 * S, 50);
            h.watermark(100 * S);
            late(h, "f", 30 * S, 71, 40, 100 * S);
            late(h, "f", 30 * S, 71, 40, 100 * S); // an exact repeat
            late(h, "f", 30 * S, 72, 40, 100 * S); // another reading at 30 s
            snapshot = h.snapshot(1);
        }
        try (AlertRulesHarness h = new AlertRulesHarness(rules, snapshot)) {
            late(h, "f", 30 * S, 73, 40, 100 * S);
            late(h, "f", 30 * S, 71, 40, 100 * S); // the repeat again, after the restore
            h.watermark(101 * S);
            assertThat(h.takeAlerts()).as("one reading at 30 s: no run of three, no humidity stuck three times").isEmpty();
            late(h, "f", 40 * S, 74, 40, 101 * S); // with 30 s: two readings above 70, humidity twice
            late(h, "f", 40 * S, 74, 40, 101 * S);
            h.watermark(102 * S);
            assertThat(h.takeAlerts()).isEmpty();
            late(h, "f", 50 * S, 75, 40, 102 * S); // the third
            h.watermark(110 * S);
            List<Alert> alerts = h.takeAlerts();
            assertThat(alerts).extracting(LateReadingsHarnessTest::describe).containsExactlyInAnyOrder(
                    "hot FIRING f@30..50 late 52s", "same FIRING f@30..50 late 52s");
            Alert run = alerts.stream().filter(a -> a.ruleId.equals("hot")).findFirst().orElseThrow();
            assertThat(run.values).containsExactly(71, 74, 75); // the first reading at 30 s, none of the others
        }
        // The same readings on time: the three distinct readings at 30 s are a run, and their humidity
        // three in a row (the repeats count once).
        try (AlertRulesHarness h = new AlertRulesHarness(rules)) {
            onTime(h, "f", 10 * S, 50);
            h.watermark(20 * S);
            for (double t : new double[] {71, 71, 72, 73, 71}) {
                Reading r = new Reading();
                r.sensorId = "f";
                r.eventTime = 30 * S;
                r.temperature = t;
                r.humidity = 40;
                h.reading(r);
            }
            h.watermark(110 * S);
            assertThat(h.takeAlerts()).extracting(LateReadingsHarnessTest::describe).containsExactlyInAnyOrder(
                    "hot FIRING f@30..30", "same FIRING f@30..30");
        }
    }
}
