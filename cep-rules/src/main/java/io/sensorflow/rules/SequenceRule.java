package io.sensorflow.rules;

import java.time.Duration;

/**
 * {@code count} consecutive readings of {@code metric} above (or below) {@code threshold}, all
 * within {@code within}: FIRING once for an episode, RESOLVED at the {@code resolveReadings}-th
 * consecutive reading back within the threshold ({@link EpisodeRule}).
 */
public record SequenceRule(String id, Severity severity, String description, Metric metric, boolean above,
        double threshold, int count, Duration within, int resolveReadings, Duration cooldown, SensorScope scope,
        Late late) implements EpisodeRule {

    public SequenceRule {
        EpisodeRule.check(resolveReadings, cooldown);
        java.util.Objects.requireNonNull(scope, "scope");
        java.util.Objects.requireNonNull(late, "late");
    }

    /** Skipping readings late for rules. */
    public SequenceRule(String id, Severity severity, String description, Metric metric, boolean above,
            double threshold, int count, Duration within, int resolveReadings, Duration cooldown, SensorScope scope) {
        this(id, severity, description, metric, above, threshold, count, within, resolveReadings, cooldown, scope, Late.SKIP);
    }

    @Override
    public SequenceRule withLate(Late late) {
        return new SequenceRule(id, severity, description, metric, above, threshold, count, within, resolveReadings,
                cooldown, scope, late);
    }

    /** For all sensors. */
    public SequenceRule(String id, Severity severity, String description, Metric metric, boolean above,
            double threshold, int count, Duration within, int resolveReadings, Duration cooldown) {
        this(id, severity, description, metric, above, threshold, count, within, resolveReadings, cooldown, SensorScope.ALL);
    }

    /** With the defaults of a rule file that says neither: resolved by {@code count} readings back, no cooldown. */
    public SequenceRule(String id, Severity severity, String description, Metric metric, boolean above,
            double threshold, int count, Duration within) {
        this(id, severity, description, metric, above, threshold, count, within, count, Duration.ZERO);
    }

    /** Whether a value counts towards the run. */
    public boolean isExtreme(double value) {
        return above ? value > threshold : value < threshold;
    }

    @Override
    public String kind() {
        return "sequence";
    }
}
