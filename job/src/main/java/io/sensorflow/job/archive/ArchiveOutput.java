package io.sensorflow.job.archive;

import io.sensorflow.job.aggregate.ReadingBatch;
import java.util.function.Consumer;

/**
 * Hands the readings a window newly counted to the archive, one batch per archive partition. A
 * window that lies in one partition (15 minutes in an hour: the usual case) passes its batch on as
 * it is; only a window that straddles a partition's edge (a window of 2 hours, or of 7 minutes)
 * is split into new batches.
 */
public final class ArchiveOutput {

    private ArchiveOutput() {}

    /** Sends {@code batch} (readings of one window, {@code windowStart} to {@code windowEnd} exclusive). */
    public static void emit(ReadingBatch batch, long windowStart, long windowEnd, ArchiveLayout layout,
            Consumer<ReadingBatch> out) {
        if (batch.size == 0) {
            return;
        }
        if (layout.partitionStart(windowStart) == layout.partitionStart(windowEnd - 1)) {
            out.accept(batch);
            return;
        }
        // Readings mostly come in time order: a new batch each time the partition changes.
        ReadingBatch part = null;
        long partStart = Long.MIN_VALUE;
        for (int i = 0; i < batch.size; i++) {
            long start = layout.partitionStart(batch.eventTime(i));
            if (part == null || start != partStart) {
                if (part != null) {
                    out.accept(part);
                }
                part = ReadingBatch.create(batch.sensorId, batch.windowStart, batch.size - i);
                partStart = start;
            }
            part.addRowOf(batch, i);
        }
        out.accept(part);
    }
}
