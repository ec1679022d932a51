package io.sensorflow.rules;

/**
 * What a sequence, rise, stuck or outlier rule does with a reading that is late for rules: one
 * that arrives at or behind the watermark, yet within the allowed lateness, so it counts in its
 * window's aggregate (cep-rules/README, "Late readings").
 */
public enum Late {
    /** The rule does not see it (the default); it is counted in {@code readings_late_for_rules}. */
    SKIP,
    /**
     * The rule evaluates it when it is newer than every reading of the sensor that the rules have
     * already been given (an offline sensor's queue, sent oldest first), as the sensor's next reading;
     * its alerts are marked late, with their detection delay. An older one is skipped.
     */
    EVALUATE;

    /** As a rule file writes it. */
    public String fieldValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
