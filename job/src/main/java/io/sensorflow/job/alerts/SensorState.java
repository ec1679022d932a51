package io.sensorflow.job.alerts;

import io.sensorflow.rules.cep.SilenceEvent;

/**
 * One sensor in the alert candidate selection ({@link SelectAlertCandidates}): the rules that apply
 * to it, its held readings, its rules' states, the Kafka partition it is read from (which decides
 * who owns it after a rescale) and how far its quiet time has been told to the silence rules.
 */
final class SensorState {

    final String sensorId;
    final RuleScopes.SensorRules rules;
    final HeldReadings readings;
    /** Per pattern rule, its selector's state. */
    final Object[] ruleStates;
    /** In the selector's list of sensors holding readings. */
    boolean holding;
    /** Removed from the map: a slot still pointing here must look the sensor up again. */
    boolean dropped;
    /** The Kafka partition of the sensor's readings, which decides who owns it after a rescale. */
    String topic;
    int partition;
    /** Owned by this subtask (else kept unclaimed after a restore). */
    boolean claimed;
    /** The quiet time after {@link #lastTime} is reported up to here ({@link SilenceEvent#quietFrom}); lastTime when not at all. */
    long quietReported = Long.MIN_VALUE;
    /** When to look at the sensor's silence deadlines next (in {@link SilenceDeadlines}' queue); Long.MAX_VALUE: not queued. */
    long dueAt = Long.MAX_VALUE;
    /**
     * The time of the latest late reading given to the rules ({@link EvaluateLateReadings}), and
     * the stamp its events got; they matter while it is after {@link #lastTime}.
     */
    long lateTo = Long.MIN_VALUE;
    long lateStamp = Long.MIN_VALUE;

    SensorState(String sensorId, RuleScopes.SensorRules rules, RuleSelectors selectors) {
        this.sensorId = sensorId;
        this.rules = rules;
        this.readings = new HeldReadings(selectors.metricUsed);
        this.ruleStates = selectors.newStates();
    }

    /** The time of the sensor's last released reading, Long.MIN_VALUE when none. */
    long lastTime() {
        return readings.lastReleased;
    }
}
