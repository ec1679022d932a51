package io.sensorflow.oracle;


/**
 * The running aggregate of one (sensor, window), with a fingerprint of each reading accepted so
 * far, to spot duplicates: a reading is a duplicate only when its event time, seq and every value
 * equal an accepted one's ({@link ReadingContent}).
 */
final class WindowState {

    private static final Measurement[] METRICS = Measurement.values();

    final int sensor;
    final long windowStart;
    private long readings;
    private final long[] count = new long[METRICS.length];
    private final long[] min = new long[METRICS.length];
    private final long[] max = new long[METRICS.length];
    private final long[] sumTenths = new long[METRICS.length];
    private long motionReadings;
    private long motionCount;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private long duplicates;
    private long lateForRules;
    private final LongSet identities = new LongSet();

    WindowState(int sensor, long windowStart) {
        this.sensor = sensor;
        this.windowStart = windowStart;
    }

    /**
     * Adds a valid, in-time reading, unless it repeats one already added; {@code lateForRules}: it
     * came at or behind the watermark. @return false for a duplicate
     */
    boolean add(MessageFacts r, boolean lateForRules) {
        if (!identities.add(ReadingContent.fingerprint(r))) {
            duplicates++;
            return false;
        }
        readings++;
        if (lateForRules) {
            this.lateForRules++;
        }
        for (int m = 0; m < METRICS.length; m++) {
            int v = r.value(METRICS[m]);
            if (v == MessageFacts.ABSENT) {
                continue;
            }
            if (count[m]++ == 0) {
                min[m] = v;
                max[m] = v;
            } else {
                min[m] = Math.min(min[m], v);
                max[m] = Math.max(max[m], v);
            }
            sumTenths[m] += v;
        }
        if (r.motion() != MessageFacts.MOTION_ABSENT) {
            motionReadings++;
            motionCount += r.motion();
        }
        first = Math.min(first, r.eventTime());
        last = Math.max(last, r.eventTime());
        return true;
    }

    WindowAggregate toAggregate(String sensorId, long windowSizeMs) {
        return new WindowAggregate(sensorId, windowStart, windowStart + windowSizeMs, readings,
                stats(Measurement.TEMPERATURE), stats(Measurement.HUMIDITY), stats(Measurement.DISTANCE_CM),
                motionReadings, motionCount, first, last, duplicates, lateForRules);
    }

    private MetricStats stats(Measurement metric) {
        int m = metric.ordinal();
        return count[m] == 0 ? null
                : new MetricStats(count[m], min[m] / 10.0, max[m] / 10.0, sumTenths[m] / 10.0);
    }
}
