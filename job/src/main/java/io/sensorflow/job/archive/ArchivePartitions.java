package io.sensorflow.job.archive;

import io.sensorflow.job.aggregate.ReadingBatch;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Puts a batch of readings in the folder of its readings' event time ({@link ArchiveLayout}). The
 * aggregation hands the archive batches whose readings all lie in one partition
 * ({@link ArchiveOutput}), so the first reading decides. The folder name is made again only when
 * the partition changes.
 */
public final class ArchivePartitions implements BucketAssigner<ReadingBatch, String> {

    private static final long serialVersionUID = 1L;

    private final ArchiveLayout layout;
    private transient long lastStart = Long.MIN_VALUE;
    private transient String lastFolder;

    public ArchivePartitions(ArchiveLayout layout) {
        this.layout = layout;
    }

    @Override
    public String getBucketId(ReadingBatch batch, Context context) {
        long start = layout.partitionStart(batch.eventTime(0));
        if (start != lastStart || lastFolder == null) {
            lastFolder = layout.folder(start);
            lastStart = start;
        }
        return lastFolder;
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ArchivePartitions{" + layout + "}";
    }
}
