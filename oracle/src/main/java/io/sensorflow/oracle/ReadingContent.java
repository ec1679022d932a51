package io.sensorflow.oracle;


/**
 * What makes two readings of one sensor the same reading: the same event time, seq (or none) and
 * measurements (each value or its absence, motion included). Readings at the same time with
 * other values are different readings. Worked out here from the generator's facts, on its own,
 * not from the job's code.
 */
record ReadingContent(long eventTime, long seq, int temperature, int humidity, int distance, byte motion) {

    static ReadingContent of(MessageFacts r) {
        return new ReadingContent(r.eventTime(), r.seq(), r.value(Measurement.TEMPERATURE), r.value(Measurement.HUMIDITY),
                r.value(Measurement.DISTANCE_CM), r.motion());
    }

    /**
     * A 64-bit fingerprint of the content, for the per-window sets of long runs, where a record per
     * reading would not fit: two different contents share one with a chance of about 2^-64.
     */
    static long fingerprint(MessageFacts r) {
        long h = 0x2545F4914F6CDD1DL;
        h = step(h, r.eventTime());
        h = step(h, r.seq());
        h = step(h, ((long) r.value(Measurement.TEMPERATURE) << 32) ^ (r.value(Measurement.HUMIDITY) & 0xFFFFFFFFL));
        h = step(h, ((long) r.value(Measurement.DISTANCE_CM) << 8) ^ (r.motion() & 0xFF));
        return h == Long.MIN_VALUE ? 0 : h; // LongSet keeps Long.MIN_VALUE for empty slots
    }

    /** SplitMix64's mixing of the running value with the next part. */
    private static long step(long h, long part) {
        long z = h + part * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
