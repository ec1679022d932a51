package io.sensorflow.job.aggregate;

import static io.sensorflow.job.aggregate.TestReadings.MINUTE;
import static io.sensorflow.job.aggregate.TestReadings.WINDOW;
import static io.sensorflow.job.aggregate.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.late.LateReading;
import io.sensorflow.job.readings.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchReadingsBySensorWindowHarnessTest {

    private static final long LATENESS = 5 * MINUTE;
    private static final long OUT_OF_ORDERNESS = 5_000;
    private static final long GRANULARITY = 1_000;

    private final List<OneInputStreamOperatorTestHarness<Reading, ReadingBatch>> harnesses = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (var h : harnesses) {
            h.close();
        }
    }

    private OneInputStreamOperatorTestHarness<Reading, ReadingBatch> harness(int maxBuffered) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(operator(maxBuffered));
        harnesses.add(h);
        return h;
    }

    private static BatchReadingsBySensorWindow operator(int maxBuffered) {
        return new BatchReadingsBySensorWindow(WINDOW, LATENESS, OUT_OF_ORDERNESS, GRANULARITY, maxBuffered, false);
    }

    private static Reading inPartition(int partition, Reading r) {
        r.sourcePartition = partition;
        return r;
    }

    private static void add(OneInputStreamOperatorTestHarness<Reading, ReadingBatch> h, Reading r) throws Exception {
        h.processElement(new StreamRecord<>(r, r.eventTime));
    }

    @Test
    void holdsReadingsUntilTheWatermarkClosesTheirWindowThenSendsOneBatchPerSensorBeforeTheWatermark() throws Exception {
        var h = harness(1000);
        h.open();
        add(h, reading("a", 1_000, 20.0));
        add(h, reading("b", 2_000, 21.0));
        add(h, reading("a", 3_000, 22.0));
        add(h, reading("a", WINDOW + 1_000, 23.0)); // next window
        h.processWatermark(new Watermark(WINDOW - 2));
        assertThat(h.extractOutputValues()).isEmpty();

        h.processWatermark(new Watermark(WINDOW - 1));

        List<Object> output = new ArrayList<>(h.getOutput());
        assertThat(output).hasSize(4); // watermark WINDOW-2, two batches, watermark WINDOW-1
        assertThat(output.get(0)).isEqualTo(new Watermark(WINDOW - 2));
        assertThat(output.get(3)).isEqualTo(new Watermark(WINDOW - 1));
        List<ReadingBatch> batches = h.extractOutputValues();
        assertThat(batches).extracting(b -> b.sensorId).containsExactlyInAnyOrder("a", "b");
        ReadingBatch a = batches.stream().filter(b -> b.sensorId.equals("a")).findFirst().orElseThrow();
        assertThat(a.windowStart).isZero();
        assertThat(a.size).isEqualTo(2);
        assertThat(a.eventTime(0)).isEqualTo(1_000);
        assertThat(a.eventTime(1)).isEqualTo(3_000);
        assertThat(a.temperature(0)).isEqualTo(20.0);
        assertThat(a.temperature(1)).isEqualTo(22.0);
        assertThat(a.contentHash(0)).isNotEqualTo(a.contentHash(1));
        assertThat(a.data).hasSize(2 * ReadingBatch.STRIDE); // trimmed before it goes over the wire
        @SuppressWarnings("unchecked")
        StreamRecord<ReadingBatch> record = (StreamRecord<ReadingBatch>) output.get(1);
        assertThat(record.getTimestamp()).isEqualTo(WINDOW - 1);
    }

    @Test
    void sendsReadingsPastTheAllowedLatenessToTheLateOutputWithTheWatermarkThatMadeThemLate() throws Exception {
        var h = harness(1000);
        h.open();
        long watermark = WINDOW - 1 + LATENESS;
        h.processWatermark(new Watermark(watermark));
        add(h, reading("a", 10_000, 20.0)); // window 0 closed LATENESS ago: too late
        add(h, reading("a", WINDOW + 10_000, 21.0)); // window 1 is still open

        assertThat(h.extractOutputValues()).isEmpty();
        List<LateReading> late = h.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS).stream()
                .map(StreamRecord::getValue).collect(Collectors.toList());
        assertThat(late).hasSize(1);
        assertThat(late.get(0).sensorId).isEqualTo("a");
        assertThat(late.get(0).eventTime).isEqualTo(10_000);
        assertThat(late.get(0).windowStart).isZero();
        assertThat(late.get(0).windowEnd).isEqualTo(WINDOW);
        assertThat(late.get(0).watermark).isEqualTo(watermark);
        assertThat(late.get(0).sourceOffset).isEqualTo(10_000);
    }

    @Test
    void aReadingWithinTheAllowedLatenessOfAClosedWindowGoesOutWithTheNextWatermark() throws Exception {
        var h = harness(1000);
        h.open();
        h.processWatermark(new Watermark(WINDOW + MINUTE));
        add(h, reading("a", 5_000, 20.0)); // window 0 closed a minute ago, lateness is five
        assertThat(h.extractOutputValues()).isEmpty();

        h.processWatermark(new Watermark(WINDOW + 2 * MINUTE));

        assertThat(h.extractOutputValues()).singleElement()
                .satisfies(b -> {
                    assertThat(b.size).isEqualTo(1);
                    assertThat(b.eventTime(0)).isEqualTo(5_000);
                });
        assertThat(h.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS)).isNull();
    }

    @Test
    void aReadingAtOrBehindTheWatermarkCountsInItsWindowFlaggedLateForRulesAndNoRuleGetsIt() throws Exception {
        org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup metrics =
                new org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup();
        var h = new OneInputStreamOperatorTestHarness<>(
                new BatchReadingsBySensorWindow(WINDOW, LATENESS, OUT_OF_ORDERNESS, GRANULARITY, 1000, true),
                new org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder()
                        .setMetricGroup(new org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups
                                .UnregisteredTaskMetricGroup() {
                            @Override
                            public org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup getOrAddOperator(
                                    org.apache.flink.runtime.jobgraph.OperatorID id, String name,
                                    java.util.Map<String, String> info) {
                                return metrics;
                            }
                        }).build());
        harnesses.add(h);
        h.open();
        add(h, reading("a", 20_000, 20.0)); // its partition's watermark: 14,999
        Reading absentMotion = reading("a", 14_999, 21.0);
        absentMotion.motion = Reading.MOTION_ABSENT;
        add(h, reading("a", 15_000, 22.0)); // just ahead of it
        add(h, absentMotion);               // at it: late for rules
        Reading moving = reading("a", 2_000, 23.0);
        moving.motion = 1;
        add(h, moving);                     // behind it
        h.processWatermark(new Watermark(WINDOW - 1));

        assertThat(h.getSideOutput(BatchReadingsBySensorWindow.ON_TIME_READINGS)).extracting(r -> r.getValue().eventTime)
                .containsExactly(20_000L, 15_000L);
        ReadingBatch b = h.extractOutputValues().get(0);
        assertThat(b.size).isEqualTo(4);
        assertThat(new boolean[] {b.lateForRules(0), b.lateForRules(1), b.lateForRules(2), b.lateForRules(3)})
                .containsExactly(false, false, true, true);
        assertThat(b.motion(2)).isEqualTo(Reading.MOTION_ABSENT); // the flag leaves the motion as it was
        assertThat(b.motion(3)).isEqualTo((byte) 1);
        assertThat(((org.apache.flink.metrics.Counter) metrics.get("readingsLateForRules")).getCount()).isEqualTo(2);
        assertThat(((org.apache.flink.metrics.Counter) metrics.get("readingsAccepted")).getCount()).isEqualTo(4);
    }

    @Test
    void afterARestoreAReplayedReadingIsLateForRulesExactlyAsBefore() throws Exception {
        var h = harness(1000);
        h.open();
        add(h, inPartition(3, reading("a", 20_000, 20.0)));
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);

        var restored = harness(1000);
        restored.initializeState(snapshot);
        restored.open();
        add(restored, inPartition(3, reading("a", 14_999, 21.0))); // no watermark has arrived since the restore
        add(restored, inPartition(4, reading("b", 14_999, 21.0))); // another partition, not that far yet
        restored.endInput();

        assertThat(restored.extractOutputValues()).extracting(b -> b.sensorId + " " + b.lateForRules(0))
                .containsExactlyInAnyOrder("a true", "b false");
    }

    @Test
    void flushesEverythingBeforeACheckpointBarrierSoTheBufferIsNeverInTheCheckpoint() throws Exception {
        var h = harness(1000);
        h.open();
        add(h, reading("a", 1_000, 20.0));
        add(h, reading("b", WINDOW + 1_000, 20.0));

        h.prepareSnapshotPreBarrier(1L);

        assertThat(h.extractOutputValues()).extracting(b -> b.sensorId).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void flushesWhenItHoldsMaxBufferedReadings() throws Exception {
        var h = harness(3);
        h.open();
        add(h, reading("a", 1_000, 20.0));
        add(h, reading("b", 2_000, 20.0));
        assertThat(h.extractOutputValues()).isEmpty();

        add(h, reading("a", 3_000, 20.0));

        assertThat(h.extractOutputValues()).extracting(b -> b.size).containsExactlyInAnyOrder(2, 1);
        add(h, reading("a", 4_000, 20.0));
        add(h, reading("a", 5_000, 20.0));
        assertThat(h.extractOutputValues()).hasSize(2); // the count started again after the flush
    }

    @Test
    void keepsSeparateBatchesWhenOutOfOrderReadingsStraddleAWindowBoundary() throws Exception {
        var h = harness(1000);
        h.open();
        add(h, reading("a", WINDOW - 2_000, 20.0));
        add(h, reading("a", WINDOW + 1_000, 21.0));
        add(h, reading("a", WINDOW - 1_000, 22.0)); // back in the first window
        add(h, reading("a", WINDOW + 2_000, 23.0));

        h.processWatermark(new Watermark(WINDOW - 1));
        assertThat(h.extractOutputValues()).singleElement().satisfies(b -> {
            assertThat(b.windowStart).isZero();
            assertThat(b.size).isEqualTo(2);
            assertThat(b.temperature(1)).isEqualTo(22.0);
        });
        h.endInput();
        assertThat(h.extractOutputValues()).hasSize(2).last().satisfies(b -> {
            assertThat(b.windowStart).isEqualTo(WINDOW);
            assertThat(b.size).isEqualTo(2);
        });
    }

    @Test
    void flushesEverythingAtTheEndOfInput() throws Exception {
        var h = harness(1000);
        h.open();
        add(h, reading("a", 1_000, 20.0));

        h.endInput();

        assertThat(h.extractOutputValues()).hasSize(1);
    }

    @Test
    void judgesLatenessByTheProgressOfTheReadingsOwnPartitionWithoutWaitingForAWatermark() throws Exception {
        var h = harness(1000);
        h.open();
        // Partition 0 reaches WINDOW + LATENESS + 5s: its watermark is WINDOW + LATENESS - 1.
        add(h, inPartition(0, reading("a", WINDOW + LATENESS + OUT_OF_ORDERNESS, 20.0)));
        add(h, inPartition(0, reading("a", 10_000, 21.0))); // window 0 is beyond lateness for partition 0
        add(h, inPartition(1, reading("b", 10_000, 22.0))); // partition 1 has not got that far

        List<LateReading> late = h.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS).stream()
                .map(StreamRecord::getValue).collect(Collectors.toList());
        assertThat(late).singleElement().satisfies(l -> {
            assertThat(l.sensorId).isEqualTo("a");
            assertThat(l.watermark).isEqualTo(WINDOW + LATENESS - 1);
        });
        h.endInput();
        assertThat(h.extractOutputValues()).extracting(b -> b.sensorId).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void afterARestoreItJudgesLatenessByThePartitionProgressInTheCheckpoint() throws Exception {
        var h = harness(1000);
        h.open();
        add(h, inPartition(3, reading("a", WINDOW + LATENESS + OUT_OF_ORDERNESS, 20.0)));
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);

        var restored = harness(1000);
        restored.initializeState(snapshot);
        restored.open();
        add(restored, inPartition(3, reading("a", 10_000, 20.0))); // no watermark has arrived since the restore

        assertThat(restored.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS)).hasSize(1);
        restored.endInput();
        assertThat(restored.extractOutputValues()).isEmpty();
    }

    @Test
    void afterARestoreItNeverJudgesBelowTheCheckpointedWatermark() throws Exception {
        var h = harness(1000);
        h.open();
        h.processWatermark(new Watermark(WINDOW - 1 + LATENESS));
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);

        var restored = harness(1000);
        restored.initializeState(snapshot);
        restored.open();
        add(restored, inPartition(7, reading("a", 10_000, 20.0)));

        assertThat(restored.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS)).hasSize(1);
    }

    @Test
    void afterARestoreASlowerPartitionIsNotJudgedByAFasterSubtasksWatermark() throws Exception {
        var fast = new OneInputStreamOperatorTestHarness<>(operator(1000), 3, 3, 0);
        var slow = new OneInputStreamOperatorTestHarness<>(operator(1000), 3, 3, 1);
        var empty = new OneInputStreamOperatorTestHarness<>(operator(1000), 3, 3, 2);
        harnesses.add(fast);
        harnesses.add(slow);
        harnesses.add(empty);
        fast.open();
        slow.open();
        empty.open();
        add(fast, inPartition(0, reading("a", 3 * WINDOW + LATENESS + OUT_OF_ORDERNESS, 20.0)));
        fast.processWatermark(new Watermark(3 * WINDOW + LATENESS - 1));
        add(slow, inPartition(1, reading("b", 10_000, 20.0)));
        slow.processWatermark(new Watermark(5_000 - 1)); // behind by three windows
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(
                fast.snapshot(1L, 1L), slow.snapshot(1L, 1L), empty.snapshot(1L, 1L));

        var restored = new OneInputStreamOperatorTestHarness<>(operator(1000), 3, 3, 1);
        harnesses.add(restored);
        restored.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(merged, 3, 3, 3, 1));
        restored.open();
        add(restored, inPartition(1, reading("b", 11_000, 21.0))); // replayed: on time, as the first time
        add(restored, inPartition(0, reading("a", WINDOW + 1_000, 22.0))); // late for partition 0

        assertThat(restored.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS)).singleElement()
                .satisfies(l -> assertThat(l.getValue().sensorId).isEqualTo("a"));
        restored.endInput();
        assertThat(restored.extractOutputValues()).singleElement()
                .satisfies(b -> assertThat(b.sensorId).isEqualTo("b"));
    }

    @Test
    void aSubtaskThatHadReadNothingYetHoldsTheRestoredFloorAtTheBeginningUnlessItWasIdle() throws Exception {
        var ahead = new OneInputStreamOperatorTestHarness<>(operator(1000), 3, 3, 0);
        var notStarted = new OneInputStreamOperatorTestHarness<>(operator(1000), 3, 3, 1);
        var idle = new OneInputStreamOperatorTestHarness<>(operator(1000), 3, 3, 2);
        harnesses.add(ahead);
        harnesses.add(notStarted);
        harnesses.add(idle);
        ahead.open();
        notStarted.open();
        idle.open();
        add(ahead, inPartition(0, reading("a", 3 * WINDOW + LATENESS + OUT_OF_ORDERNESS, 20.0)));
        ahead.processWatermark(new Watermark(3 * WINDOW + LATENESS - 1));
        idle.processWatermarkStatus(WatermarkStatus.IDLE);
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(
                ahead.snapshot(1L, 1L), notStarted.snapshot(1L, 1L), idle.snapshot(1L, 1L));

        // Partition 1 had not been read at the checkpoint: after the restore it is read from its
        // start, and its first window is on time, as it would have been without the failure.
        var restored = new OneInputStreamOperatorTestHarness<>(operator(1000), 3, 3, 1);
        harnesses.add(restored);
        restored.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(merged, 3, 3, 3, 1));
        restored.open();
        add(restored, inPartition(1, reading("b", 10_000, 21.0)));
        assertThat(restored.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS)).isNull();

        // Without the not-started subtask, the lowest non-idle watermark is the one ahead.
        OperatorSubtaskState withoutIt = AbstractStreamOperatorTestHarness.repackageState(
                ahead.snapshot(2L, 2L), idle.snapshot(2L, 2L));
        var second = new OneInputStreamOperatorTestHarness<>(operator(1000), 2, 2, 1);
        harnesses.add(second);
        second.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(withoutIt, 2, 2, 2, 1));
        second.open();
        add(second, inPartition(5, reading("c", 10_000, 21.0)));
        assertThat(second.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS)).hasSize(1);
    }

    @Test
    void afterRescalingEachPartitionKeepsItsOwnProgress() throws Exception {
        var first = new OneInputStreamOperatorTestHarness<>(operator(1000), 2, 2, 0);
        var second = new OneInputStreamOperatorTestHarness<>(operator(1000), 2, 2, 1);
        harnesses.add(first);
        harnesses.add(second);
        first.open();
        second.open();
        add(first, inPartition(0, reading("a", 2 * WINDOW + LATENESS + OUT_OF_ORDERNESS, 20.0))); // past window 1
        add(second, inPartition(1, reading("b", WINDOW + LATENESS + OUT_OF_ORDERNESS, 20.0))); // past window 0 only
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(
                first.snapshot(1L, 1L), second.snapshot(1L, 1L));

        var rescaled = new OneInputStreamOperatorTestHarness<>(operator(1000), 1, 1, 0);
        harnesses.add(rescaled);
        rescaled.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(merged, 1, 2, 1, 0));
        rescaled.open();
        add(rescaled, inPartition(0, reading("a", WINDOW + 10_000, 20.0))); // late for partition 0
        add(rescaled, inPartition(1, reading("b", WINDOW + 10_000, 20.0))); // on time for partition 1

        assertThat(rescaled.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS)).singleElement()
                .satisfies(l -> assertThat(l.getValue().sensorId).isEqualTo("a"));
        rescaled.endInput();
        assertThat(rescaled.extractOutputValues()).singleElement()
                .satisfies(b -> assertThat(b.sensorId).isEqualTo("b"));
    }
}
