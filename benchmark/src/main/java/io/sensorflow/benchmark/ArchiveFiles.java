package io.sensorflow.benchmark;

import io.sensorflow.oracle.WindowAggregate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Watches an archive directory while the job writes it: every file that appears, with the largest
 * size seen. The files each subtask writes per checkpoint ({@code .part-*.parquet}, hidden) live
 * from their commit until the compaction has merged them, at least a checkpoint, so a look every
 * 10 ms sees each; the merged files ({@code compacted-*.parquet}) are what stays.
 */
final class ArchiveFiles implements AutoCloseable {

    private final Path root;
    private final Map<String, Long> seen = new TreeMap<>();
    private final Thread watcher;
    private volatile boolean stop;

    ArchiveFiles(Path root) {
        this.root = root;
        this.watcher = new Thread(this::watch, "archive-files");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        while (!stop) {
            look();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void look() {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                try {
                    if (Files.isRegularFile(p)) {
                        seen.merge(root.relativize(p).toString(), Files.size(p), Math::max);
                    }
                } catch (NoSuchFileException e) {
                    // merged and removed between the listing and the look
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a folder removed while walking: the next look sees the rest
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        watcher.join();
        look();
    }

    /** The files each subtask wrote before they were merged: committed, hidden, {@code .part-*.parquet}. */
    synchronized List<Long> beforeCompaction() {
        List<Long> sizes = new ArrayList<>();
        seen.forEach((name, size) -> {
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (file.startsWith(".part-") && file.endsWith(".parquet")) {
                sizes.add(size);
            }
        });
        return sizes;
    }

    /** The files there are now, which readers see. */
    static List<Long> visible(Path root) throws IOException {
        List<Long> sizes = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                    sizes.add(Files.size(p));
                }
            }
        }
        return sizes;
    }

    /** Work files left: none after a job that ended without failures. */
    static long workFilesLeft(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().startsWith(".")).count();
        }
    }

    static String describe(List<Long> sizes) {
        if (sizes.isEmpty()) {
            return "no files";
        }
        long total = sizes.stream().mapToLong(Long::longValue).sum();
        long min = sizes.stream().mapToLong(Long::longValue).min().orElse(0);
        long max = sizes.stream().mapToLong(Long::longValue).max().orElse(0);
        return String.format("%,d files, %.1f MB in all, %.2f to %.2f MB each", sizes.size(), total / 1e6, min / 1e6, max / 1e6);
    }

    /**
     * The archive against the expected aggregates, read with DuckDB: per sensor and window, as many
     * readings, and the same temperature sum. Returns the differences (at most 5 shown by the caller).
     */
    static List<String> differences(Path root, List<WindowAggregate> expected, long windowMs) throws Exception {
        Map<String, double[]> archived = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sensor_id, epoch_ms(ts) // " + windowMs + " * " + windowMs
                        + ", count(*), coalesce(sum(temperature), 0) FROM read_parquet('" + root
                        + "/**/[!.]*.parquet') GROUP BY ALL")) {
            while (rs.next()) {
                archived.put(rs.getString(1) + "@" + rs.getLong(2), new double[] {rs.getLong(3), rs.getDouble(4)});
            }
        }
        List<String> d = new ArrayList<>();
        for (WindowAggregate a : expected) {
            double[] got = archived.remove(a.sensorId() + "@" + a.windowStart());
            double sum = a.temperature() == null ? 0 : a.temperature().sum();
            if (got == null || got[0] != a.readingCount() || Math.abs(got[1] - sum) > 1e-6 * Math.max(1, Math.abs(sum))) {
                d.add(a.sensorId() + "@" + a.windowStart() + ": expected " + a.readingCount() + " readings, temperature sum "
                        + sum + "; archived " + (got == null ? "none" : (long) got[0] + ", " + got[1]));
            }
        }
        archived.keySet().forEach(k -> d.add(k + ": archived, not expected"));
        return d;
    }
}
