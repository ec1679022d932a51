package io.sensorflow.rules;

import java.time.Duration;

/**
 * {@code count} consecutive readings of {@code metric} above (or below) {@code threshold}, all
 * within {@code within}: one alert per run of extreme readings.
 */
public record SequenceRule(String id, Severity severity, String description, Metric metric, boolean above,
        double threshold, int count, Duration within) implements Rule {

    /** Whether a value counts towards the run. */
    public boolean isExtreme(double value) {
        return above ? value > threshold : value < threshold;
    }
}
