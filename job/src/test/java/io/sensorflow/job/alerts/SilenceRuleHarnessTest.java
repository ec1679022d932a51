package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.alert.AlertIds;
import io.sensorflow.rules.cep.SilenceEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No reading for five minutes, through the selector's silence events and the rule's pattern in a
 * real CEP operator ({@link io.sensorflow.rules.cep.RulePatterns#silenceOverQuiet}).
 */
class SilenceRuleHarnessTest {

    static final long S = 1_000L;
    static final long MIN = 60 * S;
    static final SilenceRule QUIET = new SilenceRule("quiet", Severity.WARNING, "", Duration.ofMinutes(5));

    private AlertRulesHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new AlertRulesHarness(List.of(QUIET));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** Sensor "b" reads every 10 s from {@code from} to {@code to}, keeping event time going. */
    private void others(long from, long to) throws Exception {
        for (long t = from; t <= to; t += 10 * S) {
            h.reading("b", t, 20);
            h.watermark(t - 5 * S);
        }
    }

    @Test
    void firesWhenTheWatermarkReachesTheLastReadingPlusFiveMinutesAndNotBefore() throws Exception {
        h.reading("a", 0, 20);
        h.reading("a", 10 * S, 20);
        others(0, 5 * MIN + 10 * S + 5 * S - 10);
        h.watermark(5 * MIN + 10 * S - 1);
        assertThat(h.takeAlerts()).isEmpty();

        h.watermark(5 * MIN + 10 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.status).isEqualTo(Alert.FIRING);
        assertThat(a.sensorId).isEqualTo("a");
        assertThat(a.ruleKind).isEqualTo("silence");
        assertThat(a.alertId).isEqualTo(AlertIds.of("quiet", "a", 10 * S).toString());
        assertThat(a.spanStart).isEqualTo(10 * S);
        assertThat(a.spanEnd).isEqualTo(5 * MIN + 10 * S);
    }

    @Test
    void oneAlertPerEpisodeAndAResolvedWithTheSameIdWhenTheSensorIsBack() throws Exception {
        h.reading("a", 0, 20);
        others(0, 20 * MIN);
        h.reading("a", 20 * MIN + 1, 20);
        h.watermark(20 * MIN + 1);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).extracting(a -> a.status).containsExactly(Alert.FIRING, Alert.RESOLVED);
        assertThat(alerts.get(1).alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(alerts.get(1).resolvedAt).isEqualTo(20 * MIN + 1);
        assertThat(alerts.get(1).readingTimes).containsExactly(0, 20 * MIN + 1);
    }

    @Test
    void aGapOfExactlyTheThresholdIsNoSilenceAndOneMillisecondMoreIs() throws Exception {
        h.reading("a", 0, 20);
        h.reading("a", 5 * MIN, 20);
        h.reading("a", 10 * MIN + 1, 20);
        h.reading("a", 10 * MIN + 2, 20);
        h.watermark(11 * MIN);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).extracting(a -> a.status + "@" + a.spanStart)
                .containsExactly(Alert.FIRING + "@" + 5 * MIN, Alert.RESOLVED + "@" + 5 * MIN);
    }

    @Test
    void aJumpOfTheWatermarkPastASilenceAndItsEndReportsBoth() throws Exception {
        h.reading("a", 0, 20);
        h.reading("a", 30 * MIN, 20);
        h.watermark(40 * MIN);
        // ...and the silence after 30 min too, due at 35 min.
        assertThat(h.takeAlerts()).extracting(a -> a.status + "@" + a.spanStart).containsExactly(
                Alert.FIRING + "@0", Alert.RESOLVED + "@0", Alert.FIRING + "@" + 30 * MIN);
    }

    @Test
    void theWholeFleetGoingQuietFiresForEverySensorOnceTheWatermarkMovesOn() throws Exception {
        for (int i = 0; i < 50; i++) {
            h.reading("s" + i, i * S, 20);
        }
        h.watermark(45 * S);
        // No data any more: the source's idle advance moves the watermark with the wall clock.
        h.watermark(6 * MIN);
        assertThat(h.takeAlerts()).hasSize(50).allMatch(a -> a.status.equals(Alert.FIRING));
    }

    @Test
    void theEndOfABoundedInputIsNotASilence() throws Exception {
        h.reading("a", 0, 20);
        h.reading("b", 0, 20);
        h.endOfInput();
        assertThat(h.takeAlerts()).isEmpty();
    }

    @Test
    void aSensorThatKeepsReportingSendsCepNothingAndASilenceTwoEvents() throws Exception {
        for (long t = 0; t < 60 * MIN; t += S) {
            h.reading("a", t, 20);
            h.watermark(t - 5 * S);
        }
        assertThat(h.takeAlerts()).isEmpty();
        assertThat(h.silenceEventsSeen).isZero(); // 3,600 readings
        h.watermark(65 * MIN); // silent since 59:59
        h.reading("a", 70 * MIN, 20);
        h.watermark(70 * MIN);
        assertThat(h.takeAlerts()).extracting(a -> a.status).containsExactly(Alert.FIRING, Alert.RESOLVED);
        assertThat(h.silenceEvents).extracting(e -> e.kind).containsExactly(SilenceEvent.QUIET, SilenceEvent.BACK);
    }

    @Test
    void aSensorThatStopsRightAfterARestoreFiresOnTime() throws Exception {
        for (long t = 0; t <= 60 * S; t += 10 * S) {
            h.reading("a", t, 20);
            h.reading("b", t, 20);
        }
        h.watermark(55 * S); // 60 s is still held by the selector
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(List.of(QUIET), snapshot);
        others(70 * S, 6 * MIN); // "a" says nothing after the restore; the watermark reaches 5:55
        h.watermark(5 * MIN + 60 * S - 1);
        assertThat(h.takeAlerts()).isEmpty();
        h.watermark(5 * MIN + 60 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.sensorId + "@" + a.spanStart).containsExactly("a@" + 60 * S);
    }

    @Test
    void cepKeepsNothingAndTheSelectorForgetsASilentSensorNeverHeardFromAgain() throws Exception {
        h.reading("a", 0, 20);
        h.watermark(5 * MIN);
        assertThat(h.takeAlerts()).hasSize(1);
        KeyedOneInputStreamOperatorTestHarness<String, ?, Alert> cep = h.downstream.get(0);
        assertThat(cep.numKeyedStateEntries()).as("no partial match, nothing buffered").isZero();
        SelectAlertCandidates selector = (SelectAlertCandidates) h.selector.getOperator();
        h.snapshot(1);
        assertThat(selector.trackedSensors()).as("the latest reading, for the RESOLVED").isOne();

        h.watermark(AlertRulesHarness.FORGET_AFTER.toMillis());
        h.snapshot(2);
        assertThat(selector.trackedSensors()).isZero();
        // Back after that, it is a new sensor: no RESOLVED.
        h.reading("a", AlertRulesHarness.FORGET_AFTER.toMillis() + MIN, 20);
        h.watermark(AlertRulesHarness.FORGET_AFTER.toMillis() + MIN);
        assertThat(h.takeAlerts()).isEmpty();
        assertThat(cep.numKeyedStateEntries()).isZero();
    }

    @Test
    void aSensorBackAfterResolvingArmsItsNextSilence() throws Exception {
        h.reading("a", 0, 20);
        h.watermark(6 * MIN);
        h.reading("a", 7 * MIN, 20);
        h.watermark(7 * MIN);
        assertThat(h.takeAlerts()).extracting(a -> a.status).containsExactly(Alert.FIRING, Alert.RESOLVED);
        h.watermark(12 * MIN);
        List<Alert> second = h.takeAlerts();
        assertThat(second).extracting(a -> a.status + "@" + a.spanStart).containsExactly(Alert.FIRING + "@" + 7 * MIN);
    }

    @Test
    void twoRulesWithDifferentThresholdsFireEachAtItsOwnTimeFromOneEventEach() throws Exception {
        SilenceRule longQuiet = new SilenceRule("long-quiet", Severity.CRITICAL, "", Duration.ofMinutes(12));
        try (AlertRulesHarness two = new AlertRulesHarness(List.of(QUIET, longQuiet))) {
            two.reading("a", 0, 20);
            two.watermark(5 * MIN);
            assertThat(two.takeAlerts()).extracting(a -> a.ruleId + " " + a.status).containsExactly("quiet FIRING");
            two.watermark(12 * MIN - 1);
            assertThat(two.takeAlerts()).isEmpty();
            two.watermark(12 * MIN);
            assertThat(two.takeAlerts()).extracting(a -> a.ruleId + " " + a.status).containsExactly("long-quiet FIRING");
            // Back after 8 minutes, then quiet again: an end only the shorter rule resolves.
            two.reading("a", 20 * MIN, 20);
            two.reading("a", 28 * MIN, 20);
            two.watermark(28 * MIN);
            assertThat(two.takeAlerts()).extracting(a -> a.ruleId + " " + a.status + "@" + a.spanStart).containsExactlyInAnyOrder(
                    "quiet RESOLVED@0", "long-quiet RESOLVED@0", "quiet FIRING@" + 20 * MIN, "quiet RESOLVED@" + 20 * MIN);
            assertThat(two.silenceEvents).extracting(e -> e.kind).containsExactly(SilenceEvent.QUIET, SilenceEvent.QUIET,
                    SilenceEvent.BACK, SilenceEvent.QUIET, SilenceEvent.BACK);
        }
    }

    @Test
    void aRestoreAfterTheFiringRepeatsNothingAndTheSensorBackResolvesIt() throws Exception {
        h.reading("a", 0, 20);
        h.watermark(6 * MIN);
        assertThat(h.takeAlerts()).extracting(a -> a.status).containsExactly(Alert.FIRING);
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(List.of(QUIET), snapshot);
        h.watermark(6 * MIN); // the sources' first watermark after the restore
        h.watermark(7 * MIN);
        assertThat(h.takeAlerts()).isEmpty();
        h.reading("a", 8 * MIN, 20);
        h.watermark(8 * MIN);
        List<Alert> back = h.takeAlerts();
        assertThat(back).extracting(a -> a.status).containsExactly(Alert.RESOLVED);
        assertThat(back.get(0).alertId).isEqualTo(AlertIds.of("quiet", "a", 0).toString());
    }
}
