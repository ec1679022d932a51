package io.sensorflow.job.archive;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The in-progress files that failed attempts leave in the archive. Flink's FileSink writes each
 * file under a hidden work name ({@code .NAME.inprogress.UUID} on local and HDFS-like file systems)
 * and renames it when a checkpoint commits it; a TaskManager that dies leaves the files it was
 * writing, which no commit will ever take (the replay writes their readings again). Readers never
 * see them (hidden, and not {@code *.parquet}); this removes them.
 *
 * <p>Only files older than a bound are removed: a file that waits for its commit (closed at a
 * checkpoint, merged and renamed at the latest {@code --archive-compact-every} later) has the same
 * kind of name. So the bound must exceed that, and a job stopped with a savepoint that is to be
 * resumed must have been stopped for less than the bound. On S3, in-progress files are multipart
 * uploads, which a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes instead.
 */
public final class ArchiveWorkFiles {

    private ArchiveWorkFiles() {}

    /** Whether {@code name} is a FileSink work file of an unfinished write. */
    public static boolean isInProgress(String name) {
        return name.startsWith(".") && name.contains(".inprogress.");
    }

    /** The in-progress files under {@code root}. */
    public static List<FileStatus> inProgress(Path root) throws IOException {
        List<FileStatus> found = new ArrayList<>();
        collect(root.getFileSystem(), root, found);
        return found;
    }

    /** Removes the in-progress files under {@code root} last modified more than {@code olderThan} before {@code now}. */
    public static List<Path> removeOrphans(Path root, Duration olderThan, Instant now) throws IOException {
        FileSystem fs = root.getFileSystem();
        long before = now.minus(olderThan).toEpochMilli();
        List<Path> removed = new ArrayList<>();
        for (FileStatus f : inProgress(root)) {
            if (f.getModificationTime() < before || olderThan.isZero()) {
                fs.delete(f.getPath(), false);
                removed.add(f.getPath());
            }
        }
        return removed;
    }

    private static void collect(FileSystem fs, Path dir, List<FileStatus> found) throws IOException {
        FileStatus[] entries = fs.listStatus(dir);
        if (entries == null) {
            return;
        }
        for (FileStatus e : entries) {
            if (e.isDir()) {
                collect(fs, e.getPath(), found);
            } else if (isInProgress(e.getPath().getName())) {
                found.add(e);
            }
        }
    }
}
