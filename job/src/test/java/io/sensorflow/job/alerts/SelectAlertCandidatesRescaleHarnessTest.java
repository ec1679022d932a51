package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.cep.SilenceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The selector's state after a stop with savepoint and a start at another parallelism, where
 * Kafka partitions land on other subtasks than before. Whatever the old and new parallelism, the
 * candidates sent to CEP must be the ones of a run that never stopped.
 */
class SelectAlertCandidatesRescaleHarnessTest {

    static final RiseRule RISE = new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 10, Duration.ofMinutes(1));
    static final SequenceRule HOT = new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
            Duration.ofSeconds(20));
    /** The runs of 75 across the stop are stuck runs too (the other values are random doubles). */
    static final io.sensorflow.rules.StuckRule STUCK = io.sensorflow.rules.StuckRule.ofReadings("stuck", Severity.WARNING,
            Metric.TEMPERATURE, 3);
    /** The jumps to and from the runs of 75 across the stop are outliers against the random values about 20 before them. */
    static final io.sensorflow.rules.OutlierRule OUTLIER = io.sensorflow.rules.OutlierRule.ofReadings("outlier",
            Severity.WARNING, Metric.TEMPERATURE, 3, 10);
    static final io.sensorflow.rules.OutlierRule OUTLIER_TIMED = io.sensorflow.rules.OutlierRule.ofDuration(
            "outlier-timed", Severity.WARNING, Metric.TEMPERATURE, 3, Duration.ofSeconds(15));
    static final List<Rule> RULES = List.of(RISE, HOT, STUCK, OUTLIER, OUTLIER_TIMED);
    /** A silence rule beside them: the selector keeps each sensor's latest reading for it. */
    static final io.sensorflow.rules.SilenceRule QUIET = new io.sensorflow.rules.SilenceRule("quiet", Severity.WARNING, "",
            Duration.ofSeconds(30));
    static final int PARTITIONS = 4;
    static final int SENSORS = 16;
    static final int SECONDS = 200;
    /** A sensor that says nothing from the stop on, on a partition that goes on: its silence comes after the restore. */
    static final int STOPS = 5;
    static final int STOP_AT = 60;
    static final long BOUND_MS = 3_000;

    @Test
    void scalingUpContinuesEveryRunAndRiseWhereItWas() throws Exception {
        assertSameAsUninterrupted(1, 2, -1);
    }

    @Test
    void scalingDownContinuesEveryRunAndRiseWhereItWas() throws Exception {
        assertSameAsUninterrupted(2, 1, -1);
    }

    @Test
    void partitionsMovingBetweenSubtasksAtTheSameCountOfThreeAndTwo() throws Exception {
        assertSameAsUninterrupted(2, 3, -1);
        assertSameAsUninterrupted(3, 2, -1);
    }

    @Test
    void atTheSameParallelismAPartitionQuietAfterTheRestartStillHasItsHeldReadingsReleased() throws Exception {
        assertSameAsUninterrupted(2, 2, 3);
    }

    @Test
    void afterAScaleUpAPartitionThatStaysQuietLeavesNothingBehindOnceTheWatermarkPassedIt() throws Exception {
        List<Reading> readings = scenario(42, 3);
        SelectorRun before = run(2, p -> p % 2);
        before.feed(readings, 0, STOP_AT);
        List<OperatorSubtaskState> savepoint = before.snapshot(1);
        before.close();
        SelectorRun after = run(3, p -> (p + 1) % 3, savepoint, 2);
        after.feed(readings, STOP_AT, SECONDS);
        after.snapshot(2);
        for (OneInputStreamOperatorTestHarness<Reading, SilenceEvent> h : after.subtasks) {
            assertThat(((SelectAlertCandidates) h.getOperator()).unclaimedSensors()).isZero();
        }
        after.close();
        // Every other partition is exact. The quiet one's held readings went unreleased: nobody
        // claimed them before the watermark passed them, as the partition was idle.
        SelectorRun uninterrupted = run(1, p -> 0);
        uninterrupted.feed(readings, 0, SECONDS);
        List<String> rescaled = new ArrayList<>(before.candidates);
        rescaled.addAll(after.candidates);
        rescaled.sort(null);
        assertThat(withoutPartition(rescaled, 3)).isEqualTo(withoutPartition(uninterrupted.candidates, 3));
    }

    private static List<String> withoutPartition(List<String> candidates, int partition) {
        List<String> kept = new ArrayList<>();
        for (String c : candidates) {
            int sensor = Integer.parseInt(c.replaceAll("^.*Event\\{sensor-(\\d+) .*$", "$1"));
            if (sensor % PARTITIONS != partition) {
                kept.add(c);
            }
        }
        return kept;
    }

    @Test
    void theSameSensorIsNotKeptTwiceAfterSeveralRestoresAtChangingParallelism() throws Exception {
        List<Reading> readings = scenario(7, -1);
        SelectorRun uninterrupted = run(1, p -> 0);
        uninterrupted.feed(readings, 0, SECONDS);

        SelectorRun first = run(1, p -> 0);
        first.feed(readings, 0, 50);
        List<OperatorSubtaskState> s1 = first.snapshot(1);
        first.close();
        SelectorRun second = run(3, p -> (p + 2) % 3, s1, 1);
        second.feed(readings, 50, 55); // not every partition has sent yet: some entries are still unclaimed
        List<OperatorSubtaskState> s2 = second.snapshot(2);
        second.close();
        SelectorRun third = run(2, p -> p % 2, s2, 3);
        third.feed(readings, 55, SECONDS);
        List<String> all = new ArrayList<>(first.candidates);
        all.addAll(second.candidates);
        all.addAll(third.candidates);
        all.sort(null);
        assertThat(all).isEqualTo(uninterrupted.candidates);
    }

    private static void assertSameAsUninterrupted(int from, int to, int quietPartition) throws Exception {
        List<Reading> readings = scenario(from * 10 + to, quietPartition);
        SelectorRun uninterrupted = run(1, p -> 0);
        uninterrupted.feed(readings, 0, SECONDS);
        assertThat(uninterrupted.candidates).as("the scenario has runs and rises").hasSizeGreaterThan(20);
        assertThat(uninterrupted.candidates).as("and stuck runs across the stop").filteredOn(c -> c.startsWith("stuck "))
                .hasSizeGreaterThan(3);
        assertThat(uninterrupted.candidates).as("and outliers").filteredOn(c -> c.startsWith("outlier") && c.contains(" kind=6 "))
                .hasSizeGreaterThan(3);
        assertThat(uninterrupted.candidates).as("and a silence after it").filteredOn(c -> c.startsWith("silence "))
                .anyMatch(c -> c.contains("{sensor-" + STOPS + " quiet"));

        SelectorRun before = run(from, p -> p % from);
        before.feed(readings, 0, STOP_AT);
        List<OperatorSubtaskState> savepoint = before.snapshot(1);
        before.close();
        // At the same count the partitions come back to the same subtasks; at another, anywhere.
        IntUnaryOperator owner = from == to ? p -> p % to : p -> (p + 1) % to;
        SelectorRun after = run(to, owner, savepoint, from);
        after.feed(readings, STOP_AT, SECONDS);
        after.close();

        List<String> rescaled = new ArrayList<>(before.candidates);
        rescaled.addAll(after.candidates);
        rescaled.sort(null);
        assertThat(rescaled).as("%d -> %d", from, to).isEqualTo(uninterrupted.candidates);
    }

    /**
     * Readings of {@link #SENSORS} sensors once a second, a little out of order, some twice; some
     * sensors heat up across the stop (a rise, a run over 70), others at random times; sensor
     * {@link #STOPS} goes quiet at the stop.
     * {@code quietPartition} (or -1) sends nothing from {@link #STOP_AT} on.
     */
    static List<Reading> scenario(long seed, int quietPartition) {
        Random random = new Random(seed);
        List<Reading> out = new ArrayList<>();
        for (int t = 0; t < SECONDS; t++) {
            List<Reading> second = new ArrayList<>();
            for (int s = 0; s < SENSORS; s++) {
                int partition = s % PARTITIONS;
                if (partition == quietPartition && t >= STOP_AT || s == STOPS && t >= STOP_AT) {
                    continue;
                }
                Reading r = SelectorRun.reading(s, partition, t, random);
                r.temperature = temperature(s, t, random);
                second.add(r);
                if (random.nextInt(20) == 0) {
                    second.add(r); // a duplicate
                }
            }
            java.util.Collections.shuffle(second, random);
            out.addAll(second);
        }
        return out;
    }

    private static double temperature(int sensor, int t, Random random) {
        double base = 20 + random.nextDouble();
        if (sensor % 3 == 0 && t >= STOP_AT - 20 && t < STOP_AT + 20) {
            return base + (t - (STOP_AT - 20)) * 0.6; // rises by 10 within the minute, across the stop
        }
        if (sensor % 3 == 1 && t >= STOP_AT - 2 - sensor % 4 && t < STOP_AT + 3) {
            return 75; // a run over 70 across the stop
        }
        return random.nextInt(40) == 0 ? 80 : base;
    }

    private static SelectorRun run(int parallelism, IntUnaryOperator owner) throws Exception {
        return new SelectorRun(RULES, List.of(QUIET), BOUND_MS, parallelism, owner);
    }

    private static SelectorRun run(int parallelism, IntUnaryOperator owner, List<OperatorSubtaskState> restore,
            int oldParallelism) throws Exception {
        return new SelectorRun(RULES, List.of(QUIET), BOUND_MS, parallelism, owner, restore, oldParallelism);
    }
}
