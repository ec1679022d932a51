package io.sensorflow.job.alerts;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The content hashes of the readings one sensor released at one event time, so that an exact
 * repeat among them is released once. Nearly always one reading a time: a few are kept in an
 * array, searched in a row; past {@link #ARRAY_LIMIT} (a producer that sends many readings with
 * one timestamp) a hash set takes over, so a burst costs a look-up per reading, not a scan.
 */
final class ContentsAtOneTime {

    static final int ARRAY_LIMIT = 16;

    private final long[] few = new long[ARRAY_LIMIT];
    private int count;
    private Set<Long> many;

    void clear() {
        count = 0;
        many = null;
    }

    /** Adds {@code contentHash}; false when it was there already. */
    boolean add(long contentHash) {
        if (many != null) {
            return many.add(contentHash);
        }
        for (int i = 0; i < count; i++) {
            if (few[i] == contentHash) {
                return false;
            }
        }
        if (count < ARRAY_LIMIT) {
            few[count++] = contentHash;
            return true;
        }
        many = new HashSet<>(4 * ARRAY_LIMIT);
        for (long h : few) {
            many.add(h);
        }
        return many.add(contentHash);
    }

    int size() {
        return many != null ? many.size() : count;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(size());
        if (many != null) {
            for (long h : many) {
                out.writeLong(h);
            }
        } else {
            for (int i = 0; i < count; i++) {
                out.writeLong(few[i]);
            }
        }
    }

    void read(DataInputStream in) throws IOException {
        clear();
        for (int i = 0, n = in.readInt(); i < n; i++) {
            add(in.readLong());
        }
    }
}
