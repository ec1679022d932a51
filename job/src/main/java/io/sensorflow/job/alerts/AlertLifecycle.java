package io.sensorflow.job.alerts;

import io.sensorflow.job.metrics.AlertMetrics;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.durations.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The life of a sequence, rise, stuck or outlier rule's episodes on one sensor: CLOSED, then OPEN from a FIRING
 * until the RESOLVED. Its input is what the rule's two CEP operators matched, FIRING from the firing pattern
 * and RESOLVED from the resolution pattern, in no particular order between the two; it takes them
 * in event-time order once the watermark has passed them (a RESOLVED before a FIRING of the same
 * time), and
 * <ul>
 *   <li>a FIRING while CLOSED opens an episode and is emitted, unless it comes within the rule's
 *       {@code cooldown} after the last RESOLVED; while OPEN it is a repeat: dropped;
 *   <li>a RESOLVED while OPEN closes the episode and is emitted with the FIRING's id, over
 *       [the FIRING's start, resolved at], with the FIRING's readings and the one that resolved it;
 *       while CLOSED it is dropped.
 * </ul>
 * A match made by a late reading (a rule with {@code late: evaluate}) comes long after the
 * watermark passed its time: its CEP operator sends it once its own watermark passes the match's
 * record timestamp, the stamp the selector gave the late event, ahead of the watermark. The two
 * CEP operators run apart, so such a match is taken once the watermark passes its stamp (by then
 * both have sent every match stamped up to it), with the matches due then in event-time order; a
 * late RESOLVED taken before the late FIRING it resolves, which the other operator had not sent
 * yet, was dropped, and the episode stayed open.
 * Dropped matches count in the rule's {@value AlertMetrics#SUPPRESSED} metric. Like the rules'
 * other state, a sensor's is forgotten {@code forgetAfter} after its last match (an episode still
 * open then is dropped, with no RESOLVED): a sensor back later is a new sensor.
 */
public final class AlertLifecycle extends KeyedProcessFunction<String, Alert, Alert> {

    private static final long serialVersionUID = 1L;

    /** In event-time order; at one time RESOLVED first, then in the order they came. */
    private static final Comparator<Alert> ORDER =
            Comparator.comparingLong(AlertLifecycle::time).thenComparing(a -> !a.status.equals(Alert.RESOLVED));

    private final EpisodeRule rule;
    private final long cooldownMs;
    private final long forgetAfterMs;
    /**
     * Whether the rule evaluates late readings: a match of theirs comes after the watermark has
     * passed it, possibly past the end of a cooldown it falls in, so a cooldown's end is kept until
     * a match after it (or the sensor is forgotten) rather than until the watermark passes it.
     */
    private final boolean lateMatches;

    /** Matches waiting for the watermark. */
    private transient ListState<Alert> pending;
    /** The open episode's FIRING; empty while CLOSED. */
    private transient ValueState<Alert> open;
    /** When the last episode was resolved, while its cooldown lasts. */
    private transient ValueState<Long> lastResolved;
    /** The event time of the latest match taken, while something is kept. */
    private transient ValueState<Long> lastMatch;
    private transient Counter firing;
    private transient Counter resolved;
    private transient Counter suppressed;
    private transient Histogram latency;
    /** Null for a rule that skips late readings. */
    private transient Counter firingLate;
    private transient Histogram lateLatency;

    public AlertLifecycle(EpisodeRule rule, Duration forgetAfter) {
        this.rule = rule;
        this.cooldownMs = rule.cooldown().toMillis();
        this.forgetAfterMs = forgetAfter.toMillis();
        this.lateMatches = rule.late() == io.sensorflow.rules.Late.EVALUATE;
    }

    @Override
    public void open(OpenContext openContext) {
        TypeInformation<Alert> alert = TypeInformation.of(Alert.class);
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", alert));
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open", alert));
        lastResolved = getRuntimeContext().getState(new ValueStateDescriptor<>("last-resolved", Types.LONG));
        lastMatch = getRuntimeContext().getState(new ValueStateDescriptor<>("last-match", Types.LONG));
        MetricGroup metrics = AlertMetrics.ruleGroup(getRuntimeContext(), rule.id());
        firing = AlertMetrics.firing(metrics);
        resolved = AlertMetrics.resolved(metrics);
        suppressed = AlertMetrics.suppressed(metrics);
        latency = AlertMetrics.latency(metrics);
        if (lateMatches) {
            firingLate = AlertMetrics.firingLate(metrics);
            lateLatency = AlertMetrics.lateLatency(metrics);
        }
    }

    @Override
    public void processElement(Alert match, Context ctx, Collector<Alert> out) throws Exception {
        Long stamp = ctx.timestamp();
        match.dueAt = stamp == null ? time(match) : Math.max(time(match), stamp);
        pending.add(match);
        ctx.timerService().registerEventTimeTimer(match.dueAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<Alert> due = new ArrayList<>();
        List<Alert> later = new ArrayList<>();
        long latestDue = Long.MIN_VALUE;
        for (Alert a : pending.get()) {
            if (Math.max(time(a), a.dueAt) <= timestamp) { // dueAt 0: a match kept by a job before it
                due.add(a);
                latestDue = Math.max(latestDue, time(a));
            } else {
                later.add(a);
            }
        }
        if (!due.isEmpty()) { // else a cooldown's end, or matches taken at an earlier timer
            pending.update(later);
            due.sort(ORDER); // stable: matches of one time stay in the order they came
            for (Alert a : due) {
                if (a.status.equals(Alert.FIRING)) {
                    fire(a, ctx, out);
                } else {
                    resolve(a, ctx, out);
                }
            }
        }
        Long resolvedAt = lastResolved.value();
        if (resolvedAt != null && timestamp >= resolvedAt + cooldownMs
                && (!lateMatches || latestDue >= resolvedAt + cooldownMs)) {
            lastResolved.clear(); // the cooldown is over: nothing left to remember
        }
        Long last = lastMatch.value();
        if (open.value() == null && lastResolved.value() == null) {
            if (last != null) { // nothing kept, nothing to forget
                ctx.timerService().deleteEventTimeTimer(last + forgetAfterMs);
                lastMatch.clear();
            }
        } else if (!due.isEmpty()) {
            if (last != null) {
                ctx.timerService().deleteEventTimeTimer(last + forgetAfterMs);
            }
            lastMatch.update(timestamp);
            ctx.timerService().registerEventTimeTimer(timestamp + forgetAfterMs);
        } else if (last != null && timestamp >= last + forgetAfterMs) {
            open.clear(); // the sensor has been quiet for forgetAfter: it is forgotten, as by the selector
            lastResolved.clear();
            lastMatch.clear();
        }
    }

    private void fire(Alert a, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Long resolvedAt = lastResolved.value();
        if (open.value() != null || resolvedAt != null && time(a) < resolvedAt + cooldownMs) {
            suppressed.inc();
            return;
        }
        a.detectedAt = System.currentTimeMillis();
        open.update(a);
        lastResolved.clear();
        firing.inc();
        AlertMetrics.recordLatency(latency, firingLate, lateLatency, a);
        out.collect(a);
    }

    private void resolve(Alert back, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Alert fired = open.value();
        if (fired == null) {
            suppressed.inc();
            return;
        }
        Alert a = new Alert();
        a.alertId = fired.alertId;
        a.ruleId = fired.ruleId;
        a.ruleKind = fired.ruleKind;
        a.severity = fired.severity;
        a.status = Alert.RESOLVED;
        a.sensorId = fired.sensorId;
        a.spanStart = fired.spanStart;
        a.spanEnd = back.resolvedAt;
        a.resolvedAt = back.resolvedAt;
        int n = fired.readingTimes.length;
        a.readingTimes = Arrays.copyOf(fired.readingTimes, n + 1);
        a.readingTimes[n] = back.readingTimes[0];
        a.values = Arrays.copyOf(fired.values, n + 1);
        a.values[n] = back.values[0];
        a.late = back.late; // the RESOLVED's own: whether the reading that resolved it came late
        a.detectionDelayMs = back.detectionDelayMs;
        a.firingLate = fired.late;
        a.firingDetectionDelayMs = fired.detectionDelayMs;
        String readings = rule.resolveReadings() + " reading" + (rule.resolveReadings() == 1 ? "" : "s");
        if (rule instanceof SequenceRule q) {
            a.message = q.metric().fieldName() + " back " + (q.above() ? "at or below " : "at or above ")
                    + MatchToAlert.fmt(q.threshold()) + " for " + readings + " on sensor " + a.sensorId + " (last "
                    + MatchToAlert.fmt(back.values[0]) + "), " + (q.above() ? "above" : "below") + " since "
                    + AlertJson.time(fired.spanStart);
        } else if (rule instanceof StuckRule k) {
            a.message = k.metric().fieldName() + " on sensor " + a.sensorId + " changed to " + MatchToAlert.fmt(back.values[0])
                    + ", stuck at " + MatchToAlert.fmt(fired.values[0]) + " since " + AlertJson.time(fired.spanStart);
        } else if (rule instanceof OutlierRule o) {
            a.message = o.metric().fieldName() + " on sensor " + a.sensorId + " within " + MatchToAlert.fmt(o.k())
                    + " standard deviations of its recent readings for " + readings + " (last "
                    + MatchToAlert.fmt(back.values[0]) + "), an outlier (" + MatchToAlert.fmt(fired.values[0]) + ") at "
                    + AlertJson.time(fired.spanStart);
        } else {
            RiseRule r = (RiseRule) rule;
            a.message = r.metric().fieldName() + " on sensor " + a.sensorId + " not up by " + MatchToAlert.fmt(r.by())
                    + " within " + Durations.format(r.within()) + " for " + readings + " (last "
                    + MatchToAlert.fmt(back.values[0]) + "), rising since " + AlertJson.time(fired.spanStart);
        }
        a.detectedAt = System.currentTimeMillis();
        open.clear();
        if (cooldownMs > 0) {
            lastResolved.update(back.resolvedAt);
            ctx.timerService().registerEventTimeTimer(back.resolvedAt + cooldownMs);
        }
        resolved.inc();
        out.collect(a);
    }

    /** When a match happened: a FIRING's last reading, a resolution's last reading. */
    static long time(Alert a) {
        return a.status.equals(Alert.FIRING) ? a.spanEnd : a.resolvedAt;
    }
}
