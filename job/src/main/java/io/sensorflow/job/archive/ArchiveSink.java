package io.sensorflow.job.archive;

import io.sensorflow.job.aggregate.ReadingBatch;
import java.io.IOException;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.sink.compactor.FileCompactStrategy;
import org.apache.flink.connector.file.sink.compactor.RecordWiseFileCompactor;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

/**
 * The archive's sink: Flink's FileSink writing Parquet ({@link ArchiveParquetWriter}) into
 * partition folders ({@link ArchivePartitions}), exactly once. How a file becomes visible:
 * <ol>
 *   <li>each subtask writes a hidden {@code .part-*.parquet} per partition it has readings for and
 *       closes it at every checkpoint (or at the size target);
 *   <li>once the checkpoint completes, the hidden files are committed and the compaction merges a
 *       partition's hidden files, from every subtask, into one {@code compacted-part-*.parquet}, when
 *       they reach the size target together or after {@code compactEveryCheckpoints} checkpoints;
 *   <li>the merged file is committed (renamed to its name) with the next checkpoint, and the hidden
 *       files it was made of are deleted.
 * </ol>
 * A failure before a commit leaves a hidden in-progress file that is never committed (the replay
 * writes its readings again; {@link ArchiveWorkFiles} removes such files). So readers take the files
 * whose names do not start with a dot, as Spark, Hive and Trino do by themselves; DuckDB's globs
 * match hidden files, so its pattern leaves them out: {@code read_parquet('DIR/**&#47;[!.]*.parquet')}
 * (sql/README.md, "The archive").
 */
public final class ArchiveSink {

    private ArchiveSink() {}

    public static FileSink<ReadingBatch> create(ArchiveSettings settings) {
        return FileSink.forBulkFormat(new Path(settings.dir()),
                        new ArchiveParquetWriter(settings.codec(), settings.rowGroupBytes()))
                .withBucketAssigner(new ArchivePartitions(settings.layout()))
                .withRollingPolicy(new RollOnCheckpointOrSize(settings.fileSizeBytes()))
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
                .enableCompact(
                        FileCompactStrategy.Builder.newBuilder()
                                .setSizeThreshold(settings.fileSizeBytes())
                                .enableCompactionOnCheckpoint(settings.compactEveryCheckpoints())
                                .setNumCompactThreads(1)
                                .build(),
                        new RecordWiseFileCompactor<>(new ArchiveParquetReader.Factory()))
                .build();
    }

    /** Bulk formats must roll at every checkpoint; this one also rolls a file at the size target. */
    static final class RollOnCheckpointOrSize extends CheckpointRollingPolicy<ReadingBatch, String> {
        private static final long serialVersionUID = 1L;
        private final long maxBytes;

        RollOnCheckpointOrSize(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public boolean shouldRollOnEvent(PartFileInfo<String> partFile, ReadingBatch element) throws IOException {
            return partFile.getSize() >= maxBytes;
        }

        @Override
        public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFile, long currentTime) {
            return false;
        }
    }
}
