package io.sensorflow.rules;

import java.time.Duration;

/**
 * A reading of {@code metric} more than {@code k} sample standard deviations from the mean of the
 * sensor's own readings just before it: the last {@code windowReadings} readings, or those of the
 * last {@code windowDuration} (exactly one of the two: {@code windowReadings} 0 or
 * {@code windowDuration} null for the other), with at least {@code minReadings} of them and a
 * standard deviation above 0. FIRING once for an episode, RESOLVED at the
 * {@code resolveReadings}-th consecutive reading that is no outlier ({@link EpisodeRule}).
 *
 * <p>The statistics are doubles computed in one order, oldest reading first (cep-rules/README,
 * "What each rule means, exactly"), so that the job and the oracle agree on a value on the boundary.
 */
public record OutlierRule(String id, Severity severity, String description, Metric metric, double k,
        int windowReadings, Duration windowDuration, int minReadings, int resolveReadings, Duration cooldown,
        SensorScope scope, Late late) implements EpisodeRule {

    public static final double MAX_K = 100;
    public static final int MIN_WINDOW_READINGS = 2;
    /** At most this many readings in a window of either form: a duration window keeps the latest this many. */
    public static final int MAX_WINDOW_READINGS = 1000;
    /** The default {@code min_readings} of a duration window, and the most a readings window defaults to. */
    public static final int DEFAULT_MIN_READINGS = 10;
    /**
     * Readings in a row that are no outlier that resolve an episode when the rule file does not say.
     * (The contract asks for "after 5m"; resolutions are counted in readings for every kind
     * today, so an outlier's are too.)
     */
    public static final int DEFAULT_RESOLVE_READINGS = 10;

    public OutlierRule {
        if (!(k > 0 && k <= MAX_K)) {
            throw new IllegalArgumentException("k " + k + " is not in (0, " + (int) MAX_K + "]");
        }
        if ((windowReadings == 0) == (windowDuration == null)) {
            throw new IllegalArgumentException("an outlier rule's window takes exactly one of readings and duration");
        }
        if (windowReadings != 0 && (windowReadings < MIN_WINDOW_READINGS || windowReadings > MAX_WINDOW_READINGS)) {
            throw new IllegalArgumentException("window readings " + windowReadings + " is not in " + MIN_WINDOW_READINGS
                    + ".." + MAX_WINDOW_READINGS);
        }
        if (windowDuration != null && (windowDuration.isNegative() || windowDuration.isZero())) {
            throw new IllegalArgumentException("window duration " + windowDuration + " is not longer than 0");
        }
        if (minReadings < MIN_WINDOW_READINGS || minReadings > MAX_WINDOW_READINGS
                || windowReadings != 0 && minReadings > windowReadings) {
            throw new IllegalArgumentException("min_readings " + minReadings + " is not in " + MIN_WINDOW_READINGS + ".."
                    + (windowReadings != 0 ? windowReadings : MAX_WINDOW_READINGS));
        }
        EpisodeRule.check(resolveReadings, cooldown);
        java.util.Objects.requireNonNull(scope, "scope");
        java.util.Objects.requireNonNull(late, "late");
    }

    /** Skipping readings late for rules. */
    public OutlierRule(String id, Severity severity, String description, Metric metric, double k,
            int windowReadings, Duration windowDuration, int minReadings, int resolveReadings, Duration cooldown,
            SensorScope scope) {
        this(id, severity, description, metric, k, windowReadings, windowDuration, minReadings, resolveReadings,
                cooldown, scope, Late.SKIP);
    }

    @Override
    public OutlierRule withLate(Late late) {
        return new OutlierRule(id, severity, description, metric, k, windowReadings, windowDuration, minReadings,
                resolveReadings, cooldown, scope, late);
    }

    /** Over the last {@code n} readings, with the defaults of a rule file that says no more: min_readings min(n, 10), resolved by 10, no cooldown, all sensors. */
    public static OutlierRule ofReadings(String id, Severity severity, Metric metric, double k, int n) {
        return new OutlierRule(id, severity, "", metric, k, n, null, defaultMinReadings(n), DEFAULT_RESOLVE_READINGS,
                Duration.ZERO, SensorScope.ALL);
    }

    /** Over the readings of the last {@code d}, with the defaults of a rule file that says no more. */
    public static OutlierRule ofDuration(String id, Severity severity, Metric metric, double k, Duration d) {
        return new OutlierRule(id, severity, "", metric, k, 0, d, DEFAULT_MIN_READINGS, DEFAULT_RESOLVE_READINGS,
                Duration.ZERO, SensorScope.ALL);
    }

    /** {@code min_readings} when a rule file does not say: min(N, 10) for a window of N readings, 10 for a duration. */
    public static int defaultMinReadings(int windowReadings) {
        return windowReadings == 0 ? DEFAULT_MIN_READINGS : Math.min(windowReadings, DEFAULT_MIN_READINGS);
    }

    public boolean byReadings() {
        return windowReadings != 0;
    }

    /** This rule with other resolution, cooldown and scope. */
    public OutlierRule with(int minReadings, int resolveReadings, Duration cooldown, SensorScope scope) {
        return new OutlierRule(id, severity, description, metric, k, windowReadings, windowDuration, minReadings,
                resolveReadings, cooldown, scope);
    }

    /**
     * Whether a value is an outlier against a window of {@code n} readings with this mean and
     * sample standard deviation: the rule's condition, once the statistics are known.
     */
    public boolean isOutlier(double value, int n, double mean, double sd) {
        return n >= minReadings && sd > 0 && Math.abs(value - mean) > k * sd;
    }

    @Override
    public String kind() {
        return "outlier";
    }
}
