package io.sensorflow.job.alerts;

import io.sensorflow.job.metrics.AlertMetrics;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.alert.AlertIds;
import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A silence rule, per sensor: FIRING when the watermark passes the last reading plus
 * {@code after} with nothing in between, RESOLVED when the sensor is heard from again.
 *
 * <p>One event-time timer per sensor, moved lazily: a heartbeat only records the sensor's last
 * reading, and a timer that fires early re-arms itself at last + after. The FlinkCEP form of this
 * rule ({@code RulePatterns.silence}) must see every reading, starting a partial match for each,
 * because CEP drops records behind its watermark; see the note in cep-rules/README.md.
 *
 * <p>The final watermark of a bounded input (Long.MAX_VALUE) is the end of the data, not time
 * passing: timers it fires make no alert. A silent sensor's state is dropped {@code forgetAfter}
 * after its FIRING; if it comes back later, it is a new sensor (no RESOLVED).
 */
public final class DetectSilence extends KeyedProcessFunction<String, SensorHeartbeat, Alert> {

    private static final long serialVersionUID = 1L;

    private final SilenceRule rule;
    private final long afterMs;
    private final long forgetAfterMs;
    /** The rule's place among the silence rules, in {@link SensorHeartbeat#silenceRules}. */
    private final int index;

    private transient ValueState<Long> lastSeen;
    /** Whether the silence after lastSeen has been reported. */
    private transient ValueState<Boolean> fired;
    /** The pending timer: at most one per sensor. */
    private transient ValueState<Long> timer;
    private transient Counter firing;
    private transient Counter resolved;
    private transient Histogram latency;

    /** A silence rule without a scope, or the only silence rule. */
    public DetectSilence(SilenceRule rule, Duration forgetAfter) {
        this(rule, forgetAfter, 0);
    }

    /**
     * The {@code index}-th silence rule of the rule set: a heartbeat says, by that index, whether
     * the rule applies to its sensor (the selector decided it once per sensor from the rule's scope).
     */
    public DetectSilence(SilenceRule rule, Duration forgetAfter, int index) {
        this.rule = rule;
        this.afterMs = rule.after().toMillis();
        this.forgetAfterMs = forgetAfter.toMillis();
        this.index = index;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Types.LONG));
        fired = getRuntimeContext().getState(new ValueStateDescriptor<>("fired", Types.BOOLEAN));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        firing = getRuntimeContext().getMetricGroup().addGroup("rule", rule.id()).counter("alertsFiring");
        resolved = getRuntimeContext().getMetricGroup().addGroup("rule", rule.id()).counter("alertsResolved");
        latency = AlertMetrics.latency(AlertMetrics.ruleGroup(getRuntimeContext(), rule.id()));
    }

    @Override
    public void processElement(SensorHeartbeat hb, Context ctx, Collector<Alert> out) throws Exception {
        if (hb.silenceRules != null && !hb.silenceRules[index]) {
            return; // outside the rule's scope
        }
        Long last = lastSeen.value();
        if (last == null) {
            lastSeen.update(hb.last);
            arm(ctx, hb.last + afterMs);
            return;
        }
        if (hb.first - last > afterMs) {
            // The watermark may have jumped past the silence before its timer fired: report it now.
            if (fired.value() == null) {
                Alert overdue = firingAlert(ctx.getCurrentKey(), last);
                AlertMetrics.recordLatency(latency, overdue);
                out.collect(overdue);
                firing.inc();
            }
            out.collect(resolvedAlert(ctx.getCurrentKey(), last, hb.first));
            resolved.inc();
            fired.clear();
            Long pending = timer.value();
            if (pending != null && pending > hb.last + afterMs) {
                ctx.timerService().deleteEventTimeTimer(pending); // the forget timer
                timer.clear();
            }
        }
        if (hb.last > last) {
            lastSeen.update(hb.last);
        }
        if (timer.value() == null) {
            arm(ctx, Math.max(hb.last, last) + afterMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        timer.clear();
        long last = lastSeen.value();
        boolean silent = fired.value() != null;
        if (silent) {
            if (timestamp >= last + afterMs + forgetAfterMs) {
                lastSeen.clear(); // never heard from again
                fired.clear();
            } else {
                arm(ctx, last + afterMs + forgetAfterMs);
            }
            return;
        }
        if (timestamp < last + afterMs) {
            arm(ctx, last + afterMs); // heard from since this timer was set
            return;
        }
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // The end of a bounded input, not a silence.
            lastSeen.clear();
            return;
        }
        Alert silence = firingAlert(ctx.getCurrentKey(), last);
        AlertMetrics.recordLatency(latency, silence);
        out.collect(silence);
        firing.inc();
        fired.update(true);
        arm(ctx, last + afterMs + forgetAfterMs);
    }

    private void arm(Context ctx, long at) throws Exception {
        ctx.timerService().registerEventTimeTimer(at);
        timer.update(at);
    }

    private Alert firingAlert(String sensorId, long last) {
        Alert a = base(sensorId, last);
        a.status = Alert.FIRING;
        a.spanEnd = last + afterMs;
        a.readingTimes = new long[] {last};
        a.values = new double[] {Double.NaN};
        a.message = "No reading from sensor " + sensorId + " since " + AlertJson.time(last) + " (" + rule.after()
                .toString().substring(2).toLowerCase() + " or more)";
        return a;
    }

    private Alert resolvedAlert(String sensorId, long last, long back) {
        Alert a = base(sensorId, last);
        a.status = Alert.RESOLVED;
        a.spanEnd = back;
        a.resolvedAt = back;
        a.readingTimes = new long[] {last, back};
        a.values = new double[] {Double.NaN, Double.NaN};
        a.message = "Sensor " + sensorId + " reported again at " + AlertJson.time(back) + " after a silence since "
                + AlertJson.time(last);
        return a;
    }

    private Alert base(String sensorId, long last) {
        Alert a = new Alert();
        a.alertId = AlertIds.of(rule.id(), sensorId, last).toString();
        a.ruleId = rule.id();
        a.ruleKind = rule.kind();
        a.severity = rule.severity().name().toLowerCase();
        a.sensorId = sensorId;
        a.spanStart = last;
        a.detectedAt = System.currentTimeMillis();
        return a;
    }
}
