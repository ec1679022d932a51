package io.sensorflow.job.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * How the archive's files are laid out in folders: Hive-style partitions of the readings' event
 * time in UTC, which DuckDB, Spark, Trino and Athena read as the columns {@code day} (and
 * {@code hour}). A reading's partition is its own event time's, not the time it arrived.
 */
public enum ArchiveLayout {
    /** {@code day=2026-12-07/hour=05/}: files per hour; the default. */
    HOUR(3_600_000L),
    /** {@code day=2026-12-07/}: fewer, larger files for a small fleet. */
    DAY(86_400_000L);

    private final long millis;

    ArchiveLayout(long millis) {
        this.millis = millis;
    }

    /** Start of the partition that holds event time {@code t}, epoch milliseconds. */
    public long partitionStart(long t) {
        return Math.floorDiv(t, millis) * millis;
    }

    /** The folder of the partition that starts at {@code start}, relative to the archive's root. */
    public String folder(long start) {
        ZonedDateTime at = Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC);
        String day = String.format(Locale.ROOT, "day=%04d-%02d-%02d", at.getYear(), at.getMonthValue(), at.getDayOfMonth());
        return this == DAY ? day : day + String.format(Locale.ROOT, "/hour=%02d", at.getHour());
    }

    /** For picocli: {@code hour} or {@code day}. */
    public static ArchiveLayout parse(String value) {
        for (ArchiveLayout l : values()) {
            if (l.name().equalsIgnoreCase(value)) {
                return l;
            }
        }
        throw new IllegalArgumentException("must be hour or day, not '" + value + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
