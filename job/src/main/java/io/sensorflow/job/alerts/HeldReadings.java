package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.Metric;
import java.util.Arrays;

/**
 * One sensor's readings held until the watermark passes them, released in event-time order
 * (readings at one time in the order they came), an exact repeat of a released reading (same
 * time and content) dropped. Kept as parallel arrays: per reading its time, its content hash and
 * the values of the metrics some rule reads.
 *
 * <p>Releasing, as the selector does it: {@link #releasable} sorts and says how far the watermark
 * lets go, {@link #release} marks each reading released (false for a repeat), and
 * {@link #releasedUpTo} forgets them.
 */
final class HeldReadings {

    long[] times = new long[4];
    long[] ids = new long[4];
    /** Per metric ordinal; null for metrics no rule uses. */
    final double[][] values;
    /** The held readings are [start, size). */
    int start;
    int size;
    boolean sorted = true;
    /** The time of the last released reading (Long.MIN_VALUE: none), and the content hashes released at that time. */
    long lastReleased = Long.MIN_VALUE;
    final ContentsAtOneTime releasedAtLast = new ContentsAtOneTime();

    HeldReadings(boolean[] metricUsed) {
        values = new double[metricUsed.length][];
        for (int m = 0; m < metricUsed.length; m++) {
            if (metricUsed[m]) {
                values[m] = new double[4];
            }
        }
    }

    void hold(Reading r, Metric[] usedMetrics) {
        if (size == times.length) {
            if (start > 0) {
                compact();
            } else {
                grow(size * 2);
            }
        }
        long t = r.eventTime;
        if (size > start && t < times[size - 1]) {
            sorted = false;
        }
        times[size] = t;
        ids[size] = r.contentHash();
        for (Metric m : usedMetrics) {
            values[m.ordinal()][size] = Metrics.value(r, m);
        }
        size++;
    }

    int held() {
        return size - start;
    }

    /** The latest held reading's time, or Long.MIN_VALUE when none is held. */
    long lastHeld() {
        long last = Long.MIN_VALUE;
        for (int i = start; i < size; i++) {
            last = Math.max(last, times[i]);
        }
        return last;
    }

    /** Forgets the held readings at or before {@code upTo}, unreleased. */
    void dropUpTo(long upTo) {
        int kept = start;
        for (int i = start; i < size; i++) {
            if (times[i] > upTo) {
                times[kept] = times[i];
                ids[kept] = ids[i];
                for (double[] v : values) {
                    if (v != null) {
                        v[kept] = v[i];
                    }
                }
                kept++;
            }
        }
        size = kept;
    }

    /** Puts the held readings in time order; the readings [start, returned) are at or before {@code upTo}. */
    int releasable(long upTo) {
        if (!sorted) {
            sort();
        }
        int n = start;
        while (n < size && times[n] <= upTo) {
            n++;
        }
        return n;
    }

    /** Reading {@code i}, next in order, is released; false when it is an exact repeat of one released before. */
    boolean release(int i) {
        long t = times[i];
        if (t != lastReleased) {
            lastReleased = t;
            releasedAtLast.clear();
        }
        return releasedAtLast.add(ids[i]);
    }

    /** Forgets the readings before {@code end}, released. */
    void releasedUpTo(int end) {
        if (end == size) {
            start = 0;
            size = 0;
        } else {
            start = end; // compacted when the arrays fill up
        }
    }

    /** Moves the held readings [start, size) to the front. */
    private void compact() {
        int held = size - start;
        System.arraycopy(times, start, times, 0, held);
        System.arraycopy(ids, start, ids, 0, held);
        for (double[] v : values) {
            if (v != null) {
                System.arraycopy(v, start, v, 0, held);
            }
        }
        start = 0;
        size = held;
    }

    void grow(int capacity) {
        times = Arrays.copyOf(times, capacity);
        ids = Arrays.copyOf(ids, capacity);
        for (int m = 0; m < values.length; m++) {
            if (values[m] != null) {
                values[m] = Arrays.copyOf(values[m], capacity);
            }
        }
    }

    /**
     * Insertion sort by time, stable, so readings at the same time stay in the order they came
     * (their Kafka partition's order, the same in every replay): the held readings are few and
     * nearly in order.
     */
    private void sort() {
        for (int i = start + 1; i < size; i++) {
            long t = times[i];
            long id = ids[i];
            int j = i - 1;
            while (j >= start && times[j] > t) {
                j--;
            }
            if (j + 1 != i) {
                int at = j + 1;
                System.arraycopy(times, at, times, at + 1, i - at);
                System.arraycopy(ids, at, ids, at + 1, i - at);
                times[at] = t;
                ids[at] = id;
                for (double[] v : values) {
                    if (v != null) {
                        double x = v[i];
                        System.arraycopy(v, at, v, at + 1, i - at);
                        v[at] = x;
                    }
                }
            }
        }
        sorted = true;
    }
}
