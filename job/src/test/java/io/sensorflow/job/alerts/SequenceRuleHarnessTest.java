package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.alert.AlertIds;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Temperature above 70 three times in a row within a minute, through the selector and a real CEP operator. */
class SequenceRuleHarnessTest {

    static final long S = 1_000L;
    static final SequenceRule HOT = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
            Duration.ofMinutes(1));
    static final SequenceRule CLOSE = new SequenceRule("close", Severity.WARNING, "", Metric.DISTANCE_CM, false, 10, 5,
            Duration.ofSeconds(30));

    private AlertRulesHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new AlertRulesHarness(List.of(HOT, CLOSE));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void firesOnceWhenTheWatermarkPassesTheThirdExtremeReadingAndNotBefore() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 72);
        h.reading("a", 30 * S, 73);
        h.watermark(29 * S);
        assertThat(h.takeAlerts()).isEmpty();

        h.watermark(30 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.status).isEqualTo(Alert.FIRING);
        assertThat(a.ruleId).isEqualTo("hot");
        assertThat(a.ruleKind).isEqualTo("sequence");
        assertThat(a.severity).isEqualTo("critical");
        assertThat(a.sensorId).isEqualTo("a");
        assertThat(a.alertId).isEqualTo(AlertIds.of("hot", "a", 10 * S).toString());
        assertThat(a.readingTimes).containsExactly(10 * S, 20 * S, 30 * S);
        assertThat(a.values).containsExactly(71, 72, 73);
        assertThat(a.spanStart).isEqualTo(10 * S);
        assertThat(a.spanEnd).isEqualTo(30 * S);
    }

    @Test
    void anEpisodeIsResolvedByCountReadingsBackAndOnlyThenCanFireAgain() throws Exception {
        double[] values = {71, 72, 73, 50, 74, 75, 76, 50, 50, 50, 77, 78, 79};
        for (int i = 0; i < values.length; i++) {
            h.reading("a", (i + 1) * 10 * S, values[i]);
        }
        h.watermark(200 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).extracting(a -> a.status + "@" + a.spanEnd / S).containsExactly(
                "FIRING@30", "RESOLVED@100", "FIRING@130"); // the run at 50-70 s came while the first was open
        Alert resolved = alerts.get(1);
        assertThat(resolved.alertId).isEqualTo(alerts.get(0).alertId);
        assertThat(resolved.spanStart).isEqualTo(10 * S);
        assertThat(resolved.resolvedAt).isEqualTo(100 * S);
        assertThat(resolved.readingTimes).containsExactly(10 * S, 20 * S, 30 * S, 100 * S);
        assertThat(resolved.values).containsExactly(71, 72, 73, 50);
        assertThat(resolved.message).isEqualTo("temperature back at or below 70 for 3 readings on sensor a (last 50),"
                + " above since " + AlertJson.time(10 * S));
        assertThat(alerts.get(2).alertId).isEqualTo(AlertIds.of("hot", "a", 110 * S).toString());
    }

    @Test
    void aResolutionAtTheTimeOfTheMatchDoesNotEndItsEpisode() throws Exception {
        // A burst at 10 s: a run that matches, then three readings back, then an extreme one. At one
        // time a resolution is taken before the match, so the episode stays open; the readings at 20 s
        // are what resolve it (the selector must still pass them on: found by SeedProducerIT).
        for (double v : new double[] {71, 72, 73, 50, 50, 50, 74}) {
            h.reading("a", 10 * S, v);
        }
        for (int i = 0; i < 3; i++) {
            h.reading("a", 20 * S, 50 - i);
        }
        h.watermark(30 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.status + "@" + a.spanEnd / S).containsExactly("FIRING@10", "RESOLVED@20");
    }

    @Test
    void aCooldownDropsARunThatCompletesWithinItAfterTheResolution() throws Exception {
        h.close();
        SequenceRule cooling = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1), 1, Duration.ofSeconds(50));
        h = new AlertRulesHarness(List.of(cooling));
        // fires at 30 s, resolved at 40 s; a run completing at 70 s is within 50 s of it, one at 110 s is not
        double[] values = {71, 72, 73, 50, 71, 72, 73, 50, 71, 72, 73};
        long[] at = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110};
        for (int i = 0; i < values.length; i++) {
            h.reading("a", at[i] * S, values[i]);
        }
        h.watermark(200 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.status + "@" + a.spanEnd / S).containsExactly(
                "FIRING@30", "RESOLVED@40", "FIRING@110");
        assertThat(h.lifecycles.get(0).numKeyedStateEntries()).as("the open episode, and when it was last matched")
                .isEqualTo(2);
    }

    @Test
    void anOpenEpisodeSurvivesARestoreAndIsResolvedAfterIt() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 72);
        h.reading("a", 30 * S, 73);
        h.reading("a", 40 * S, 50);
        h.watermark(45 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.status).containsExactly(Alert.FIRING);
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(List.of(HOT, CLOSE), snapshot);
        h.reading("a", 50 * S, 74); // a run while open: no alert
        h.reading("a", 60 * S, 75);
        h.reading("a", 70 * S, 76);
        for (int i = 8; i <= 10; i++) {
            h.reading("a", i * 10 * S, 50);
        }
        h.watermark(200 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.status + "@" + a.spanStart / S + ".." + a.spanEnd / S)
                .containsExactly("RESOLVED@10..100");
    }

    @Test
    void aLongRunGivesOneAlertWhileItsEpisodeIsOpen() throws Exception {
        for (int i = 1; i <= 20; i++) {
            h.reading("a", i * 10 * S, 75);
        }
        h.watermark(300 * S);
        assertThat(h.takeAlerts()).hasSize(1);
        assertThat(h.candidatesSeen).as("every reading of the run may match: the lifecycle decides").isEqualTo(20);
    }

    @Test
    void aRunThatGoesOnPastTheCooldownFiresWhenItIsOver() throws Exception {
        h.close();
        SequenceRule cooling = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1), 3, Duration.ofSeconds(50));
        h = new AlertRulesHarness(List.of(cooling));
        // fires at 30 s, resolved at 60 s; the next run matches at 90 and 100 s (within the cooldown) and at 110 s
        double[] values = {71, 72, 73, 50, 50, 50, 71, 72, 73, 74, 75};
        for (int i = 0; i < values.length; i++) {
            h.reading("a", (i + 1) * 10 * S, values[i]);
        }
        h.watermark(200 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).extracting(a -> a.status + "@" + a.spanEnd / S).containsExactly(
                "FIRING@30", "RESOLVED@60", "FIRING@110");
        assertThat(alerts.get(2).alertId).as("named by the run's first reading").isEqualTo(AlertIds.of("hot", "a", 70 * S).toString());
        assertThat(alerts.get(2).readingTimes).containsExactly(90 * S, 100 * S, 110 * S);
    }

    @Test
    void withACooldownAnOpenEpisodesStretchIsCountedAcrossARestoreAndResolvesWhereItWould() throws Exception {
        h.close();
        SequenceRule cooling = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofMinutes(1), 3, Duration.ofSeconds(50));
        h = new AlertRulesHarness(List.of(cooling));
        // fires at 30 s; while open, 50-60 s is broken at 70 s, and the stretch back after 70 s is
        // counted across the restore; 100 s resolves, one event carrying its stretch. The run of
        // 110-150 s matches at 130 and 140 s (within the cooldown) and fires at 150 s.
        double[] before = {71, 72, 73, 50, 74, 50, 75, 50, 50};
        for (int i = 0; i < before.length; i++) {
            h.reading("a", (i + 1) * 10 * S, before[i]);
        }
        h.watermark(95 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.status + "@" + a.spanEnd / S).containsExactly("FIRING@30");
        assertThat(h.candidatesSeen).as("the run, its BACK; then nothing while the episode is provably open").isEqualTo(4);
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(List.of(cooling), snapshot);
        h.reading("a", 100 * S, 50);
        for (int i = 11; i <= 15; i++) {
            h.reading("a", i * 10 * S, 75);
        }
        h.watermark(200 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).extracting(a -> a.status + "@" + a.spanStart / S + ".." + a.spanEnd / S).containsExactly(
                "RESOLVED@10..100", "FIRING@130..150");
        assertThat(alerts.get(1).alertId).isEqualTo(AlertIds.of("hot", "a", 110 * S).toString());
        assertThat(h.candidatesSeen).as("the stretch's third reading, carrying it, and the run of five").isEqualTo(6);
    }

    @Test
    void aRunShorterThanCountIsNeverSeenByCep() throws Exception {
        double[] values = {71, 72, 50, 71, 50, 50, 71, 72};
        for (int i = 0; i < values.length; i++) {
            h.reading("a", (i + 1) * 10 * S, values[i]);
        }
        h.watermark(200 * S);
        assertThat(h.takeAlerts()).isEmpty();
        assertThat(h.candidatesSeen).isZero();
    }

    @Test
    void aNearMissMakesNoAlertAndTheNextFullRunDoes() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 72);
        h.reading("a", 30 * S, 50); // breaks the run
        h.reading("a", 40 * S, 71);
        h.watermark(45 * S);
        assertThat(h.takeAlerts()).isEmpty();

        h.reading("a", 50 * S, 71);
        h.reading("a", 60 * S, 71);
        h.watermark(60 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).extracting(a -> a.alertId).containsExactly(AlertIds.of("hot", "a", 40 * S).toString());
        assertThat(alerts.get(0).readingTimes).containsExactly(40 * S, 50 * S, 60 * S);
    }

    @Test
    void matchesTheFirstThreeThatFitWithinTheMinuteButNamesTheRunByItsFirstReading() throws Exception {
        h.reading("a", 0, 71);
        h.reading("a", 50 * S, 71);
        h.reading("a", 100 * S, 71); // 0..100 s: too slow
        h.reading("a", 110 * S, 71); // 50..110 s: exactly a minute, not within it
        h.reading("a", 120 * S, 71); // 100..120 s: a match
        h.watermark(200 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).readingTimes).containsExactly(100 * S, 110 * S, 120 * S);
        assertThat(alerts.get(0).alertId).isEqualTo(AlertIds.of("hot", "a", 0).toString());
    }

    @Test
    void withinIsStrict() throws Exception {
        h.reading("a", 0, 71);
        h.reading("a", 30 * S, 71);
        h.reading("a", 60 * S, 71); // span of exactly one minute
        h.reading("b", 0, 71);
        h.reading("b", 30 * S, 71);
        h.reading("b", 60 * S - 1, 71);
        h.watermark(61 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.sensorId).containsExactly("b");
    }

    @Test
    void outOfOrderAndDuplicatedReadingsAreTakenInEventTimeOrderOnce() throws Exception {
        h.reading("a", 30 * S, 71);
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 50); // normal, between the two: no run of three
        h.reading("a", 40 * S, 71);
        h.reading("a", 40 * S, 71); // the same reading again
        h.watermark(50 * S);
        assertThat(h.takeAlerts()).isEmpty();

        h.reading("a", 55 * S, 71);
        h.watermark(60 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.readingTimes.length).containsExactly(3);
    }

    @Test
    void readingsWithOneTimestampAreDifferentReadingsTakenInTheOrderTheyCame() throws Exception {
        // A producer stamping whole seconds sends several readings in one second.
        h.reading("a", 10 * S, 71);
        h.reading("a", 10 * S, 50); // breaks the run, as it came between them
        h.reading("a", 10 * S, 72);
        h.reading("a", 10 * S, 73);
        h.watermark(10 * S);
        assertThat(h.takeAlerts()).isEmpty();

        h.reading("a", 11 * S, 74);
        h.reading("a", 11 * S, 74); // an exact repeat: counted once
        h.watermark(11 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).readingTimes).containsExactly(10 * S, 10 * S, 11 * S);
        assertThat(alerts.get(0).values).containsExactly(72, 73, 74);
    }

    @Test
    void twoRunsAtOneTimeAreOneEpisode() throws Exception {
        for (double v : new double[] {71, 72, 73, 50, 74, 75, 76}) {
            h.reading("a", 10 * S, v);
        }
        h.watermark(10 * S);
        // The second run's match is a repeat: nothing resolved the first (one reading back, and at
        // one time a resolution would come before the matches anyway).
        assertThat(h.takeAlerts()).extracting(a -> a.alertId).containsExactly(AlertIds.of("hot", "a", 10 * S).toString());
    }

    @Test
    void aBurstOfThousandsOfReadingsWithOneTimestampDropsOnlyTheExactRepeats() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            h.reading("a", 10 * S, i % 2 == 0 ? 50 + i / 1000.0 : 50); // every other reading repeats 50
        }
        h.reading("a", 10 * S, 71);
        h.reading("a", 10 * S, 72);
        h.reading("a", 10 * S, 50); // a repeat: it must not break the run
        h.reading("a", 10 * S, 73);
        h.watermark(10 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).values).containsExactly(71, 72, 73);
    }

    @Test
    void readingsWithoutTheMetricNeitherExtendNorBreakARun() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 15 * S, Double.NaN, 200); // a distance reading only
        h.reading("a", 20 * S, 71);
        h.reading("a", 30 * S, 71);
        h.watermark(30 * S);
        assertThat(h.takeAlerts()).hasSize(1);
    }

    @Test
    void belowThresholdRulesCountTheirOwnMetricPerSensor() throws Exception {
        for (int i = 0; i < 5; i++) {
            h.reading("a", i * 5 * S, 20, 5);
            h.reading("b", i * 5 * S, 20, i == 2 ? 50 : 5);
        }
        h.watermark(25 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.ruleId + ":" + a.sensorId).containsExactly("close:a");
    }

    @Test
    void normalReadingsNeverReachCep() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            h.reading("s" + (i % 100), i * 100L, 20 + i % 30, 100);
        }
        h.watermark(1_000 * S);
        assertThat(h.takeAlerts()).isEmpty();
        assertThat(h.candidatesSeen).isZero();
    }

    @Test
    void aRunAcrossACheckpointAndRestoreFiresOnceAsWithoutTheRestore() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 72);
        h.watermark(15 * S); // 10 s released to CEP, 20 s still held by the selector
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(List.of(HOT, CLOSE), snapshot);
        h.reading("a", 30 * S, 73);
        h.reading("a", 40 * S, 74);
        h.watermark(60 * S);
        List<Alert> alerts = h.takeAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).readingTimes).containsExactly(10 * S, 20 * S, 30 * S);
    }

    @Test
    void aRunThatHadItsAlertBeforeTheRestoreDoesNotFireAgainAfterIt() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 72);
        h.reading("a", 30 * S, 73);
        h.watermark(35 * S);
        assertThat(h.takeAlerts()).hasSize(1);
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        h = new AlertRulesHarness(List.of(HOT, CLOSE), snapshot);
        for (int i = 4; i < 10; i++) {
            h.reading("a", i * 10 * S, 75);
        }
        h.watermark(200 * S);
        assertThat(h.takeAlerts()).isEmpty();
    }

    @Test
    void aSensorDroppedAtACheckpointIsLookedUpAgainAndNotLostFromTheNext() throws Exception {
        h.reading("a", 10 * S, 50);
        h.watermark(20 * S);
        h.snapshot(1); // nothing to keep for "a": dropped, though the batching slot still points at it
        h.reading("a", 30 * S, 71);
        h.reading("a", 40 * S, 72);
        h.watermark(35 * S);
        List<OperatorSubtaskState> snapshot = h.snapshot(2);
        h.close();

        h = new AlertRulesHarness(List.of(HOT, CLOSE), snapshot);
        h.reading("a", 50 * S, 73);
        h.watermark(60 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.readingTimes.length + "@" + a.spanStart).containsExactly("3@" + 30 * S);
    }

    @Test
    void cepKeepsNoTimerAndNoBufferedEventOnceARunIsResolvedAndTheSelectorForgetsTheSensor() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 72);
        h.reading("a", 30 * S, 73);
        h.reading("b", 10 * S, 71); // a run that never completes
        for (int i = 4; i <= 6; i++) { // three back within the threshold resolve a's episode
            h.reading("a", i * 10 * S, 50);
            h.reading("b", (i - 2) * 10 * S, 20);
        }
        h.watermark(10 * 60 * S);
        assertThat(h.takeAlerts()).extracting(a -> a.status).containsExactly(Alert.FIRING, Alert.RESOLVED);
        for (var op : List.of(h.downstream.get(0), h.resolutions.get(0), h.lifecycles.get(0))) {
            assertThat(op.numEventTimeTimers()).isZero();
            assertThat(op.numKeyedStateEntries()).as("no partial match, nothing open or pending: the key is cleared").isZero();
        }
        h.snapshot(1);
        // Neither sensor is in a run, holds readings or is due a heartbeat: the selector keeps nothing.
        assertThat(h.selector.getOperator()).extracting("sensors").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).isEmpty();
    }

    @Test
    void addingAndChangingRulesKeepsTheStateOfTheRuleThatDidNotChange() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 72);
        h.reading("b", 10 * S, 20, 5);
        h.reading("b", 20 * S, 20, 5);
        h.watermark(15 * S); // "a": 10 s with CEP, 20 s held by the selector
        List<OperatorSubtaskState> snapshot = h.snapshot(1);
        h.close();

        // A savepoint restored into a job whose rule file changed "close" and added a rise rule,
        // in another order: only "hot"'s operators find their state (by uid).
        SequenceRule closeChanged = new SequenceRule("close", Severity.WARNING, "", Metric.DISTANCE_CM, false, 12, 5,
                Duration.ofSeconds(30));
        List<io.sensorflow.rules.Rule> rules = List.of(RiseRuleHarnessTest.RISE, closeChanged, HOT);
        // Before: selector, hot, close, hot's resolution and lifecycle, close's. After: selector, rise,
        // close, hot, rise's resolution and lifecycle (new), close's (new: the rule changed), hot's.
        h = new AlertRulesHarness(rules, java.util.Arrays.asList(snapshot.get(0), null, null, snapshot.get(1), null, null,
                null, null, snapshot.get(3), snapshot.get(4)));
        h.reading("a", 30 * S, 73);
        for (int i = 3; i <= 5; i++) {
            h.reading("b", i * 5 * S, 20, 5);
        }
        h.watermark(60 * S);
        // "hot" continues its run across the restore, though rules moved and changed around it;
        // the changed "close" started empty and b's three readings since are no run of five.
        assertThat(h.takeAlerts()).extracting(a -> a.ruleId + ":" + a.sensorId + ":" + a.readingTimes.length)
                .containsExactly("hot:a:3");
    }

    @Test
    void theFinalWatermarkCompletesNothingThatTheDataDidNotComplete() throws Exception {
        h.reading("a", 10 * S, 71);
        h.reading("a", 20 * S, 72);
        h.endOfInput();
        assertThat(h.takeAlerts()).isEmpty();
    }
}
