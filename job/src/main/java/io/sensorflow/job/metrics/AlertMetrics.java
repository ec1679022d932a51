package io.sensorflow.job.metrics;

import io.sensorflow.job.alerts.Alert;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics of one alert rule in one operator subtask, in the group {@code rule.<id>} (a
 * Prometheus label {@code rule="<id>"}): alerts by status, and {@value #LATENCY}, how long after
 * an alert was due it was detected.
 *
 * <p>An alert is due at its {@link Alert#spanEnd}: the last reading of a sequence or rise, and for
 * a silence the last reading plus the rule's {@code after}. The latency is the wall clock at
 * detection minus that event time, so it also counts how far the input lags behind the clock (a
 * backlog read after an outage shows as a large latency). It is recorded for FIRING alerts only.
 *
 * <p>A FIRING decided by a reading late for rules (a rule with {@code late: evaluate}) is
 * {@link Alert#late}: its latency is at least its detection delay by construction (the queue of
 * a sensor that was offline for minutes), so it would say nothing of how fast the job detects and
 * would swamp the on-time p99. Such alerts go to {@value #FIRING_LATE} and to a histogram of their
 * own, {@value #LATE_LATENCY} (the same measure), both registered only for a rule that evaluates
 * late readings; {@value #LATENCY} holds the on-time alerts only.
 */
public final class AlertMetrics {

    public static final String RULE_GROUP = "rule";
    public static final String FIRING = "alertsFiring";
    public static final String RESOLVED = "alertsResolved";
    public static final String LATENCY = "alertLatencyMs";
    /** FIRING alerts decided by a late reading (also counted in {@value #FIRING}). */
    public static final String FIRING_LATE = "alertsFiringLate";
    /** The latency of the FIRING alerts decided by a late reading. */
    public static final String LATE_LATENCY = "alertLatencyLateMs";
    /** Matches of a rule that made no alert: its episode was still open, or it came within the cooldown. */
    public static final String SUPPRESSED = "alertsSuppressed";
    /** The latency statistics are over the latest this many alerts of a rule in a subtask. */
    public static final int LATENCY_SAMPLES = 1024;

    private AlertMetrics() {}

    /** The rule's group in this operator's metrics; the same group on every call. */
    public static MetricGroup ruleGroup(RuntimeContext context, String ruleId) {
        return context.getMetricGroup().addGroup(RULE_GROUP, ruleId);
    }

    public static Counter firing(MetricGroup ruleGroup) {
        return ruleGroup.counter(FIRING);
    }

    public static Counter resolved(MetricGroup ruleGroup) {
        return ruleGroup.counter(RESOLVED);
    }

    public static Counter suppressed(MetricGroup ruleGroup) {
        return ruleGroup.counter(SUPPRESSED);
    }

    public static Histogram latency(MetricGroup ruleGroup) {
        return ruleGroup.histogram(LATENCY, new DescriptiveStatisticsHistogram(LATENCY_SAMPLES));
    }

    public static Counter firingLate(MetricGroup ruleGroup) {
        return ruleGroup.counter(FIRING_LATE);
    }

    public static Histogram lateLatency(MetricGroup ruleGroup) {
        return ruleGroup.histogram(LATE_LATENCY, new DescriptiveStatisticsHistogram(LATENCY_SAMPLES));
    }

    /** Records the latency of an on-time FIRING alert whose {@code detectedAt} is set. */
    public static void recordLatency(Histogram latency, Alert firing) {
        latency.update(firing.detectedAt - firing.spanEnd);
    }

    /**
     * Records a FIRING alert whose {@code detectedAt} is set: a late one in {@code firingLate} and
     * {@code lateLatency} (null for a rule that skips late readings: it has none), else in {@code latency}.
     */
    public static void recordLatency(Histogram latency, Counter firingLate, Histogram lateLatency, Alert firing) {
        if (firing.late && lateLatency != null) {
            firingLate.inc();
            lateLatency.update(firing.detectedAt - firing.spanEnd);
        } else {
            recordLatency(latency, firing);
        }
    }
}
