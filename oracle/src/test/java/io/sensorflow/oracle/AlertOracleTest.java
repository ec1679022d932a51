package io.sensorflow.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.alert.AlertIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The alerts of hand-made streams, fed through {@link OutcomeOracle} as the simulator feeds it.
 * Every expected alert below was worked out by hand from the rules' definitions; times are
 * offsets from T0 in ms.
 */
class AlertOracleTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final int S1 = 0;
    private static final int S2 = 1;
    private static final int S3 = 2;

    private static final SilenceRule QUIET = new SilenceRule("quiet", Severity.WARNING, "", Duration.ofSeconds(10));
    private static final SequenceRule HOT = new SequenceRule("hot", Severity.CRITICAL, "",
            Metric.TEMPERATURE, true, 70, 3, Duration.ofSeconds(10));
    private static final SequenceRule CLOSE = new SequenceRule("close", Severity.WARNING, "",
            Metric.DISTANCE_CM, false, 10, 2, Duration.ofSeconds(5));
    private static final RiseRule RISE = new RiseRule("rise", Severity.WARNING, "",
            Metric.TEMPERATURE, 10, Duration.ofSeconds(60));

    private final SensorIds ids = new SensorIds(3, "s", 0);
    /** Windows and lateness long enough that no reading of these tests is too late for aggregation. */
    private final OracleParameters roomy = new OracleParameters(3_600_000, 5_000, 1_000, 3_600_000);

    private OutcomeOracle oracle(OracleParameters p, Rule... rules) {
        return new OutcomeOracle(p, ids, new RuleSet("test", List.of(rules)));
    }

    private OutcomeOracle oracle(Rule... rules) {
        return oracle(roomy, rules);
    }

    private void feed(OutcomeOracle o, MessageFacts f) {
        byte[] payload = f.toString().getBytes();
        o.onMessage(f, ids.key(f.sensor()), payload, payload.length);
    }

    /** A reading of {@code sensor} at T0 + {@code at} with seq {@code seq} and a temperature in °C. */
    private void temp(OutcomeOracle o, int sensor, long at, long seq, double celsius) {
        feed(o, new MessageFacts().reading(sensor, T0 + at, seq).value(Measurement.TEMPERATURE, tenths(celsius)));
    }

    /** A reading with humidity only: no temperature, no distance. */
    private void humidityOnly(OutcomeOracle o, int sensor, long at, long seq) {
        feed(o, new MessageFacts().reading(sensor, T0 + at, seq).value(Measurement.HUMIDITY, 500));
    }

    private static int tenths(double v) {
        return (int) Math.round(v * 10);
    }

    private static String id(Rule rule, int sensor, long at) {
        return AlertIds.of(rule.id(), "s" + (sensor + 1), T0 + at).toString();
    }

    private static List<Long> times(long... offsets) {
        return Arrays.stream(offsets).map(t -> T0 + t).boxed().toList();
    }

    private static ExpectedAlert silenceFiring(int sensor, long a, long after) {
        return new ExpectedAlert(id(QUIET, sensor, a), "quiet", "s" + (sensor + 1), ExpectedAlert.FIRING,
                T0 + a, T0 + a + after, times(a), Arrays.asList((Double) null));
    }

    private static ExpectedAlert silenceResolved(int sensor, long a, long b) {
        return new ExpectedAlert(id(QUIET, sensor, a), "quiet", "s" + (sensor + 1), ExpectedAlert.RESOLVED,
                T0 + a, T0 + b, times(a, b), Arrays.asList(null, null));
    }

    /** A FIRING of {@code rule} whose episode starts at {@code episodeStart}, over {@code readingTimes}. */
    private static ExpectedAlert firing(Rule rule, int sensor, long episodeStart, long[] readingTimes, Double... values) {
        return new ExpectedAlert(id(rule, sensor, episodeStart), rule.id(), "s" + (sensor + 1), ExpectedAlert.FIRING,
                T0 + readingTimes[0], T0 + readingTimes[readingTimes.length - 1], times(readingTimes),
                List.of(values));
    }

    private static long[] at(long... offsets) {
        return offsets;
    }

    // ---- silence ----

    @Test
    void oneSensorSilentWhileTheOthersGoOn() {
        OutcomeOracle o = oracle(QUIET);
        long seq = 0;
        for (long t = 0; t <= 60_000; t += 1_000, seq++) {
            if (t <= 20_000 || t >= 40_000) {
                temp(o, S1, t, seq, 20);
            }
            temp(o, S2, t, seq, 21);
        }
        // final W = (60 s - 5 s) - 1 ms: below 60 s + 10 s, so no silence after the last readings
        assertThat(o.outcome().alerts()).containsExactly(
                silenceFiring(S1, 20_000, 10_000),
                silenceResolved(S1, 20_000, 40_000));
        assertThat(o.outcome(T0 + 69_999).alerts()).hasSize(2);
        assertThat(o.outcome(T0 + 70_000).alerts()).containsExactly(
                silenceFiring(S1, 20_000, 10_000),
                silenceResolved(S1, 20_000, 40_000),
                silenceFiring(S1, 60_000, 10_000),
                silenceFiring(S2, 60_000, 10_000));
    }

    @Test
    void wholeFleetSilenceFiresOnceTheEventTimeReachedPassesIt() {
        OutcomeOracle o = oracle(QUIET);
        for (long t = 0; t <= 30_000; t += 1_000) {
            temp(o, S1, t, t / 1_000, 20);
            temp(o, S2, t + 500, t / 1_000, 20);
        }
        // S3 never reads: no alert before a sensor's first reading.
        assertThat(o.outcome().alerts()).isEmpty();
        assertThat(o.outcome(T0 + 39_999).alerts()).isEmpty();
        assertThat(o.outcome(T0 + 40_000).alerts()).containsExactly(silenceFiring(S1, 30_000, 10_000));
        assertThat(o.outcome(T0 + 3_600_000).alerts()).containsExactly(
                silenceFiring(S1, 30_000, 10_000),
                silenceFiring(S2, 30_500, 10_000));
    }

    @Test
    void aGapOfExactlyTheSilenceIsNoSilenceAndOneMillisecondMoreIs() {
        OutcomeOracle o = oracle(QUIET);
        temp(o, S1, 0, 0, 20);
        temp(o, S1, 10_000, 1, 20);         // 10 s after: not a silence
        temp(o, S1, 20_001, 2, 20);         // 10.001 s after: a silence from 10 s to 20 s, resolved at 20.001 s
        assertThat(o.outcome().alerts()).containsExactly(
                silenceFiring(S1, 10_000, 10_000),
                silenceResolved(S1, 10_000, 20_001));
    }

    @Test
    void readingsWithoutAnyRuleMetricStillEndASilence() {
        OutcomeOracle o = oracle(QUIET, HOT);
        temp(o, S1, 0, 0, 80);
        humidityOnly(o, S1, 8_000, 1);
        humidityOnly(o, S1, 16_000, 2);
        temp(o, S1, 24_000, 3, 80);
        assertThat(o.outcome().alerts()).isEmpty();
    }

    // ---- sequence ----

    @Test
    void aRunOfFiveExtremesGivesOneAlertOnTheFirstThree() {
        OutcomeOracle o = oracle(HOT);
        double[] values = {20, 80, 81, 82, 83, 84, 20};
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, i * 1_000L, i, values[i]);
        }
        assertThat(o.outcome().alerts()).containsExactly(firing(HOT, S1, 1_000, at(1_000, 2_000, 3_000), 80.0, 81.0, 82.0));
    }

    @Test
    void aRunWhileTheEpisodeIsOpenIsNoNewAlert() {
        OutcomeOracle o = oracle(HOT);
        double[] values = {80, 80, 80, 20, 20, 75, 76, 77}; // two readings back: HOT resolves after three
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, i * 1_000L, i, values[i]);
        }
        assertThat(o.outcome().alerts()).containsExactly(firing(HOT, S1, 0, at(0, 1_000, 2_000), 80.0, 80.0, 80.0));
    }

    @Test
    void anEpisodeResolvesAtTheCountsReadingBackAndTheNextRunFiresAgain() {
        OutcomeOracle o = oracle(HOT);
        double[] values = {80, 80, 80, 81, 20, 70, 20, 20, 75, 76, 77};
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, i * 1_000L, i, values[i]);
        }
        ExpectedAlert first = firing(HOT, S1, 0, at(0, 1_000, 2_000), 80.0, 80.0, 80.0);
        assertThat(o.outcome().alerts()).containsExactly(
                first,
                new ExpectedAlert(first.alertId(), "hot", "s1", ExpectedAlert.RESOLVED, T0, T0 + 6_000,
                        times(0, 1_000, 2_000, 6_000), List.of(80.0, 80.0, 80.0, 20.0)),
                firing(HOT, S1, 8_000, at(8_000, 9_000, 10_000), 75.0, 76.0, 77.0));
    }

    @Test
    void aResolutionAtTheTimeOfTheMatchDoesNotEndItsEpisode() {
        OutcomeOracle o = oracle(HOT);
        double[] values = {80, 81, 82, 20, 20, 20, 83};
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, 0, i, values[i]);
        }
        for (int i = 0; i < 3; i++) {
            temp(o, S1, 1_000, 10 + i, 20);
        }
        assertThat(o.outcome().alerts()).extracting(a -> a.status() + "@" + (a.spanEndMs() - T0)).containsExactly(
                "FIRING@0", "RESOLVED@1000");
    }

    @Test
    void aRunWithinTheCooldownAfterTheResolutionIsNoAlert() {
        SequenceRule cooling = new SequenceRule("hot", Severity.CRITICAL, "", io.sensorflow.rules.Metric.TEMPERATURE, true,
                70, 3, Duration.ofSeconds(10), 1, Duration.ofSeconds(5));
        OutcomeOracle o = oracle(cooling);
        // fires at 2 s, resolves at 3 s; a run completing at 6 s is within the 5 s cooldown, one at 8 s is not
        double[] values = {80, 80, 80, 20, 80, 80, 80, 20, 80, 80, 80};
        long[] at = {0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000};
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, at[i], i, values[i]);
        }
        assertThat(o.outcome().alerts()).extracting(a -> a.status() + "@" + (a.spanEndMs() - T0)).containsExactly(
                "FIRING@2000", "RESOLVED@3000", "FIRING@10000");
    }

    @Test
    void aNearMissAndTheThresholdItselfGiveNoAlert() {
        OutcomeOracle o = oracle(HOT);
        double[] values = {80, 80, 20, 80, 70, 70, 70, 70.1, 70.1, 69.9};  // 70 is not above 70
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, i * 1_000L, i, values[i]);
        }
        assertThat(o.outcome().alerts()).isEmpty();
    }

    @Test
    void aRunWhoseFirstReadingsAreTooFarApartFiresOnALaterWindowWithTheRunsFirstReadingInTheId() {
        OutcomeOracle o = oracle(HOT);
        temp(o, S1, 0, 0, 80);
        temp(o, S1, 5_000, 1, 81);
        temp(o, S1, 10_000, 2, 82);   // 10 s after the first: not within 10 s
        temp(o, S1, 11_000, 3, 83);   // 6 s after the second: fires
        temp(o, S1, 12_000, 4, 84);   // the run already fired
        assertThat(o.outcome().alerts()).containsExactly(
                firing(HOT, S1, 0, at(5_000, 10_000, 11_000), 81.0, 82.0, 83.0));
    }

    @Test
    void readingsWithoutTheMetricNeitherBreakNorExtendARun() {
        OutcomeOracle o = oracle(HOT);
        temp(o, S1, 0, 0, 80);
        humidityOnly(o, S1, 1_000, 1);
        temp(o, S1, 2_000, 2, 80);
        humidityOnly(o, S1, 3_000, 3);
        humidityOnly(o, S1, 4_000, 4);
        temp(o, S1, 5_000, 5, 80);
        assertThat(o.outcome().alerts()).containsExactly(firing(HOT, S1, 0, at(0, 2_000, 5_000), 80.0, 80.0, 80.0));
    }

    @Test
    void aBelowRuleOnItsOwnMetric() {
        OutcomeOracle o = oracle(CLOSE, HOT);
        long[] times = {0, 1_000, 2_000, 3_000};
        int[] cm = {95, 50, 120, 99};   // tenths: 9.5, 5.0, 12.0, 9.9
        for (int i = 0; i < times.length; i++) {
            feed(o, new MessageFacts().reading(S2, T0 + times[i], i).value(Measurement.DISTANCE_CM, cm[i])
                    .value(Measurement.TEMPERATURE, 800));
        }
        assertThat(o.outcome().alerts()).containsExactly(
                firing(CLOSE, S2, 0, at(0, 1_000), 9.5, 5.0),
                firing(HOT, S2, 0, at(0, 1_000, 2_000), 80.0, 80.0, 80.0));
    }

    // ---- order, duplicates, the watermark ----

    @Test
    void readingsCountInEventTimeOrderNotInArrivalOrder() {
        OutcomeOracle o = oracle(HOT);
        temp(o, S1, 0, 0, 80);
        temp(o, S1, 1_000, 1, 80);
        temp(o, S1, 3_000, 3, 20);
        temp(o, S1, 2_000, 2, 80);    // arrives after the normal reading, but is before it in event time
        assertThat(o.outcome().alerts()).containsExactly(firing(HOT, S1, 0, at(0, 1_000, 2_000), 80.0, 80.0, 80.0));
    }

    @Test
    void aDuplicateDoesNotCountTwice() {
        OutcomeOracle o = oracle(HOT);
        temp(o, S1, 0, 0, 80);
        temp(o, S1, 1_000, 1, 80);
        temp(o, S1, 1_000, 1, 80);    // the same reading again: if it counted, it would complete a run of 3
        temp(o, S1, 2_000, 2, 20);
        assertThat(o.outcome().alerts()).isEmpty();
        assertThat(o.outcome().totals().duplicates()).isEqualTo(1);
    }

    @Test
    void readingsAtOneEventTimeWithOtherValuesAreDifferentReadingsTakenInTheOrderSent() {
        OutcomeOracle o = oracle(HOT);
        temp(o, S1, 0, MessageFacts.NO_SEQ, 80);
        temp(o, S1, 0, MessageFacts.NO_SEQ, 20);   // another reading at the same time: breaks the run
        temp(o, S1, 1_000, MessageFacts.NO_SEQ, 80);
        temp(o, S1, 2_000, MessageFacts.NO_SEQ, 80);
        assertThat(o.outcome().alerts()).isEmpty();
        assertThat(o.outcome().totals().duplicates()).isZero();
    }

    @Test
    void anExactRepeatAtOneEventTimeIsADuplicateAndTheFirstCopyCounts() {
        OutcomeOracle o = oracle(HOT);
        temp(o, S1, 0, MessageFacts.NO_SEQ, 80);
        temp(o, S1, 0, MessageFacts.NO_SEQ, 81);
        temp(o, S1, 0, MessageFacts.NO_SEQ, 80);   // the first again: dropped, so 80, 81, 82 is the run
        temp(o, S1, 1_000, MessageFacts.NO_SEQ, 82);
        assertThat(o.outcome().alerts()).containsExactly(firing(HOT, S1, 0, at(0, 0, 1_000), 80.0, 81.0, 82.0));
        assertThat(o.outcome().totals().duplicates()).isEqualTo(1);
    }

    @Test
    void runsAtOneEventTimeAreOneEpisode() {
        OutcomeOracle o = oracle(HOT);
        for (int t : new int[] {80, 81, 82, 20, 83, 84, 85}) {
            temp(o, S1, 0, MessageFacts.NO_SEQ, t);
        }
        // The second run is a repeat: at one event time a resolution comes before the matches, and
        // nothing was open yet when it came; the first run's alert keeps ordinal 0.
        assertThat(o.outcome().alerts()).extracting(ExpectedAlert::alertId).containsExactly(
                AlertIds.of(HOT.id(), ids.id(S1), T0).toString());
    }

    @Test
    void readingsAtOneEventTimeAreTakenInTheOrderSentWhateverTheirSeq() {
        OutcomeOracle o = oracle(HOT);
        temp(o, S1, 0, 5, 80);
        temp(o, S1, 0, 4, 81);
        temp(o, S1, 1_000, 6, 82);
        assertThat(o.outcome().alerts()).containsExactly(firing(HOT, S1, 0, at(0, 0, 1_000), 80.0, 81.0, 82.0));
    }

    @Test
    void readingsAtOrBehindTheWatermarkCountInAggregatesButNotForAlerts() {
        // out-of-orderness 1 s, 1 ms steps: W = maxTs - 1,001
        OracleParameters p = new OracleParameters(3_600_000, 1_000, 1, 3_600_000);
        OutcomeOracle o = oracle(p, HOT, QUIET);
        temp(o, S1, 0, 0, 80);
        temp(o, S1, 3_000, 3, 83);       // W = 1,999
        temp(o, S1, 1_999, 1, 81);       // at W: not for alerts
        temp(o, S1, 2_000, 2, 82);       // after W: counts
        temp(o, S2, 5_000, 0, 20);
        temp(o, S2, 40_000, 2, 20);      // W = 38,999
        temp(o, S2, 20_000, 1, 20);      // behind W: does not end S2's silence
        temp(o, S2, 39_000, 3, 20);      // after W: ends it
        ExpectedOutcome out = o.outcome();   // final W = 38,999: past S1's last reading + 10 s
        assertThat(out.alerts()).containsExactly(
                firing(HOT, S1, 0, at(0, 2_000, 3_000), 80.0, 82.0, 83.0),
                silenceFiring(S1, 3_000, 10_000),
                silenceFiring(S2, 5_000, 10_000),
                silenceResolved(S2, 5_000, 39_000));
        assertThat(out.totals().accepted()).isEqualTo(8);
        assertThat(out.lateReadings()).isEmpty();
    }

    // ---- stuck ----

    private static final StuckRule STUCK = StuckRule.ofReadings("stuck", Severity.WARNING, Metric.TEMPERATURE, 3);

    @Test
    void stuckFiresAtTheThirdReadingOfARunOncePerEpisodeAndResolvesAtTheFirstOtherValue() {
        OutcomeOracle o = oracle(STUCK);
        double[] values = {20, 21, 21, 21, 21, 22, 22, 22, 23};
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, i * 1_000L, i, values[i]);
        }
        humidityOnly(o, S1, 9_000, 9); // no temperature: neither breaks nor extends
        temp(o, S1, 10_000, 10, 23);
        temp(o, S1, 11_000, 11, 23); // the third 23: a new episode
        ExpectedAlert first = new ExpectedAlert(id(STUCK, S1, 1_000), "stuck", "s1", ExpectedAlert.FIRING, T0 + 1_000,
                T0 + 3_000, times(1_000, 3_000), List.of(21.0, 21.0));
        ExpectedAlert second = new ExpectedAlert(id(STUCK, S1, 5_000), "stuck", "s1", ExpectedAlert.FIRING, T0 + 5_000,
                T0 + 7_000, times(5_000, 7_000), List.of(22.0, 22.0));
        assertThat(o.outcome().alerts()).containsExactly(
                first,
                new ExpectedAlert(first.alertId(), "stuck", "s1", ExpectedAlert.RESOLVED, T0 + 1_000, T0 + 5_000,
                        times(1_000, 3_000, 5_000), List.of(21.0, 21.0, 22.0)),
                second,
                new ExpectedAlert(second.alertId(), "stuck", "s1", ExpectedAlert.RESOLVED, T0 + 5_000, T0 + 8_000,
                        times(5_000, 7_000, 8_000), List.of(22.0, 22.0, 23.0)),
                new ExpectedAlert(id(STUCK, S1, 8_000), "stuck", "s1", ExpectedAlert.FIRING, T0 + 8_000, T0 + 11_000,
                        times(8_000, 11_000), List.of(23.0, 23.0)));
    }

    @Test
    void stuckForADurationFiresAtTheFirstReadingThatLongAfterTheRunsStart() {
        StuckRule frozen = StuckRule.ofDuration("frozen", Severity.INFO, Metric.TEMPERATURE, Duration.ofSeconds(5));
        OutcomeOracle o = oracle(frozen);
        temp(o, S1, 0, 0, 20);
        temp(o, S1, 4_999, 1, 20);
        temp(o, S1, 5_000, 2, 20); // 5 s after the start
        temp(o, S1, 6_000, 3, 20);
        temp(o, S2, 0, 0, 20);
        temp(o, S2, 4_999, 1, 20);
        temp(o, S2, 6_000, 2, 21); // the run lasted 4.999 s
        assertThat(o.outcome().alerts()).containsExactly(new ExpectedAlert(id(frozen, S1, 0), "frozen", "s1",
                ExpectedAlert.FIRING, T0, T0 + 5_000, times(0, 5_000), List.of(20.0, 20.0)));
    }

    // ---- scope ----

    @Test
    void aRuleWithAScopeIgnoresTheSensorsOutsideIt() {
        SequenceRule s2Hot = new SequenceRule("s2-hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
                Duration.ofSeconds(10), 3, Duration.ZERO, SensorScope.ids(List.of("s2")));
        SilenceRule quietS13 = new SilenceRule("quiet", Severity.WARNING, "", Duration.ofSeconds(10), SensorScope.matching("s[13]"));
        OutcomeOracle o = oracle(s2Hot, quietS13);
        for (int sensor : new int[] {S1, S2, S3}) {
            for (int i = 0; i < 3; i++) {
                temp(o, sensor, i * 1_000L, i, 80);
            }
        }
        temp(o, S1, 20_000, 3, 20); // silences of all three between 2 s and 20 s
        temp(o, S2, 20_000, 3, 20);
        temp(o, S3, 20_000, 3, 20);
        temp(o, S1, 40_000, 4, 20); // and again for s1; s3 and s2 silent from 20 s (the event time reaches 35 s)
        assertThat(o.outcome().alerts()).extracting(a -> a.ruleId() + " " + a.sensorId() + " " + a.status()).containsExactly(
                "quiet s1 FIRING", "quiet s1 RESOLVED", "quiet s1 FIRING", "quiet s1 RESOLVED", "s2-hot s2 FIRING",
                "quiet s3 FIRING", "quiet s3 RESOLVED", "quiet s3 FIRING");
    }

    // ---- rise ----

    @Test
    void riseFromTheLatestOfEqualLowsOncePerEpisodeResolvedByThreeReadingsWithoutARise() {
        OutcomeOracle o = oracle(RISE);
        temp(o, S1, 0, 0, 20);
        temp(o, S1, 10_000, 1, 25);
        temp(o, S1, 20_000, 2, 20);     // the same low again: the later one is the starting point
        temp(o, S1, 30_000, 3, 31);     // up 11 from 20: a rise
        temp(o, S1, 40_000, 4, 32);     // still rising: the same episode
        temp(o, S1, 50_000, 5, 22);     // up 2: the episode ends
        temp(o, S1, 55_000, 6, 33);     // up 13 from 20 (20 s, within 60 s): a new episode
        temp(o, S1, 85_000, 7, 34);     // 20 s and 20 left the window; up 12 from 22: same episode
        // The rise at 55 s is a repeat: one reading without a rise (50 s) does not resolve the first.
        ExpectedAlert first = firing(RISE, S1, 30_000, at(20_000, 30_000), 20.0, 31.0);
        assertThat(o.outcome().alerts()).containsExactly(first);
        temp(o, S1, 200_000, 8, 34);    // nothing left in the window: no rise, three times
        temp(o, S1, 210_000, 9, 34);
        temp(o, S1, 220_000, 10, 34);
        temp(o, S1, 230_000, 11, 45);   // up 11 from the latest 34: a new episode
        assertThat(o.outcome().alerts()).containsExactly(
                first,
                new ExpectedAlert(first.alertId(), "rise", "s1", ExpectedAlert.RESOLVED, T0 + 20_000, T0 + 220_000,
                        times(20_000, 30_000, 220_000), List.of(20.0, 31.0, 34.0)),
                firing(RISE, S1, 230_000, at(220_000, 230_000), 34.0, 45.0));
    }

    @Test
    void riseNeedsTheStartWithinTheWindowStrictly() {
        OutcomeOracle o = oracle(RISE);
        temp(o, S1, 0, 0, 20);
        temp(o, S2, 0, 0, 20);
        temp(o, S2, 59_999, 1, 40);
        temp(o, S1, 60_000, 1, 40);     // 60 s after: not within 60 s
        assertThat(o.outcome().alerts()).containsExactly(firing(RISE, S2, 59_999, at(0, 59_999), 20.0, 40.0));
    }

    @Test
    void riseIgnoresReadingsWithoutTheMetricAndComparesTheParsedValues() {
        OutcomeOracle o = oracle(RISE);
        temp(o, S1, 0, 0, 6.1);
        humidityOnly(o, S1, 1_000, 1);
        temp(o, S1, 2_000, 2, 16.1);    // 16.1 - 6.1 = 10.000000000000002 in doubles: a rise
        humidityOnly(o, S1, 3_000, 3);
        temp(o, S1, 4_000, 4, 16.2);    // still rising: no second alert
        temp(o, S3, 0, 0, 6.4);
        temp(o, S3, 2_000, 1, 16.4);    // 16.4 - 6.4 = 9.999999999999998 in doubles: not a rise
        assertThat(o.outcome().alerts()).containsExactly(firing(RISE, S1, 2_000, at(0, 2_000), 6.1, 16.1));
    }

    // ---- the oracle's own behaviour ----

    @Test
    void withoutRulesThereAreNoAlertsAndTheOutcomeIsUnchanged() {
        OutcomeOracle plain = new OutcomeOracle(roomy, ids);
        OutcomeOracle withRules = oracle(HOT, QUIET, RISE);
        OutcomeOracle empty = new OutcomeOracle(roomy, ids, new RuleSet("none", List.of()));
        for (OutcomeOracle o : List.of(plain, withRules, empty)) {
            for (int i = 0; i < 40; i++) {
                temp(o, i % 3, i * 2_000L, i, i % 5 == 0 ? 20 : 80);
            }
        }
        assertThat(plain.outcome().alerts()).isEmpty();
        assertThat(empty.outcome().alerts()).isEmpty();
        assertThat(withRules.outcome().alerts()).isNotEmpty();
        ExpectedOutcome a = plain.outcome();
        ExpectedOutcome b = withRules.outcome();
        assertThat(new ExpectedOutcome(b.parameters(), b.totals(), b.aggregates(), b.deadLetters(), b.lateReadings()))
                .isEqualTo(a);
    }

    @Test
    void askingForTheOutcomeMidStreamChangesNothing() {
        OutcomeOracle asked = oracle(HOT, QUIET, RISE);
        OutcomeOracle notAsked = oracle(HOT, QUIET, RISE);
        List<ExpectedAlert> midway = new ArrayList<>();
        // seconds, some out of order; 7 comes when W is 14,999 and is left out
        long[] order = {0, 2, 1, 3, 5, 4, 6, 20, 7, 21, 22, 23};
        for (int i = 0; i < order.length; i++) {
            double v = order[i] < 20 ? 70 + 2 * order[i] : 20;
            temp(asked, S1, order[i] * 1_000, order[i], v);
            temp(notAsked, S1, order[i] * 1_000, order[i], v);
            if (i == 4) {
                // pending readings (after W) are played out on copies only
                midway.addAll(asked.outcome(T0 + 3_600_000).alerts());
            }
        }
        assertThat(midway).isNotEmpty();
        assertThat(asked.outcome()).isEqualTo(notAsked.outcome());
        assertThat(asked.outcome().alerts()).extracting(ExpectedAlert::ruleId)
                .containsExactlyInAnyOrder("hot", "hot", "quiet", "quiet", "rise", "rise"); // resolved by 20, 21, 22 s
    }

    // ---- outlier ----

    /** More than 3 sd from the last 4 readings (min_readings 4), resolved by 2, cooldown 10 s. */
    private static final OutlierRule SPIKE = OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 3, 4)
            .with(4, 2, Duration.ofSeconds(10), SensorScope.ALL);

    private static ExpectedAlert outlierFiring(int sensor, long at, double value) {
        return new ExpectedAlert(id(SPIKE, sensor, at), "spike", "s" + (sensor + 1), ExpectedAlert.FIRING, T0 + at, T0 + at,
                times(at), List.of(value));
    }

    @Test
    void anOutlierFiresResolvesAfterMReadingsAndCoolsDown() {
        OutcomeOracle o = oracle(SPIKE);
        // 20, 21, 20, 21, then 40: mean 20.5, sd 0.577: an outlier; 100 after it is one too (the same stretch)
        double[] values = {20, 21, 20, 21, 40, 100, 21, 20, 21, 20, 21, 20, 21, 20, 90, 20, 21, 20, 21, 20, 21, 20, 21, 20, 21,
            20, 21, 20, 90};
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, i * 1_000L, i, values[i]);
        }
        humidityOnly(o, S1, 100_000, 100);
        ExpectedAlert first = outlierFiring(S1, 4_000, 40);
        // 100 at 5 s: window 21, 20, 21, 40: mean 25.5, sd 9.7, 3 sd 29: an outlier, in the open episode.
        // 21 at 6 s and 20 at 7 s are none: resolved at 7 s. 90 at 14 s is an outlier within the cooldown
        // (until 17 s): dropped; 90 at 28 s opens the next episode.
        ExpectedAlert third = outlierFiring(S1, 28_000, 90);
        assertThat(o.outcome().alerts()).containsExactly(
                first,
                new ExpectedAlert(first.alertId(), "spike", "s1", ExpectedAlert.RESOLVED, T0 + 4_000, T0 + 7_000,
                        times(4_000, 7_000), List.of(40.0, 20.0)),
                third);
    }

    @Test
    void aStretchOfOutliersThatGoesOnPastTheCooldownFiresAtItsFirstOutlierPastIt() {
        OutcomeOracle o = oracle(SPIKE);
        // 40 at 4 s fires, 21 and 20 resolve at 6 s; from 7 s each reading is three times the one before, each an
        // outlier: one stretch, in the cooldown until 16 s, where it fires; the one at 17 s is in the open episode.
        double[] values = {20, 21, 20, 21, 40, 21, 20};
        for (int i = 0; i < values.length; i++) {
            temp(o, S1, i * 1_000L, i, values[i]);
        }
        double v = 60;
        for (int i = 7; i <= 17; i++, v *= 3) {
            temp(o, S1, i * 1_000L, i, v);
        }
        humidityOnly(o, S1, 100_000, 100);
        ExpectedAlert first = outlierFiring(S1, 4_000, 40);
        assertThat(o.outcome().alerts()).containsExactly(
                first,
                new ExpectedAlert(first.alertId(), "spike", "s1", ExpectedAlert.RESOLVED, T0 + 4_000, T0 + 6_000,
                        times(4_000, 6_000), List.of(40.0, 20.0)),
                outlierFiring(S1, 16_000, 60 * Math.pow(3, 9)));
    }

    @Test
    void anOutlierNeedsMinReadingsAndASpreadAndIsStrictlyMoreThanKSdAway() {
        OutlierRule one = OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 1, 3);
        OutcomeOracle o = oracle(one);
        temp(o, S1, 0, 0, 50);
        temp(o, S1, 1_000, 1, 90); // one before it: too few
        temp(o, S2, 0, 0, 50);
        temp(o, S2, 1_000, 1, 50);
        temp(o, S2, 2_000, 2, 50);
        temp(o, S2, 3_000, 3, 90); // sd 0: none
        temp(o, S3, 0, 0, 0);
        temp(o, S3, 1_000, 1, 2);
        temp(o, S3, 2_000, 2, 4);
        temp(o, S3, 3_000, 3, 4); // mean 2, sd exactly 2: 2 away is not more than 1 sd
        assertThat(o.outcome().alerts()).isEmpty();
        temp(o, S3, 4_000, 4, 8); // window 2, 4, 4: mean 3.33, sd 1.15: an outlier
        assertThat(o.outcome().alerts()).containsExactly(new ExpectedAlert(id(one, S3, 4_000), "spike", "s3",
                ExpectedAlert.FIRING, T0 + 4_000, T0 + 4_000, times(4_000), List.of(8.0)));
    }

    @Test
    void aDurationWindowIsTheReadingsOfTheLastDBeforeTheReadingAndAtMost1000() {
        OutlierRule timed = OutlierRule.ofDuration("spike", Severity.WARNING, Metric.TEMPERATURE, 2, Duration.ofSeconds(3))
                .with(2, 1, Duration.ZERO, SensorScope.ALL);
        OutcomeOracle o = oracle(timed);
        temp(o, S1, 0, 0, 500); // exactly D before 3 s: in its window
        temp(o, S1, 2_000, 1, 10);
        temp(o, S1, 3_000, 2, 11);
        temp(o, S1, 3_000, 3, 11); // its window is still [0, 3 s): not the other reading at 3 s
        assertThat(o.outcome().alerts()).isEmpty();
        temp(o, S1, 4_000, 4, 12); // [1 s, 4 s): 10, 11, 11: an outlier
        temp(o, S1, 5_000, 5, 11.5); // resolves
        ExpectedAlert f = new ExpectedAlert(id(timed, S1, 4_000), "spike", "s1", ExpectedAlert.FIRING, T0 + 4_000,
                T0 + 4_000, times(4_000), List.of(12.0));
        assertThat(o.outcome().alerts()).containsExactly(f, new ExpectedAlert(f.alertId(), "spike", "s1",
                ExpectedAlert.RESOLVED, T0 + 4_000, T0 + 5_000, times(4_000, 5_000), List.of(12.0, 11.5)));

        OutlierRule hour = OutlierRule.ofDuration("spike", Severity.WARNING, Metric.TEMPERATURE, 3, Duration.ofHours(1));
        OutcomeOracle many = oracle(hour);
        temp(many, S2, 0, 0, 1000); // the 1001st reading before the last two: out of their windows
        for (int i = 1; i <= 1000; i++) {
            temp(many, S2, i, i, i % 2 == 0 ? 10 : 11);
        }
        temp(many, S2, 1001, 1001, 12); // 500 tens and 500 elevens: mean 10.5, sd 0.50025: none
        temp(many, S2, 1002, 1002, 12.1); // an outlier
        assertThat(many.outcome().alerts()).containsExactly(new ExpectedAlert(id(hour, S2, 1002), "spike", "s2",
                ExpectedAlert.FIRING, T0 + 1002, T0 + 1002, times(1002), List.of(12.1)));
    }
}
