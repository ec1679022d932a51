package io.sensorflow.rules;

import java.time.Duration;

/**
 * A rule whose alerts are episodes on a sensor's metric: FIRING once, then no second FIRING until
 * the episode is RESOLVED by {@link #resolveReadings} readings in a row that no longer meet the
 * rule's condition, and none for {@link #cooldown} of event time after that.
 */
public sealed interface EpisodeRule extends Rule permits SequenceRule, RiseRule, StuckRule, OutlierRule {

    /** At most this many readings resolve an episode. */
    int MAX_RESOLVE_READINGS = 1000;

    Metric metric();

    int resolveReadings();

    Duration cooldown();

    /** What the rule does with a reading late for rules ({@link Late#SKIP} unless the rule file says). */
    Late late();

    /** This rule with {@code late} instead. */
    EpisodeRule withLate(Late late);

    /** The checks a rule file's loader has already made, for rules made in code. */
    static void check(int resolveReadings, Duration cooldown) {
        if (resolveReadings < 1 || resolveReadings > MAX_RESOLVE_READINGS) {
            throw new IllegalArgumentException("resolveReadings " + resolveReadings + " is not in 1.." + MAX_RESOLVE_READINGS);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown " + cooldown + " is negative");
        }
    }
}
