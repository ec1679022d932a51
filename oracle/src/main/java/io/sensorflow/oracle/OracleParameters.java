package io.sensorflow.oracle;

import java.time.Duration;

/**
 * The job's timing, which the expected outcome depends on: tumbling windows of
 * {@code windowSizeMs} aligned to the epoch; a watermark that trails the largest event time by
 * {@code outOfOrdernessMs}, advanced in steps of {@code watermarkGranularityMs}; and readings that
 * stay admissible until {@code allowedLatenessMs} after their window ends.
 */
public record OracleParameters(long windowSizeMs, long outOfOrdernessMs, long watermarkGranularityMs,
        long allowedLatenessMs) {

    /** The job's defaults (JobConfig): 15m windows, out-of-orderness 5s, watermark steps 200ms, lateness 5m. */
    public static final OracleParameters DEFAULTS = new OracleParameters(
            Duration.ofMinutes(15).toMillis(), 5_000, 200, Duration.ofMinutes(5).toMillis());

    public static OracleParameters of(Duration windowSize, Duration outOfOrderness, Duration granularity,
            Duration allowedLateness) {
        return new OracleParameters(windowSize.toMillis(), outOfOrderness.toMillis(), granularity.toMillis(),
                allowedLateness.toMillis());
    }

    public Duration windowSize() {
        return Duration.ofMillis(windowSizeMs);
    }

    public Duration outOfOrderness() {
        return Duration.ofMillis(outOfOrdernessMs);
    }

    public Duration watermarkGranularity() {
        return Duration.ofMillis(watermarkGranularityMs);
    }

    public Duration allowedLateness() {
        return Duration.ofMillis(allowedLatenessMs);
    }

    public OracleParameters withWindowSize(Duration d) {
        return new OracleParameters(d.toMillis(), outOfOrdernessMs, watermarkGranularityMs, allowedLatenessMs);
    }

    public OracleParameters withOutOfOrderness(Duration d) {
        return new OracleParameters(windowSizeMs, d.toMillis(), watermarkGranularityMs, allowedLatenessMs);
    }

    public OracleParameters withWatermarkGranularity(Duration d) {
        return new OracleParameters(windowSizeMs, outOfOrdernessMs, d.toMillis(), allowedLatenessMs);
    }

    public OracleParameters withAllowedLateness(Duration d) {
        return new OracleParameters(windowSizeMs, outOfOrdernessMs, watermarkGranularityMs, d.toMillis());
    }

    /** The start of the window holding {@code eventTime}. */
    public long windowStart(long eventTime) {
        return eventTime - Math.floorMod(eventTime, windowSizeMs);
    }
}
