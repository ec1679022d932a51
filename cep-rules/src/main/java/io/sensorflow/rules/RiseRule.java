package io.sensorflow.rules;

import java.time.Duration;

/**
 * {@code metric} up by at least {@code by} within {@code within}: FIRING once for an episode,
 * RESOLVED at the {@code resolveReadings}-th consecutive reading that is no such rise
 * ({@link EpisodeRule}).
 */
public record RiseRule(String id, Severity severity, String description, Metric metric, double by, Duration within,
        int resolveReadings, Duration cooldown, SensorScope scope, Late late) implements EpisodeRule {

    /** Readings in a row without a rise that resolve an episode when the rule file does not say. */
    public static final int DEFAULT_RESOLVE_READINGS = 3;

    public RiseRule {
        EpisodeRule.check(resolveReadings, cooldown);
        java.util.Objects.requireNonNull(scope, "scope");
        java.util.Objects.requireNonNull(late, "late");
    }

    /** Skipping readings late for rules. */
    public RiseRule(String id, Severity severity, String description, Metric metric, double by, Duration within,
            int resolveReadings, Duration cooldown, SensorScope scope) {
        this(id, severity, description, metric, by, within, resolveReadings, cooldown, scope, Late.SKIP);
    }

    @Override
    public RiseRule withLate(Late late) {
        return new RiseRule(id, severity, description, metric, by, within, resolveReadings, cooldown, scope, late);
    }

    /** For all sensors. */
    public RiseRule(String id, Severity severity, String description, Metric metric, double by, Duration within,
            int resolveReadings, Duration cooldown) {
        this(id, severity, description, metric, by, within, resolveReadings, cooldown, SensorScope.ALL);
    }

    /** With the defaults of a rule file that says neither: resolved by 3 readings without a rise, no cooldown. */
    public RiseRule(String id, Severity severity, String description, Metric metric, double by, Duration within) {
        this(id, severity, description, metric, by, within, DEFAULT_RESOLVE_READINGS, Duration.ZERO);
    }

    @Override
    public String kind() {
        return "rise";
    }
}
