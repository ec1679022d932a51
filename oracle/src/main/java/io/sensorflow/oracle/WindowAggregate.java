package io.sensorflow.oracle;

/**
 * What the job must output for one sensor and one window [windowStart, windowEnd) (epoch ms).
 * A metric no reading carried is null. {@code readingCount} counts the accepted readings,
 * {@code duplicateCount} the duplicates dropped; motion: readings carrying it, and those with motion=true.
 * {@code readingsLateForRules}: of the accepted readings, those at or behind the watermark when they
 * came (still in time for their window), which no alert rule sees.
 */
public record WindowAggregate(
        String sensorId,
        long windowStart,
        long windowEnd,
        long readingCount,
        MetricStats temperature,
        MetricStats humidity,
        MetricStats distanceCm,
        long motionReadings,
        long motionCount,
        long firstEventTime,
        long lastEventTime,
        long duplicateCount,
        long readingsLateForRules) {}
