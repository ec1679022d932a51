package io.sensorflow.job.aggregate;

import java.util.Arrays;

/**
 * The identities of the readings already counted in one sensor window, as a sorted set of longs.
 * Readings mostly arrive in order, so adding is usually an append.
 */
public class ReadingIds {

    private static final long[] EMPTY = new long[0];

    public long[] values = EMPTY;
    public int size;

    public ReadingIds() {}

    /** Adds {@code id}; false when it was already there. */
    public boolean add(long id) {
        if (size == 0 || id > values[size - 1]) {
            ensureCapacity(size + 1);
            values[size++] = id;
            return true;
        }
        int at = Arrays.binarySearch(values, 0, size, id);
        if (at >= 0) {
            return false;
        }
        int insertAt = -(at + 1);
        ensureCapacity(size + 1);
        System.arraycopy(values, insertAt, values, insertAt + 1, size - insertAt);
        values[insertAt] = id;
        size++;
        return true;
    }

    private void ensureCapacity(int needed) {
        if (needed > values.length) {
            values = Arrays.copyOf(values, Math.max(needed, Math.max(8, values.length + (values.length >> 1))));
        }
    }
}
