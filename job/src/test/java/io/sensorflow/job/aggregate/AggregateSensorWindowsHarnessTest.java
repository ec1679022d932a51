package io.sensorflow.job.aggregate;

import static io.sensorflow.job.aggregate.TestReadings.MINUTE;
import static io.sensorflow.job.aggregate.TestReadings.WINDOW;
import static io.sensorflow.job.aggregate.TestReadings.batch;
import static io.sensorflow.job.aggregate.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorflow.job.readings.Reading;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AggregateSensorWindowsHarnessTest {

    private static final long LATENESS = 5 * MINUTE;

    private KeyedOneInputStreamOperatorTestHarness<String, ReadingBatch, SensorWindowAggregate> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ReadingBatch, SensorWindowAggregate> newHarness()
            throws Exception {
        return harnessFor(new AggregateSensorWindows(WINDOW, LATENESS));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ReadingBatch, SensorWindowAggregate> harnessFor(
            AggregateSensorWindows function) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function), b -> b.sensorId, Types.STRING);
    }

    private void send(ReadingBatch b) throws Exception {
        harness.processElement(b, b.windowStart + WINDOW - 1);
    }

    @Test
    void emitsTheWindowsAggregateWhenTheWatermarkClosesItAndNotBefore() throws Exception {
        Reading r1 = reading("a", 1_000, 20.0);
        r1.humidity = 40.0;
        r1.motion = 1;
        Reading r2 = reading("a", 2_000, 24.0);
        r2.distanceCm = 100.0;
        r2.motion = 0;
        Reading r3 = reading("a", 3_000, 22.0);
        send(batch("a", 0, r2, r1));
        send(batch("a", 0, r3));
        harness.processWatermark(WINDOW - 2);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(WINDOW - 1);

        SensorWindowAggregate a = single(harness.extractOutputValues());
        assertThat(a.sensorId).isEqualTo("a");
        assertThat(a.windowStart).isZero();
        assertThat(a.windowEnd).isEqualTo(WINDOW);
        assertThat(a.readingCount).isEqualTo(3);
        assertThat(a.duplicateCount).isZero();
        assertThat(a.temperatureCount).isEqualTo(3);
        assertThat(a.temperatureMin).isEqualTo(20.0);
        assertThat(a.temperatureMax).isEqualTo(24.0);
        assertThat(a.temperatureAvg).isCloseTo(22.0, within(1e-12));
        assertThat(a.humidityCount).isEqualTo(1);
        assertThat(a.humidityAvg).isEqualTo(40.0);
        assertThat(a.distanceCount).isEqualTo(1);
        assertThat(a.distanceMin).isEqualTo(100.0);
        assertThat(a.motionReadings).isEqualTo(2);
        assertThat(a.motionCount).isEqualTo(1);
        assertThat(a.firstEventTime).isEqualTo(1_000);
        assertThat(a.lastEventTime).isEqualTo(3_000);
    }

    @Test
    void aWindowWithoutAMeasurementReportsNoValueRatherThanZero() throws Exception {
        Reading r = reading("a", 1_000, Double.NaN);
        r.motion = 1;
        send(batch("a", 0, r));
        harness.processWatermark(WINDOW - 1);

        SensorWindowAggregate a = single(harness.extractOutputValues());
        assertThat(a.temperatureCount).isZero();
        assertThat(a.temperatureMin).isNaN();
        assertThat(a.temperatureAvg).isNaN();
        assertThat(a.motionCount).isEqualTo(1);
    }

    @Test
    void countsAnExactRepeatOnceAndReadingsThatDifferInAnythingApart() throws Exception {
        send(batch("a", 0, reading("a", 1_000, 20.0, 7), reading("a", 2_000, 21.0, 8)));
        // the same reading again (time, seq and values), twice, and without seq too
        send(batch("a", 0, reading("a", 1_000, 20.0, 7), reading("a", 5_000, 22.0), reading("a", 5_000, 22.0),
                reading("a", 1_000, 20.0, 7)));
        // same seq at another time, same time and seq with another value: other readings
        send(batch("a", 0, reading("a", 1_500, 30.0, 7), reading("a", 2_000, 21.5, 8)));
        harness.processWatermark(WINDOW - 1);

        SensorWindowAggregate a = single(harness.extractOutputValues());
        assertThat(a.readingCount).isEqualTo(5);
        assertThat(a.duplicateCount).isEqualTo(3);
        assertThat(a.temperatureMax).isEqualTo(30.0);
    }

    @Test
    void countsTheReadingsLateForRulesAmongThoseItCountsAndKeepsThemAcrossARestore() throws Exception {
        ReadingBatch first = ReadingBatch.create("a", 0, 4);
        first.add(reading("a", 1_000, 20.0, 1));
        first.add(reading("a", 2_000, 21.0, 2), true);
        send(first.trimmed());
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        ReadingBatch second = ReadingBatch.create("a", 0, 4);
        second.add(reading("a", 1_000, 20.0, 1), true); // a repeat of one the rules saw: only a duplicate
        second.add(reading("a", 2_000, 21.0, 2), true); // a repeat of a late one: counted once
        second.add(reading("a", 3_000, 22.0, 3), true);
        send(second.trimmed());
        harness.processWatermark(WINDOW - 1);

        SensorWindowAggregate a = single(harness.extractOutputValues());
        assertThat(a.readingCount).isEqualTo(3);
        assertThat(a.duplicateCount).isEqualTo(2);
        assertThat(a.readingsLateForRules).isEqualTo(2);
    }

    @Test
    void manyDifferentReadingsWithOneTimestampAllCount() throws Exception {
        // The seed producer sends several readings a second per sensor, stamped in whole seconds.
        Reading[] burst = new Reading[3_000];
        double sum = 0;
        for (int i = 0; i < burst.length; i++) {
            double t = 20 + (i * 7919 % 6000) / 100.0;
            burst[i] = reading("a", 60_000, t);
            sum += t;
        }
        send(batch("a", 0, burst));
        send(batch("a", 0, burst)); // and every one of them delivered again
        harness.processWatermark(WINDOW - 1);

        SensorWindowAggregate a = single(harness.extractOutputValues());
        assertThat(a.readingCount).isEqualTo(3_000);
        assertThat(a.duplicateCount).isEqualTo(3_000);
        assertThat(a.temperatureAvg).isCloseTo(sum / 3_000, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aLateBatchWithinTheAllowedLatenessUpdatesTheRowAtOnce() throws Exception {
        send(batch("a", 0, reading("a", 1_000, 20.0)));
        harness.processWatermark(WINDOW - 1);
        assertThat(single(harness.extractOutputValues()).readingCount).isEqualTo(1);
        harness.getOutput().clear();

        harness.processWatermark(WINDOW + MINUTE);
        send(batch("a", 0, reading("a", 2_000, 30.0)));

        SensorWindowAggregate updated = single(harness.extractOutputValues());
        assertThat(updated.readingCount).isEqualTo(2);
        assertThat(updated.temperatureMax).isEqualTo(30.0);
    }

    @Test
    void purgesTheWindowStateAndTimersOnceTheAllowedLatenessHasPassed() throws Exception {
        send(batch("a", 0, reading("a", 1_000, 20.0)));
        send(batch("b", WINDOW, reading("b", WINDOW + 1_000, 20.0)));
        assertThat(harness.numEventTimeTimers()).isEqualTo(4);

        harness.processWatermark(WINDOW - 1 + LATENESS - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        harness.processWatermark(WINDOW - 1 + LATENESS);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // only b's window is left
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(2 * WINDOW - 1 + LATENESS);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void withoutAllowedLatenessTheWindowIsEmittedAndPurgedAtOnce() throws Exception {
        harness.close();
        harness = harnessFor(new AggregateSensorWindows(WINDOW, 0));
        harness.open();
        send(batch("a", 0, reading("a", 1_000, 20.0)));

        harness.processWatermark(WINDOW - 1);

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void dropsABatchForAnAlreadyPurgedWindowInsteadOfWritingAPartialRow() throws Exception {
        harness.processWatermark(WINDOW - 1 + LATENESS);

        send(batch("a", 0, reading("a", 1_000, 20.0)));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void keepsWindowsAndSeenReadingsAcrossACheckpointAndRestore() throws Exception {
        send(batch("a", 0, reading("a", 1_000, 20.0, 1)));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(batch("a", 0, reading("a", 1_000, 20.0, 1), reading("a", 2_000, 22.0, 2)));
        harness.processWatermark(WINDOW - 1);

        SensorWindowAggregate a = single(harness.extractOutputValues());
        assertThat(a.readingCount).isEqualTo(2);
        assertThat(a.duplicateCount).isEqualTo(1);
        assertThat(a.temperatureAvg).isEqualTo(21.0);
    }

    private static SensorWindowAggregate single(List<SensorWindowAggregate> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
