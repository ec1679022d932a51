package io.sensorflow.job.alerts;

import static io.sensorflow.job.alerts.AlertRulesHarness.lives;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.alert.AlertIds;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Temperature stuck: the same value four readings in a row, or for 30 seconds. */
class StuckRuleHarnessTest {

    static final long S = 1_000L;
    static final StuckRule FOUR = StuckRule.ofReadings("stuck", Severity.WARNING, Metric.TEMPERATURE, 4);
    static final StuckRule HALF_MINUTE = StuckRule.ofDuration("frozen", Severity.INFO, Metric.TEMPERATURE, Duration.ofSeconds(30));

    private AlertRulesHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new AlertRulesHarness(List.of(FOUR));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void firesAtTheFourthReadingOfARunOncePerEpisodeAndResolvesAtTheFirstOtherValue() throws Exception {
        h.reading("a", 0, 20.5);
        h.reading("a", 10 * S, 21.5); // the run starts here
        for (int i = 2; i <= 9; i++) {
            h.reading("a", i * 10 * S, 21.5); // the fourth at 40 s: FIRING; the rest: the same episode
        }
        h.watermark(95 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(lives(alerts)).containsExactly("stuck FIRING@10..40");
        Alert a = alerts.get(0);
        assertThat(a.ruleKind).isEqualTo("stuck");
        assertThat(a.alertId).isEqualTo(AlertIds.of("stuck", "a", 10 * S).toString());
        assertThat(a.readingTimes).containsExactly(10 * S, 40 * S);
        assertThat(a.values).containsExactly(21.5, 21.5);
        assertThat(a.message).isEqualTo("temperature on sensor a stuck at 21.5 for 4 readings since " + AlertJson.time(10 * S));

        h.reading("a", 100 * S, 22);
        h.watermark(105 * S);
        alerts = h.takeAlerts();
        assertThat(lives(alerts)).containsExactly("stuck RESOLVED@10..100");
        assertThat(alerts.get(0).alertId).isEqualTo(a.alertId);
        assertThat(alerts.get(0).readingTimes).containsExactly(10 * S, 40 * S, 100 * S);
        assertThat(alerts.get(0).values).containsExactly(21.5, 21.5, 22);
        assertThat(alerts.get(0).message).startsWith("temperature on sensor a changed to 22, stuck at 21.5 since ");
        assertThat(h.candidatesSeen).as("the reading that completed the run and the one that ended it").isEqualTo(2);
    }

    @Test
    void threeInARowIsNoneAndReadingsWithoutTheMetricNeitherExtendNorBreakARun() throws Exception {
        h.reading("b", 0, 30);
        h.reading("b", 10 * S, 30);
        h.reading("b", 20 * S, 30);
        h.reading("b", 30 * S, 31); // three, then another value: nothing
        h.reading("b", 40 * S, 31);
        h.reading("b", 50 * S, Double.NaN, 12); // no temperature
        h.reading("b", 60 * S, 31);
        h.reading("b", 70 * S, 31); // the fourth 31
        h.watermark(80 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("stuck FIRING@30..70");
    }

    @Test
    void forADurationFiresAtTheFirstReadingThatLongAfterTheRunsStartMinusZeroEqualingZero() throws Exception {
        h.close();
        h = new AlertRulesHarness(List.of(HALF_MINUTE));
        h.reading("a", 0, 0.0);
        h.reading("a", 10 * S, -0.0);
        h.reading("a", 29 * S, 0.0);
        h.reading("a", 30 * S, 0.0); // 30 s after the start: FIRING
        h.reading("a", 31 * S, 1.0); // RESOLVED
        h.reading("b", 0, 5);
        h.reading("b", 29 * S, 5);
        h.reading("b", 40 * S, 6); // the run lasted 29 s: nothing
        h.watermark(50 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("frozen FIRING@0..30", "frozen RESOLVED@0..31");
    }

    @Test
    void aCooldownDropsAStuckRunThatCompletesWithinItAfterTheResolution() throws Exception {
        h.close();
        StuckRule cooling = new StuckRule("stuck", Severity.WARNING, "", Metric.TEMPERATURE, 2, null, Duration.ofMinutes(1),
                SensorScope.ALL);
        h = new AlertRulesHarness(List.of(cooling));
        h.reading("a", 0, 20);
        h.reading("a", 10 * S, 20); // FIRING
        h.reading("a", 20 * S, 21); // RESOLVED at 20 s
        h.reading("a", 30 * S, 21); // a run again, 10 s after: in the cooldown, dropped
        h.reading("a", 40 * S, 22); // nothing open: no RESOLVED
        h.reading("a", 80 * S, 23);
        h.reading("a", 90 * S, 23); // 70 s after the RESOLVED: FIRING
        h.watermark(100 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("stuck FIRING@0..10", "stuck RESOLVED@0..20", "stuck FIRING@80..90");
    }

    @Test
    void outOfOrderReadingsAreTakenInEventTimeOrderAndAnExactRepeatOnce() throws Exception {
        h.reading("a", 20 * S, 25);
        h.reading("a", 0, 25);
        h.reading("a", 0, 25); // the same reading again: once
        h.reading("a", 10 * S, 25);
        h.reading("a", 10 * S, 25);
        h.watermark(25 * S);
        assertThat(h.takeAlerts()).as("three readings, not five").isEmpty();
        h.reading("a", 30 * S, 25);
        h.watermark(35 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("stuck FIRING@0..30");
    }

    @Test
    void aRunAcrossARestoreFiresOnceAndItsEpisodeResolvesAfterAnother() throws Exception {
        h.reading("a", 0, 40);
        h.reading("a", 10 * S, 40);
        h.reading("b", 0, 50);
        for (int i = 1; i <= 4; i++) {
            h.reading("b", i * 10 * S, 50); // b fires before the snapshot, at its fourth (30 s)
        }
        h.watermark(45 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("stuck FIRING@0..30");
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(List.of(FOUR), snapshot);
        h.reading("a", 50 * S, 40);
        h.reading("a", 60 * S, 40); // a's fourth 40: its run began before the restore
        h.reading("b", 50 * S, 50); // b still stuck: the same episode
        h.reading("b", 60 * S, 51); // b resolved
        h.watermark(70 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.sensorId + " " + a.status + "@" + a.spanStart / S + ".." + a.spanEnd / S)
                .containsExactlyInAnyOrder("a FIRING@0..60", "b RESOLVED@0..60");
    }

    @Test
    void runsStartingAtOneTimeAreOneEpisodeWithTheFirstRunsId() throws Exception {
        h.close();
        h = new AlertRulesHarness(List.of(StuckRule.ofReadings("stuck", Severity.WARNING, Metric.TEMPERATURE, 2)));
        h.reading("a", 0, 20);
        h.reading("a", 0, 20.5);
        h.reading("a", 0, 20.5); // a repeat? the same content at the same time: once
        h.reading("a", 10 * S, 20.5); // the run of 20.5 that began at 0: FIRING
        h.watermark(20 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.alertId)
                .containsExactly(AlertIds.of("stuck", "a", 0, 1).toString());
    }
}
