package io.sensorflow.job.aggregate;

import io.sensorflow.job.archive.ArchiveLayout;
import io.sensorflow.job.archive.ArchiveOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per sensor, merges batches of readings into tumbling event-time windows and emits each window's
 * aggregate when the watermark closes it, and again whenever a late reading (within the allowed
 * lateness) changes it. Readings counted before are counted once: the window keeps the
 * identities it has seen until it is purged, {@code allowedLateness} after it closed.
 *
 * <p>With an archive, the readings a window newly counts go to {@link #ARCHIVE}, so the archive
 * holds exactly the readings the aggregates count: each once, duplicates not again, readings too
 * late for their window (the late_readings table) not at all.
 */
public final class AggregateSensorWindows extends KeyedProcessFunction<String, ReadingBatch, SensorWindowAggregate> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AggregateSensorWindows.class);

    /** The readings each batch newly counted, one batch per archive partition. */
    public static final OutputTag<ReadingBatch> ARCHIVE =
            new OutputTag<>("archive", TypeInformation.of(ReadingBatch.class));

    private final long windowSizeMs;
    private final long allowedLatenessMs;
    /** Null without an archive. */
    private final ArchiveLayout archiveLayout;

    private transient MapState<Long, WindowAccumulator> windows;
    private transient Counter duplicates;
    private transient Counter unexpectedLate;
    private transient Counter rowsWritten;

    public AggregateSensorWindows(long windowSizeMs, long allowedLatenessMs) {
        this(windowSizeMs, allowedLatenessMs, null);
    }

    /** With {@code archiveLayout} not null, the counted readings also go to {@link #ARCHIVE}. */
    public AggregateSensorWindows(long windowSizeMs, long allowedLatenessMs, ArchiveLayout archiveLayout) {
        this.windowSizeMs = windowSizeMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.archiveLayout = archiveLayout;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "windows", Types.LONG, TypeInformation.of(WindowAccumulator.class)));
        duplicates = getRuntimeContext().getMetricGroup().counter("readingsDuplicate");
        unexpectedLate = getRuntimeContext().getMetricGroup().counter("batchesAfterPurge");
        rowsWritten = getRuntimeContext().getMetricGroup().counter("windowRowsWritten");
    }

    @Override
    public void processElement(ReadingBatch batch, Context ctx, Collector<SensorWindowAggregate> out) throws Exception {
        long closesAt = Windows.maxTimestamp(batch.windowStart, windowSizeMs);
        long watermark = ctx.timerService().currentWatermark();
        WindowAccumulator acc = windows.get(batch.windowStart);
        if (acc == null) {
            if (closesAt + allowedLatenessMs <= watermark) {
                // The batching operator sends late readings to the late output before they get
                // here, so this means a broken invariant, not bad input: say so loudly.
                unexpectedLate.inc();
                LOG.warn("Dropped {} readings of sensor {} for window {}: it was purged at watermark {}",
                        batch.size, batch.sensorId, batch.windowStart, watermark);
                return;
            }
            acc = new WindowAccumulator(batch.windowStart);
            ctx.timerService().registerEventTimeTimer(closesAt);
            ctx.timerService().registerEventTimeTimer(closesAt + allowedLatenessMs);
        }
        duplicates.inc(acc.add(batch)); // leaves in the batch what it counted
        windows.put(batch.windowStart, acc);
        if (archiveLayout != null) {
            ArchiveOutput.emit(batch, batch.windowStart, batch.windowStart + windowSizeMs, archiveLayout,
                    counted -> ctx.output(ARCHIVE, counted));
        }
        if (closesAt <= watermark) {
            out.collect(SensorWindowAggregate.of(batch.sensorId, acc, windowSizeMs)); // a late update
            rowsWritten.inc();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SensorWindowAggregate> out) throws Exception {
        List<Long> purged = null;
        for (Map.Entry<Long, WindowAccumulator> entry : windows.entries()) {
            long closesAt = Windows.maxTimestamp(entry.getKey(), windowSizeMs);
            if (closesAt == timestamp) {
                out.collect(SensorWindowAggregate.of(ctx.getCurrentKey(), entry.getValue(), windowSizeMs));
                rowsWritten.inc();
            }
            if (closesAt + allowedLatenessMs <= timestamp) {
                if (purged == null) {
                    purged = new ArrayList<>(2);
                }
                purged.add(entry.getKey());
            }
        }
        if (purged != null) {
            for (Long windowStart : purged) {
                windows.remove(windowStart);
            }
        }
    }
}
