package io.sensorflow.job.alerts;

import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Rule;

/**
 * Builds an {@link Alert} record from a match whose meaning is already decided: which rule, which
 * episode (the id), which readings. The one place that fills those fields, for the job's CEP
 * functions ({@link MatchToAlert}, {@link MatchToResolution}, {@link MatchToSilenceAlert}) and the
 * differential tests' reference alike. It decides nothing: which readings match, which episode a
 * match names and which readings an alert shows are each side's own (the reference from the
 * textbook patterns over every reading, the job from what its selectors put in the events).
 */
final class AlertCandidates {

    private AlertCandidates() {}

    /** An alert of {@code rule} on {@code sensorId} with that status and id; span, readings and message still to fill. */
    static Alert of(Rule rule, String status, String alertId, String sensorId) {
        Alert a = new Alert();
        a.alertId = alertId;
        a.ruleId = rule.id();
        a.ruleKind = rule.kind();
        a.severity = rule.severity().name().toLowerCase();
        a.status = status;
        a.sensorId = sensorId;
        return a;
    }

    /**
     * A FIRING candidate of episode {@code alertId} over the readings that made it ({@code readingTimes}
     * and {@code values}, in event-time order): its span is theirs.
     */
    static Alert firing(Rule rule, String alertId, String sensorId, long[] readingTimes, double[] values) {
        Alert a = of(rule, Alert.FIRING, alertId, sensorId);
        a.spanStart = readingTimes[0];
        a.spanEnd = readingTimes[readingTimes.length - 1];
        a.readingTimes = readingTimes;
        a.values = values;
        return a;
    }

    /**
     * A RESOLVED candidate that names no episode yet, resolved at {@code at} by a reading of
     * {@code value}, over the resolving readings from {@code from}: {@link AlertLifecycle} gives it
     * the open episode's id, span and readings, or drops it when none is open.
     */
    static Alert resolution(EpisodeRule rule, String sensorId, long from, long at, double value) {
        Alert a = of(rule, Alert.RESOLVED, null, sensorId);
        a.spanStart = from;
        a.spanEnd = at;
        a.resolvedAt = at;
        a.readingTimes = new long[] {at};
        a.values = new double[] {value};
        return a;
    }
}
