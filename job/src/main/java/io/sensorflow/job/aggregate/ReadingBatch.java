package io.sensorflow.job.aggregate;

import io.sensorflow.job.readings.Reading;
import java.util.Arrays;

/**
 * The readings of one sensor in one window: what {@link BatchReadingsBySensorWindow} sends across
 * the network to {@link AggregateSensorWindows}. Sending a batch instead of each reading saves the
 * per-record framing, key hashing and keyed-state access of a plain keyBy.
 *
 * <p>Readings are stored row after row in one {@code long[]}, {@link #STRIDE} longs each (doubles
 * as their bits), so appending a reading writes one cache line rather than one per column.
 */
public class ReadingBatch {

    public static final int STRIDE = 7;
    static final int EVENT_TIME = 0;
    static final int CONTENT = 1;
    static final int TEMPERATURE = 2;
    static final int HUMIDITY = 3;
    static final int DISTANCE = 4;
    /** The motion byte in the low 8 bits; above them, flags such as {@link #LATE_FOR_RULES}. */
    static final int MOTION = 5;
    /** Carried for the archive, which keeps every column of a reading. */
    static final int SEQ = 6;
    /**
     * Set in a row's motion slot when the reading arrived behind the watermark: it counts in its
     * window but no alert rule saw it. Kept in a bit the motion byte does not use, so the flag
     * costs no space on the wire; {@link #motion} reads only the byte.
     */
    static final long LATE_FOR_RULES = 1L << 32;

    public String sensorId;
    public long windowStart;
    public int size;
    public long[] data;

    public ReadingBatch() {}

    public static ReadingBatch create(String sensorId, long windowStart, int capacity) {
        ReadingBatch b = new ReadingBatch();
        b.sensorId = sensorId;
        b.windowStart = windowStart;
        b.data = new long[Math.max(1, capacity) * STRIDE];
        return b;
    }

    public void add(Reading r) {
        add(r, false);
    }

    /** Appends {@code r}, flagged when it arrived too late for the alert rules. */
    public void add(Reading r, boolean lateForRules) {
        int at = size * STRIDE;
        if (at == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        long[] d = data;
        d[at] = r.eventTime;
        d[at + 1] = r.contentHash();
        d[at + 2] = Double.doubleToRawLongBits(r.temperature);
        d[at + 3] = Double.doubleToRawLongBits(r.humidity);
        d[at + 4] = Double.doubleToRawLongBits(r.distanceCm);
        // The byte unsigned, so that an absent motion (-1) does not set the flag's bit.
        d[at + 5] = lateForRules ? (r.motion & 0xFFL) | LATE_FOR_RULES : r.motion & 0xFFL;
        d[at + 6] = r.seq;
        size++;
    }

    /** Appends one reading given by its columns (the archive's compaction reads them back so). */
    public void add(long eventTime, long contentHash, double temperature, double humidity, double distanceCm,
            byte motion, long seq) {
        int at = size * STRIDE;
        if (at == data.length) {
            data = Arrays.copyOf(data, Math.max(STRIDE, data.length * 2));
        }
        long[] d = data;
        d[at] = eventTime;
        d[at + 1] = contentHash;
        d[at + 2] = Double.doubleToRawLongBits(temperature);
        d[at + 3] = Double.doubleToRawLongBits(humidity);
        d[at + 4] = Double.doubleToRawLongBits(distanceCm);
        d[at + 5] = motion & 0xFFL;
        d[at + 6] = seq;
        size++;
    }

    /** Moves reading {@code from} to position {@code to} (to &lt;= from), overwriting what was there. */
    void moveRow(int from, int to) {
        if (from != to) {
            System.arraycopy(data, from * STRIDE, data, to * STRIDE, STRIDE);
        }
    }

    /** Appends reading {@code i} of {@code other}. */
    public void addRowOf(ReadingBatch other, int i) {
        int at = size * STRIDE;
        if (at == data.length) {
            data = Arrays.copyOf(data, Math.max(STRIDE, data.length * 2));
        }
        System.arraycopy(other.data, i * STRIDE, data, at, STRIDE);
        size++;
    }

    public long eventTime(int i) {
        return data[i * STRIDE + EVENT_TIME];
    }

    /** {@link Reading#contentHash()}. */
    public long contentHash(int i) {
        return data[i * STRIDE + CONTENT];
    }

    public double temperature(int i) {
        return Double.longBitsToDouble(data[i * STRIDE + TEMPERATURE]);
    }

    public double humidity(int i) {
        return Double.longBitsToDouble(data[i * STRIDE + HUMIDITY]);
    }

    public double distanceCm(int i) {
        return Double.longBitsToDouble(data[i * STRIDE + DISTANCE]);
    }

    /** 1, 0, or {@link Reading#MOTION_ABSENT}. */
    public byte motion(int i) {
        return (byte) data[i * STRIDE + MOTION];
    }

    /** Whether reading {@code i} arrived behind the watermark, too late for the alert rules. */
    public boolean lateForRules(int i) {
        return (data[i * STRIDE + MOTION] & LATE_FOR_RULES) != 0;
    }

    /** {@link Reading#seq}, or {@link Reading#SEQ_ABSENT}. */
    public long seq(int i) {
        return data[i * STRIDE + SEQ];
    }

    /** Cuts the array to {@link #size} readings, so that only readings go over the wire. */
    public ReadingBatch trimmed() {
        if (size * STRIDE != data.length) {
            data = Arrays.copyOf(data, size * STRIDE);
        }
        return this;
    }

    @Override
    public String toString() {
        return "ReadingBatch{" + sensorId + " window=" + windowStart + " size=" + size + "}";
    }
}
