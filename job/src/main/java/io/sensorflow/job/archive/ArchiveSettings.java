package io.sensorflow.job.archive;

import java.io.Serializable;

/**
 * Where and how the archive is written.
 *
 * @param dir the archive's root, any Flink file system URI (file:///..., s3://bucket/path)
 * @param fileSizeBytes the size target: a part file rolls at this size, and files are merged until
 *     together they reach it
 * @param compactEveryCheckpoints at the latest after this many checkpoints, a partition's new files
 *     are merged into one and become visible
 * @param layout the partition folders
 * @param codec the Parquet compression
 */
public record ArchiveSettings(String dir, long fileSizeBytes, int compactEveryCheckpoints, ArchiveLayout layout,
        ParquetCodecs.Codec codec) implements Serializable {

    /** Parquet buffers a row group in memory before writing it: at most this much per open file. */
    static final long MAX_ROW_GROUP_BYTES = 64L << 20;

    long rowGroupBytes() {
        return Math.min(fileSizeBytes, MAX_ROW_GROUP_BYTES);
    }
}
