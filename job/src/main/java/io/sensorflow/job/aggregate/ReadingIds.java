package io.sensorflow.job.aggregate;

import java.util.Arrays;

/**
 * The readings already counted in one sensor window, as a sorted set of (event time, content
 * hash) pairs: a reading is a duplicate only when both are equal (see
 * {@link io.sensorflow.job.readings.Reading#contentHash()}). The pairs are interleaved in one
 * array, sorted by time and then hash. Readings mostly arrive in time order, so adding is usually
 * an append; readings sharing one time are kept in hash order among themselves.
 *
 * <p>The fields have other names than before content hashes (then {@code values} and
 * {@code size}), so that state written by the earlier version restores as an empty set rather
 * than as pairs it does not hold.
 */
public class ReadingIds {

    private static final long[] EMPTY = new long[0];

    /** time0, hash0, time1, hash1, ... sorted; only the first {@code 2 * count} are used. */
    public long[] timeAndContent = EMPTY;
    public int count;

    public ReadingIds() {}

    /** Adds the reading at {@code time} with {@code contentHash}; false when it was already there. */
    public boolean add(long time, long contentHash) {
        if (timeAndContent == null) {
            timeAndContent = EMPTY;
        }
        int n = count;
        if (n == 0 || greater(time, contentHash, n - 1)) {
            insertAt(n, time, contentHash);
            return true;
        }
        int low = 0;
        int high = n - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long t = timeAndContent[2 * mid];
            long h = timeAndContent[2 * mid + 1];
            int c = t != time ? Long.compare(t, time) : Long.compare(h, contentHash);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return false;
            }
        }
        insertAt(low, time, contentHash);
        return true;
    }

    private boolean greater(long time, long contentHash, int i) {
        long t = timeAndContent[2 * i];
        return time > t || (time == t && contentHash > timeAndContent[2 * i + 1]);
    }

    private void insertAt(int i, long time, long contentHash) {
        int needed = 2 * (count + 1);
        if (needed > timeAndContent.length) {
            timeAndContent = Arrays.copyOf(timeAndContent, Math.max(needed, Math.max(16, timeAndContent.length + (timeAndContent.length >> 1))));
        }
        System.arraycopy(timeAndContent, 2 * i, timeAndContent, 2 * i + 2, 2 * (count - i));
        timeAndContent[2 * i] = time;
        timeAndContent[2 * i + 1] = contentHash;
        count++;
    }
}
