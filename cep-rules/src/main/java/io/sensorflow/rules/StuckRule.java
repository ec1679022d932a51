package io.sensorflow.rules;

import java.time.Duration;

/**
 * A stuck sensor: {@code metric} repeats one value (doubles compared with {@code ==}, so -0.0 is
 * 0.0) for {@code readings} readings in a row, or for at least {@code forDuration} from the first
 * reading of the run; exactly one of the two is given ({@code readings} 0 or {@code forDuration}
 * null for the other). FIRING once for an episode, RESOLVED by the first reading with another
 * value after a repeat ({@link #resolveReadings} is 1 and cannot be set).
 */
public record StuckRule(String id, Severity severity, String description, Metric metric, int readings,
        Duration forDuration, Duration cooldown, SensorScope scope, Late late) implements EpisodeRule {

    public static final int MIN_READINGS = 2;
    public static final int MAX_READINGS = 100_000;

    public StuckRule {
        if ((readings == 0) == (forDuration == null)) {
            throw new IllegalArgumentException("a stuck rule takes exactly one of readings and for");
        }
        if (readings != 0 && (readings < MIN_READINGS || readings > MAX_READINGS)) {
            throw new IllegalArgumentException("readings " + readings + " is not in " + MIN_READINGS + ".." + MAX_READINGS);
        }
        if (forDuration != null && (forDuration.isNegative() || forDuration.isZero())) {
            throw new IllegalArgumentException("for " + forDuration + " is not longer than 0");
        }
        EpisodeRule.check(1, cooldown);
        java.util.Objects.requireNonNull(scope, "scope");
        java.util.Objects.requireNonNull(late, "late");
    }

    /** Skipping readings late for rules. */
    public StuckRule(String id, Severity severity, String description, Metric metric, int readings,
            Duration forDuration, Duration cooldown, SensorScope scope) {
        this(id, severity, description, metric, readings, forDuration, cooldown, scope, Late.SKIP);
    }

    @Override
    public StuckRule withLate(Late late) {
        return new StuckRule(id, severity, description, metric, readings, forDuration, cooldown, scope, late);
    }

    /** {@code readings} readings in a row with one value, for all sensors, no cooldown. */
    public static StuckRule ofReadings(String id, Severity severity, Metric metric, int readings) {
        return new StuckRule(id, severity, "", metric, readings, null, Duration.ZERO, SensorScope.ALL);
    }

    /** One value for at least {@code d}, for all sensors, no cooldown. */
    public static StuckRule ofDuration(String id, Severity severity, Metric metric, Duration d) {
        return new StuckRule(id, severity, "", metric, 0, d, Duration.ZERO, SensorScope.ALL);
    }

    public boolean byReadings() {
        return readings != 0;
    }

    /** The first reading with another value resolves an episode. */
    @Override
    public int resolveReadings() {
        return 1;
    }

    @Override
    public String kind() {
        return "stuck";
    }
}
