package io.sensorflow.job.alerts;

import java.util.Arrays;

/**
 * One alert as the job emits it, to the alerts topic and the {@code sensor_alerts} table. A Flink
 * POJO. Times are epoch milliseconds; {@code detectedAt} is the wall clock, everything else is
 * event time, so the same input gives the same alert (bar {@code detectedAt}) on every run.
 */
public class Alert {

    public static final String FIRING = "FIRING";
    public static final String RESOLVED = "RESOLVED";
    public static final long NOT_RESOLVED = Long.MIN_VALUE;

    public String alertId;
    public String ruleId;
    /** The rule's kind as a rule file writes it: silence, sequence, rise, stuck or outlier. */
    public String ruleKind;
    public String severity;
    public String status;
    public String sensorId;
    public long spanStart;
    public long spanEnd;
    public long resolvedAt = NOT_RESOLVED;
    /** The readings that made the alert: their event times and values (NaN where a rule has no value). */
    public long[] readingTimes;
    public double[] values;
    public String message;
    public long detectedAt;
    /**
     * Whether the reading that made it (a FIRING's last, a RESOLVED's resolving one) arrived late
     * for rules and a rule with {@code late: evaluate} took it; then {@code detectionDelayMs} is by
     * how much event time it was late (the time it was judged against minus its own), else 0.
     */
    public boolean late;
    public long detectionDelayMs;
    /** For a RESOLVED: its FIRING's {@link #late} and {@link #detectionDelayMs}, for the table's row. */
    public boolean firingLate;
    public long firingDetectionDelayMs;
    /**
     * For a match waiting in {@link AlertLifecycle}: the event time after which it is due, its
     * record's timestamp when that is ahead of its own time (a late match); 0 when not set.
     */
    public long dueAt;

    public Alert() {}

    @Override
    public String toString() {
        return "Alert{" + status + " " + ruleId + " " + sensorId + " [" + spanStart + ".." + spanEnd + "] id=" + alertId
                + " times=" + Arrays.toString(readingTimes) + " values=" + Arrays.toString(values)
                + (late ? " late by " + detectionDelayMs + "ms" : "") + "}";
    }
}
