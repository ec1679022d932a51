package io.sensorflow.job.aggregate;

import static io.sensorflow.job.aggregate.TestReadings.MINUTE;
import static io.sensorflow.job.aggregate.TestReadings.WINDOW;
import static io.sensorflow.job.aggregate.TestReadings.batch;
import static io.sensorflow.job.aggregate.TestReadings.reading;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.archive.ArchiveLayout;
import io.sensorflow.job.readings.Reading;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** What the aggregation hands the archive: each reading it counts, once, in its event time's partition. */
class AggregateSensorWindowsArchiveHarnessTest {

    private static final long LATENESS = 5 * MINUTE;
    private static final long HOUR = 60 * MINUTE;

    @Test
    void eachCountedReadingOnceAndNoDuplicate() throws Exception {
        try (var harness = harness(WINDOW)) {
            Reading r1 = reading("a", 1_000, 20.0, 1);
            Reading r2 = reading("a", 2_000, 21.0, 2);
            Reading sameTimeOtherValue = reading("a", 1_000, 25.0, 3);
            harness.processElement(batch("a", 0, r1, r2, reading("a", 1_000, 20.0, 1)), WINDOW - 1);
            harness.processElement(batch("a", 0, reading("a", 2_000, 21.0, 2), sameTimeOtherValue), WINDOW - 1);

            assertThat(archived(harness)).containsExactly(
                    "a 1000 20.0 seq=1", "a 2000 21.0 seq=2", "|", "a 1000 25.0 seq=3", "|");
        }
    }

    @Test
    void aLateReadingWithinTheLatenessIsArchivedOneAfterThePurgeIsNot() throws Exception {
        try (var harness = harness(WINDOW)) {
            harness.processElement(batch("a", 0, reading("a", 1_000, 20.0)), WINDOW - 1);
            harness.processWatermark(WINDOW + MINUTE); // closed, not purged
            harness.processElement(batch("a", 0, reading("a", 3_000, 22.0)), WINDOW - 1);
            harness.processWatermark(WINDOW + LATENESS); // purged
            harness.processElement(batch("a", 0, reading("a", 4_000, 23.0)), WINDOW - 1);

            assertThat(archived(harness)).containsExactly("a 1000 20.0 seq=-1", "|", "a 3000 22.0 seq=-1", "|");
        }
    }

    @Test
    void aWindowAcrossPartitionsIsSplitAtTheirEdge() throws Exception {
        long twoHours = 2 * HOUR;
        try (var harness = harness(twoHours)) {
            harness.processElement(batch("a", 0, reading("a", 10 * MINUTE, 20.0), reading("a", 70 * MINUTE, 21.0),
                    reading("a", 50 * MINUTE, 22.0), reading("a", 80 * MINUTE, 23.0)), twoHours - 1);

            assertThat(archived(harness)).containsExactly(
                    "a 600000 20.0 seq=-1", "|", "a 4200000 21.0 seq=-1", "|", "a 3000000 22.0 seq=-1", "|",
                    "a 4800000 23.0 seq=-1", "|");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ReadingBatch, SensorWindowAggregate> harness(long window)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AggregateSensorWindows(window, LATENESS, ArchiveLayout.HOUR)),
                (ReadingBatch b) -> b.sensorId, Types.STRING);
        h.open();
        return h;
    }

    /** The archived readings, batch after batch, each batch closed by "|". */
    private static List<String> archived(KeyedOneInputStreamOperatorTestHarness<String, ReadingBatch, SensorWindowAggregate> h) {
        List<String> out = new ArrayList<>();
        var records = h.getSideOutput(AggregateSensorWindows.ARCHIVE);
        if (records == null) {
            return out;
        }
        for (StreamRecord<ReadingBatch> record : records) {
            ReadingBatch b = record.getValue();
            for (int i = 0; i < b.size; i++) {
                out.add(b.sensorId + " " + b.eventTime(i) + " " + b.temperature(i) + " seq=" + b.seq(i));
            }
            out.add("|");
        }
        return out;
    }
}
