package io.sensorflow.job.alerts;

import io.sensorflow.job.metrics.AlertMetrics;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.alert.AlertIds;
import io.sensorflow.rules.cep.SilenceEvent;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * Turns a match of a silence rule's pattern ({@code RulePatterns.silenceOverQuiet}) into its
 * alert: a quiet time that reached the rule's {@code after} is the FIRING, a reading back after
 * more than {@code after} the RESOLVED, both with the id of the last reading before the silence.
 * The pattern matches each once per silence, so there is no episode to keep: a silence rule has no
 * {@code cooldown} (the rule file refuses one), and a new silence needs a reading, which ends the
 * one before.
 */
public final class MatchToSilenceAlert extends PatternProcessFunction<SilenceEvent, Alert> {

    private static final long serialVersionUID = 1L;

    private final SilenceRule rule;
    private final long afterMs;
    private transient Counter firing;
    private transient Counter resolved;
    private transient Histogram latency;

    public MatchToSilenceAlert(SilenceRule rule) {
        this.rule = rule;
        this.afterMs = rule.after().toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MetricGroup metrics = AlertMetrics.ruleGroup(getRuntimeContext(), rule.id());
        firing = AlertMetrics.firing(metrics);
        resolved = AlertMetrics.resolved(metrics);
        latency = AlertMetrics.latency(metrics);
    }

    @Override
    public void processMatch(Map<String, List<SilenceEvent>> match, Context ctx, Collector<Alert> out) {
        SilenceEvent e = match.get("silence").get(0);
        Alert a = AlertCandidates.of(rule, e.kind == SilenceEvent.QUIET ? Alert.FIRING : Alert.RESOLVED,
                AlertIds.of(rule.id(), e.sensorId, e.last).toString(), e.sensorId);
        a.spanStart = e.last;
        a.detectedAt = System.currentTimeMillis();
        if (e.kind == SilenceEvent.QUIET) {
            a.spanEnd = e.last + afterMs;
            a.readingTimes = new long[] {e.last};
            a.values = new double[] {Double.NaN};
            a.message = "No reading from sensor " + e.sensorId + " since " + AlertJson.time(e.last) + " ("
                    + rule.after().toString().substring(2).toLowerCase() + " or more)";
            AlertMetrics.recordLatency(latency, a);
            firing.inc();
        } else {
            a.spanEnd = e.back;
            a.resolvedAt = e.back;
            a.readingTimes = new long[] {e.last, e.back};
            a.values = new double[] {Double.NaN, Double.NaN};
            a.message = "Sensor " + e.sensorId + " reported again at " + AlertJson.time(e.back) + " after a silence since "
                    + AlertJson.time(e.last);
            resolved.inc();
        }
        out.collect(a);
    }
}
