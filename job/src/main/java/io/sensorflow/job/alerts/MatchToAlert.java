package io.sensorflow.job.alerts;

import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.durations.Durations;
import io.sensorflow.rules.alert.AlertIds;
import io.sensorflow.rules.cep.RuleEvent;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a CEP match of a sequence, rise, stuck or outlier rule into a FIRING alert: a candidate, which
 * {@link AlertLifecycle} emits (and counts in the rule's metrics) unless an episode is open or
 * cooling down.
 */
public final class MatchToAlert extends PatternProcessFunction<RuleEvent, Alert> {

    private static final long serialVersionUID = 1L;

    private final Rule rule;

    public MatchToAlert(Rule rule) {
        this.rule = rule;
    }

    @Override
    public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<Alert> out) {
        Alert a;
        if (rule instanceof SequenceRule s) {
            List<RuleEvent> run = new java.util.ArrayList<>(s.count());
            run.addAll(match.get("run"));
            run.addAll(match.get("last"));
            RuleEvent first = run.get(0);
            RuleEvent last = run.get(run.size() - 1);
            long[] times = new long[run.size()];
            double[] values = new double[run.size()];
            for (int i = 0; i < run.size(); i++) {
                times[i] = run.get(i).timestamp;
                values[i] = run.get(i).value;
            }
            a = AlertCandidates.firing(rule, AlertIds.of(rule.id(), first.sensorId, first.episodeStart, first.episodeOrdinal)
                    .toString(), first.sensorId, times, values);
            a.message = s.metric().fieldName() + " " + (s.above() ? "above " : "below ") + fmt(s.threshold()) + " "
                    + s.count() + " times in a row on sensor " + a.sensorId + " (last " + fmt(last.value) + ")";
            lateIf(a, last);
        } else if (rule instanceof StuckRule k) {
            RuleEvent e = match.get("run").get(0);
            a = fromTo(e, e.episodeStart);
            lateIf(a, e);
            a.message = k.metric().fieldName() + " on sensor " + a.sensorId + " stuck at " + fmt(e.value) + " for "
                    + (k.byReadings() ? e.runLength + " readings" : Durations.format(java.time.Duration.ofMillis(e.timestamp - e.fromTime)))
                    + " since " + AlertJson.time(e.fromTime);
        } else if (rule instanceof OutlierRule o) {
            RuleEvent e = match.get("outlier").get(0);
            a = AlertCandidates.firing(rule, AlertIds.of(rule.id(), e.sensorId, e.episodeStart, e.episodeOrdinal).toString(),
                    e.sensorId, new long[] {e.timestamp}, new double[] {e.value});
            lateIf(a, e);
            a.message = o.metric().fieldName() + " on sensor " + a.sensorId + " at " + fmt(e.value) + ": z = "
                    + round((e.value - e.windowMean) / e.windowSd) + " against the mean " + round(e.windowMean) + " and sd "
                    + round(e.windowSd) + " of its " + e.windowReadings + " readings before it"
                    + (o.byReadings() ? "" : " within " + Durations.format(o.windowDuration())) + " (k " + fmt(o.k()) + ")";
        } else {
            RiseRule r = (RiseRule) rule;
            RuleEvent e = match.get("rise").get(0);
            a = fromTo(e, e.timestamp);
            lateIf(a, e);
            a.message = r.metric().fieldName() + " on sensor " + a.sensorId + " rose from " + fmt(e.fromValue) + " to "
                    + fmt(e.value) + " within " + (e.timestamp - e.fromTime) / 1000 + "s";
        }
        a.detectedAt = System.currentTimeMillis();
        out.collect(a);
    }

    /** An alert over the two readings an event carries, from {@code fromTime} to its own, with the id of the episode starting at {@code episodeStart}. */
    private Alert fromTo(RuleEvent e, long episodeStart) {
        return AlertCandidates.firing(rule, AlertIds.of(rule.id(), e.sensorId, episodeStart, e.episodeOrdinal).toString(),
                e.sensorId, new long[] {e.fromTime, e.timestamp}, new double[] {e.fromValue, e.value});
    }

    /** The alert is late when the reading that completed its match was: the match was detected when that one came. */
    static void lateIf(Alert a, RuleEvent completing) {
        a.late = completing.late;
        a.detectionDelayMs = completing.detectionDelayMs;
    }

    /** Three decimals, for statistics in messages. */
    static String round(double v) {
        return fmt(Math.round(v * 1000) / 1000.0);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
