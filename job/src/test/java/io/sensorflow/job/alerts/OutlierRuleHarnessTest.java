package io.sensorflow.job.alerts;

import static io.sensorflow.job.alerts.AlertRulesHarness.lives;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.alert.AlertIds;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A temperature more than 3 standard deviations from the sensor's last 4 readings, resolved by 2 readings that are none. */
class OutlierRuleHarnessTest {

    static final long S = 1_000L;
    static final OutlierRule SPIKE = OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 3, 4)
            .with(4, 2, Duration.ZERO, SensorScope.ALL);

    private AlertRulesHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new AlertRulesHarness(List.of(SPIKE));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** 20, 21, 20, 21 ... every 10 s from {@code from} s, {@code count} readings. */
    private void calm(String sensor, int from, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            h.reading(sensor, (from + i * 10) * S, 20 + (from / 10 + i) % 2);
        }
    }

    @Test
    void firesAtTheFirstOutlierOfAStretchWithItsStatisticsAndResolvesAfterTwoReadingsThatAreNone() throws Exception {
        calm("a", 0, 4); // 20, 21, 20, 21
        h.reading("a", 40 * S, 40); // mean 20.5, sd 0.577: FIRING
        h.reading("a", 50 * S, 100); // an outlier too, while the episode is open: left out
        h.reading("a", 60 * S, 21);
        h.reading("a", 70 * S, 20); // the second that is none: RESOLVED
        h.watermark(75 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(lives(alerts)).containsExactly("spike FIRING@40..40", "spike RESOLVED@40..70");
        Alert a = alerts.get(0);
        assertThat(a.ruleKind).isEqualTo("outlier");
        assertThat(a.alertId).isEqualTo(AlertIds.of("spike", "a", 40 * S).toString());
        assertThat(a.readingTimes).containsExactly(40 * S);
        assertThat(a.values).containsExactly(40.0);
        assertThat(a.message).isEqualTo("temperature on sensor a at 40: z = " + MatchToAlert.round(19.5 / Math.sqrt(1.0 / 3))
                + " against the mean 20.5 and sd 0.577 of its 4 readings before it (k 3)");
        Alert r = alerts.get(1);
        assertThat(r.alertId).isEqualTo(a.alertId);
        assertThat(r.readingTimes).containsExactly(40 * S, 70 * S);
        assertThat(r.values).containsExactly(40.0, 20.0);
        assertThat(r.message).startsWith("temperature on sensor a within 3 standard deviations of its recent readings for"
                + " 2 readings (last 20), an outlier (40) at ");
        assertThat(h.candidatesSeen).as("the first outlier and the two after the stretch").isEqualTo(3);
    }

    @Test
    void tooFewReadingsAFlatWindowAndReadingsWithoutTheMetricMakeNoOutlier() throws Exception {
        h.reading("b", 0, 20);
        h.reading("b", 10 * S, 21);
        h.reading("b", 20 * S, 20);
        h.reading("b", 30 * S, 90); // 3 readings before it: fewer than min_readings
        for (int i = 0; i < 4; i++) {
            h.reading("c", i * 10 * S, 50);
            h.reading("c", i * 10 * S + 1, Double.NaN, 12); // no temperature: in no window
        }
        h.reading("c", 40 * S, 90); // sd 0
        h.watermark(50 * S);
        assertThat(h.takeAlerts()).isEmpty();
        assertThat(h.candidatesSeen).isZero();
    }

    @Test
    void aCooldownDropsAnOutlierWithinItAfterTheResolution() throws Exception {
        h.close();
        h = new AlertRulesHarness(List.of(SPIKE.with(4, 1, Duration.ofMinutes(1), SensorScope.ALL)));
        calm("a", 0, 4);
        h.reading("a", 40 * S, 40); // FIRING
        h.reading("a", 50 * S, 21); // RESOLVED at 50 s
        calm("a", 60, 3);
        h.reading("a", 90 * S, 60); // an outlier 40 s after the RESOLVED: in the cooldown, dropped
        calm("a", 100, 5);
        h.reading("a", 150 * S, 60); // 100 s after it: FIRING
        h.watermark(155 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("spike FIRING@40..40", "spike RESOLVED@40..50",
                "spike FIRING@150..150");
    }

    @Test
    void aStretchOfOutliersThatGoesOnPastTheCooldownFiresAtItsFirstOutlierPastIt() throws Exception {
        h.close();
        h = new AlertRulesHarness(List.of(OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 3, 10)
                .with(10, 2, Duration.ofMinutes(1), SensorScope.ALL)));
        calm("a", 0, 10);
        h.reading("a", 100 * S, 40); // FIRING
        h.reading("a", 110 * S, 21);
        h.reading("a", 120 * S, 20); // RESOLVED at 120 s: no FIRING before 180 s
        double v = 200;
        for (int t = 130; t <= 190; t += 10, v *= 10) {
            h.reading("a", t * S, v); // ten times the largest of its window: each an outlier, one stretch
        }
        h.watermark(195 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(lives(alerts)).containsExactly("spike FIRING@100..100", "spike RESOLVED@100..120",
                "spike FIRING@180..180");
        assertThat(alerts.get(2).alertId).isEqualTo(AlertIds.of("spike", "a", 180 * S).toString());
        assertThat(h.candidatesSeen).as("the first outlier, the two that resolve, the stretch's first and the one past"
                + " the cooldown; those within it and the one after the FIRING are left out").isEqualTo(5);
    }

    @Test
    void ofOutliersAtOneTimeTheFirstOpensTheEpisodeWhenAResolutionAtThatTimeClosedTheOneBefore() throws Exception {
        h.close();
        h = new AlertRulesHarness(List.of(OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 0.5, 2)
                .with(2, 2, Duration.ZERO, SensorScope.ALL)));
        double[] values = {21.1, 20.9, 19.2, 19.2, 21.0, 8.0, 21.0};
        for (int i = 0; i < values.length; i++) {
            h.reading("a", i * 10 * S, values[i]); // FIRING at 20 s; 40 s is none, the rest outliers: still open
        }
        // At 70 s: an outlier (while open: kept back), none, an outlier (the first of a stretch), two that are none
        // (they resolve at 70 s): the episode closes, and the first outlier of 70 s opens the next, not the later one.
        for (double v : new double[] {21.0, 9.0, 25.0, 19.9, 22.0}) {
            h.reading("a", 70 * S, v);
        }
        h.watermark(75 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(lives(alerts)).containsExactly("spike FIRING@20..20", "spike RESOLVED@20..70", "spike FIRING@70..70");
        assertThat(alerts.get(2).values).containsExactly(21.0);
    }

    @Test
    void outOfOrderReadingsAreTakenInEventTimeOrderAndAnExactRepeatOnce() throws Exception {
        h.reading("a", 30 * S, 21);
        h.reading("a", 10 * S, 21);
        h.reading("a", 0, 20);
        h.reading("a", 0, 20); // the same reading again: once, else the window would be 20, 20, 21, 20
        h.reading("a", 20 * S, 20);
        h.reading("a", 40 * S, 22.5); // window 20, 21, 20, 21: 2 from the mean, more than 3 * 0.577
        h.watermark(45 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("spike FIRING@40..40");
    }

    @Test
    void aDurationWindowHoldsTheReadingsOfTheLastDBeforeTheReading() throws Exception {
        h.close();
        OutlierRule timed = OutlierRule.ofDuration("spike-30s", Severity.INFO, Metric.TEMPERATURE, 3, Duration.ofSeconds(30))
                .with(3, 1, Duration.ZERO, SensorScope.ALL);
        h = new AlertRulesHarness(List.of(timed));
        h.reading("a", 0, 100); // exactly 30 s before the reading at 30 s: in its window
        h.reading("a", 10 * S, 20);
        h.reading("a", 20 * S, 21);
        h.reading("a", 30 * S, 22); // window 100, 20, 21: none
        h.reading("a", 40 * S, 25); // window 20, 21, 22 (100 left it): mean 21, sd 1: 4 away, FIRING
        h.reading("a", 50 * S, 23); // window 21, 22, 25: none: RESOLVED
        h.watermark(55 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("spike-30s FIRING@40..40", "spike-30s RESOLVED@40..50");
    }

    @Test
    void aWindowAndAnEpisodeAcrossARestore() throws Exception {
        calm("a", 0, 3);
        calm("b", 0, 4);
        h.reading("b", 40 * S, 40); // b fires before the snapshot
        h.watermark(45 * S);
        assertThat(lives(h.takeAlerts())).containsExactly("spike FIRING@40..40");
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(List.of(SPIKE), snapshot);
        h.reading("a", 30 * S, 21); // a's fourth: its window began before the restore
        h.reading("a", 40 * S, 30); // FIRING
        h.reading("b", 50 * S, 21);
        h.reading("b", 60 * S, 20); // b's episode, open since before the restore, RESOLVED
        h.watermark(70 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.sensorId + " " + a.status + "@" + a.spanStart / S + ".." + a.spanEnd / S)
                .containsExactlyInAnyOrder("a FIRING@40..40", "b RESOLVED@40..60");
    }
}
