package io.sensorflow.job.aggregate;

import io.sensorflow.job.late.LateReading;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.SensorSlot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Groups the readings of one source subtask into a {@link ReadingBatch} per sensor and window,
 * before the keyBy. It runs chained to the Kafka source, so a reading costs a hash-map look-up
 * and an array append here instead of a serialization, a network hop and a keyed-state access.
 *
 * <p>It holds readings only between flushes, and flushes:
 * <ul>
 *   <li>a window's batches when the watermark closes the window, before forwarding that
 *       watermark, so the aggregation downstream always has them when its timer fires;
 *   <li>everything before each checkpoint barrier, so the buffer is never part of a checkpoint;
 *   <li>everything when more than {@code maxBuffered} readings are held, which bounds memory;
 *   <li>everything at the end of a bounded input.
 * </ul>
 * It decides lateness: a reading goes to {@link #LATE_READINGS} when its window closed more than
 * the allowed lateness ago by the event-time progress of the reading's own Kafka partition
 * ({@link PartitionClocks}), or by the watermark if that is further. Judging by the partition
 * makes the decision the same in every run, however partitions interleave; keeping the
 * partitions' progress in the checkpoint keeps it the same after a restore, when Flink's
 * watermark starts again from nothing and replayed late readings would otherwise slip back in
 * and overwrite their window's row. Never judging below the watermark guarantees that nothing
 * reaches {@link AggregateSensorWindows} for a window it has already purged.
 */
public final class BatchReadingsBySensorWindow extends AbstractStreamOperator<ReadingBatch>
        implements OneInputStreamOperator<Reading, ReadingBatch>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<LateReading> LATE_READINGS = new OutputTag<>("late-readings") {};
    /**
     * Accepted readings that are ahead of the watermark, for the alert rules: a reading at or behind
     * it still counts in its window but can no longer change what event-time rules decided. Judged
     * with the partition's clock, so that too is the same in every run. When a rule evaluates late
     * readings ({@code late: evaluate}), the readings late for rules come here too, marked
     * {@link Reading#lateForRules} with the time that judged them; else none does, and an on-time
     * reading costs nothing more.
     */
    public static final OutputTag<Reading> ON_TIME_READINGS =
            new OutputTag<>("on-time-readings", org.apache.flink.api.common.typeinfo.TypeInformation.of(Reading.class));

    private static final int INITIAL_BATCH_CAPACITY = 16;

    private final long windowSizeMs;
    private final long allowedLatenessMs;
    private final long outOfOrdernessMs;
    private final long granularityMs;
    private final int maxBuffered;
    private final boolean forwardOnTime;
    private final boolean forwardLateForRules;

    /**
     * One entry per sensor heard from since the flush before last. Entries outlive a flush, so a
     * busy sensor costs one look-up per reading and no re-insertion.
     */
    private transient Map<String, SensorBuffer> sensors;
    /** The earliest window that has a batch, or Long.MAX_VALUE when none has: a watermark below it closes nothing. */
    private transient long earliestOpenWindow;
    private transient int buffered;
    private transient long watermark;
    /** Whether the input is idle: then this subtask holds no one's watermark back. */
    private transient boolean idle;
    private transient PartitionClocks partitions;
    private transient ListState<Tuple3<String, Integer, Long>> partitionState;
    private transient ListState<Long> watermarkState;
    private transient StreamRecord<LateReading> lateRecord;
    private transient StreamRecord<Reading> onTimeRecord;
    private transient Counter accepted;
    private transient Counter late;
    private transient Counter lateForRules;

    public BatchReadingsBySensorWindow(
            long windowSizeMs, long allowedLatenessMs, long outOfOrdernessMs, long granularityMs, int maxBuffered,
            boolean forwardOnTime) {
        this(windowSizeMs, allowedLatenessMs, outOfOrdernessMs, granularityMs, maxBuffered, forwardOnTime, false);
    }

    /** {@code forwardLateForRules}: readings late for rules go to {@link #ON_TIME_READINGS} too, marked (a rule evaluates them). */
    public BatchReadingsBySensorWindow(
            long windowSizeMs, long allowedLatenessMs, long outOfOrdernessMs, long granularityMs, int maxBuffered,
            boolean forwardOnTime, boolean forwardLateForRules) {
        this.forwardLateForRules = forwardOnTime && forwardLateForRules;
        this.windowSizeMs = windowSizeMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.granularityMs = granularityMs;
        this.maxBuffered = maxBuffered;
        this.forwardOnTime = forwardOnTime;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // Union state: after rescaling, whichever subtask now reads a partition knows its progress.
        partitionState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(
                "partition-event-time", Types.TUPLE(Types.STRING, Types.INT, Types.LONG)));
        watermarkState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("watermark", Types.LONG));
        partitions = new PartitionClocks(outOfOrdernessMs, granularityMs);
        watermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            for (Tuple3<String, Integer, Long> p : partitionState.get()) {
                partitions.restore(p.f0, p.f1, p.f2);
            }
            // The aggregation downstream has purged windows at most up to its own watermark, the
            // lowest of the subtasks that were not idle (an active subtask without a watermark yet
            // holds it at the very beginning). An idle subtask checkpoints Long.MAX_VALUE. A higher
            // floor would judge the replay of a slower partition late where the first run did not:
            // each partition's own clock decides that.
            long floor = Long.MAX_VALUE;
            for (Long w : watermarkState.get()) {
                floor = Math.min(floor, w);
            }
            watermark = floor == Long.MAX_VALUE ? Long.MIN_VALUE : floor;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        sensors = new HashMap<>();
        earliestOpenWindow = Long.MAX_VALUE;
        lateRecord = new StreamRecord<>(null);
        onTimeRecord = new StreamRecord<>(null);
        MetricGroup metrics = getMetricGroup();
        accepted = metrics.counter("readingsAccepted");
        late = metrics.counter("readingsLate");
        // Accepted (so counted in their windows) but at or behind the watermark: no rule sees them.
        lateForRules = metrics.counter("readingsLateForRules");
        // How far event time trails the wall clock; grows when input stalls or a backlog is read.
        metrics.gauge("eventTimeLagMs", (Gauge<Long>) () ->
                watermark == Long.MIN_VALUE ? null : System.currentTimeMillis() - watermark);
    }

    @Override
    public void processElement(StreamRecord<Reading> element) {
        Reading r = element.getValue();
        long windowStart = Windows.start(r.eventTime, windowSizeMs);
        PartitionClocks.Clock partition = partitions.of(r.sourceTopic == null ? "" : r.sourceTopic, r.sourcePartition);
        long judgedBy = Math.max(watermark, partition.watermark);
        if (Windows.maxTimestamp(windowStart, windowSizeMs) + allowedLatenessMs <= judgedBy) {
            output.collect(LATE_READINGS, lateRecord.replace(LateReading.of(r, windowStart, windowSizeMs, judgedBy)));
            late.inc();
            return;
        }
        boolean onTime = r.eventTime > judgedBy;
        partition.advanceTo(r.eventTime);
        accepted.inc();

        SensorBuffer sensor = sensors.get(r.sensorId);
        if (sensor == null) {
            sensor = new SensorBuffer();
            sensors.put(r.sensorId, sensor);
        }
        if (!onTime) {
            lateForRules.inc();
            if (forwardLateForRules) { // the alert rules decide whether it is new enough to evaluate
                r.sensorSlot = sensor;
                r.lateForRules = true;
                r.judgedBy = judgedBy;
                output.collect(ON_TIME_READINGS, onTimeRecord.replace(r, r.eventTime));
            }
        } else if (forwardOnTime) {
            r.sensorSlot = sensor;
            output.collect(ON_TIME_READINGS, onTimeRecord.replace(r, r.eventTime));
        }
        sensor.batchFor(r.sensorId, windowStart, this).add(r, !onTime);
        if (++buffered >= maxBuffered) {
            flushAll();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > watermark) {
            watermark = mark.getTimestamp();
        }
        if (earliestOpenWindow != Long.MAX_VALUE && Windows.maxTimestamp(earliestOpenWindow, windowSizeMs) <= watermark) {
            flushClosedWindows();
        }
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        idle = status.isIdle();
        super.processWatermarkStatus(status);
    }

    private void flushClosedWindows() {
        long earliest = Long.MAX_VALUE;
        for (SensorBuffer sensor : sensors.values()) {
            earliest = Math.min(earliest, sensor.emitClosed(this));
        }
        earliestOpenWindow = earliest;
    }

    private void flushAll() {
        for (Iterator<SensorBuffer> it = sensors.values().iterator(); it.hasNext(); ) {
            SensorBuffer sensor = it.next();
            if (!sensor.emitAll(this)) {
                it.remove(); // not heard from since the last flush: let it go
            }
        }
        earliestOpenWindow = Long.MAX_VALUE;
        buffered = 0;
    }

    private void emit(ReadingBatch batch) {
        buffered -= batch.size;
        // The record is serialized onto the network at once, so one StreamRecord per batch is cheap.
        output.collect(new StreamRecord<>(batch.trimmed(), Windows.maxTimestamp(batch.windowStart, windowSizeMs)));
    }

    private void opened(long windowStart) {
        if (windowStart < earliestOpenWindow) {
            earliestOpenWindow = windowStart;
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushAll();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<Tuple3<String, Integer, Long>> progress = new ArrayList<>();
        for (PartitionClocks.Clock c : partitions.all()) {
            progress.add(Tuple3.of(c.topic, c.partition, c.maxEventTime));
        }
        partitionState.update(progress);
        watermarkState.update(List.of(idle ? Long.MAX_VALUE : watermark));
    }

    @Override
    public void endInput() {
        flushAll();
    }

    /**
     * The open batches of one sensor: nearly always one, for its current window; more while
     * out-of-order or late readings straddle a window boundary.
     */
    private static final class SensorBuffer extends SensorSlot {
        ReadingBatch current;
        List<ReadingBatch> others;
        /** Whether it had readings since the last full flush. */
        boolean active;

        ReadingBatch batchFor(String sensorId, long windowStart, BatchReadingsBySensorWindow op) {
            ReadingBatch b = current;
            if (b != null && b.windowStart == windowStart) {
                return b;
            }
            active = true;
            if (b == null) {
                current = ReadingBatch.create(sensorId, windowStart, INITIAL_BATCH_CAPACITY);
                op.opened(windowStart);
                return current;
            }
            if (others == null) {
                others = new ArrayList<>(2);
            }
            for (ReadingBatch other : others) {
                if (other.windowStart == windowStart) {
                    return other;
                }
            }
            ReadingBatch created = ReadingBatch.create(sensorId, windowStart, INITIAL_BATCH_CAPACITY);
            op.opened(windowStart);
            // The newer window becomes the fast path: readings mostly move forward in time.
            if (windowStart > b.windowStart) {
                others.add(b);
                current = created;
            } else {
                others.add(created);
            }
            return created;
        }

        /** Emits the batches of closed windows; returns the earliest window still open. */
        long emitClosed(BatchReadingsBySensorWindow op) {
            long earliest = Long.MAX_VALUE;
            if (others != null) {
                for (Iterator<ReadingBatch> it = others.iterator(); it.hasNext(); ) {
                    ReadingBatch b = it.next();
                    if (Windows.maxTimestamp(b.windowStart, op.windowSizeMs) <= op.watermark) {
                        op.emit(b);
                        it.remove();
                    } else {
                        earliest = Math.min(earliest, b.windowStart);
                    }
                }
            }
            if (current != null) {
                if (Windows.maxTimestamp(current.windowStart, op.windowSizeMs) <= op.watermark) {
                    op.emit(current);
                    current = null;
                } else {
                    earliest = Math.min(earliest, current.windowStart);
                }
            }
            return earliest;
        }

        /** Emits every batch; returns whether the sensor had readings since the last full flush. */
        boolean emitAll(BatchReadingsBySensorWindow op) {
            boolean wasActive = active || current != null;
            if (others != null) {
                for (ReadingBatch b : others) {
                    op.emit(b);
                }
                others = null;
            }
            if (current != null) {
                op.emit(current);
                current = null;
            }
            active = false;
            return wasActive;
        }
    }
}
