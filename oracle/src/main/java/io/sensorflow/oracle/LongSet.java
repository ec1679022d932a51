package io.sensorflow.oracle;

import java.util.Arrays;

/** A small open-addressing set of longs (Long.MIN_VALUE is not allowed), without boxing. */
final class LongSet {

    private static final long EMPTY = Long.MIN_VALUE;

    private long[] slots = emptyTable(16);
    private int size;

    /** @return whether {@code v} was added (false: it was there already) */
    boolean add(long v) {
        if (size * 2 >= slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        int i = hash(v) & mask;
        while (slots[i] != EMPTY) {
            if (slots[i] == v) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = v;
        size++;
        return true;
    }

    private void grow() {
        long[] old = slots;
        slots = emptyTable(old.length * 2);
        size = 0;
        for (long v : old) {
            if (v != EMPTY) {
                add(v);
            }
        }
    }

    private static long[] emptyTable(int n) {
        long[] t = new long[n];
        Arrays.fill(t, EMPTY);
        return t;
    }

    private static int hash(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
