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

    public Alert() {}

    @Override
    public String toString() {
        return "Alert{" + status + " " + ruleId + " " + sensorId + " [" + spanStart + ".." + spanEnd + "] id=" + alertId
                + " times=" + Arrays.toString(readingTimes) + " values=" + Arrays.toString(values) + "}";
    }
}
