package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.SensorSlot;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.cep.CandidateSelector;
import io.sensorflow.rules.cep.CompiledRule;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.SilenceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Chooses, in the source subtask and before any keyBy, the few readings the alert rules can act
 * on, so that neither CEP nor the network sees every reading. This class is the operator: its
 * lifecycle, and each released reading handed to the rules. Its parts, one job each:
 * <ul>
 *   <li>{@link RuleScopes}: which rules apply to a sensor, decided once per sensor;
 *   <li>{@link HeldReadings}: a sensor's readings held until the watermark passes them, released
 *       in event-time order, an exact repeat dropped;
 *   <li>{@link RuleSelectors}: each sequence, rise, stuck and outlier rule's {@link CandidateSelector},
 *       whose picks go to the rule's side output ({@link #ruleOutput}) and on to its CEP operators,
 *       stamped with the time of the reading being released (a selector may send readings it
 *       held back; the patterns read the events' own times). So they are ahead of every
 *       watermark this operator has forwarded, and CEP never drops them as late;
 *   <li>{@link SilenceDeadlines}: what the released readings and the watermark say about the time
 *       after a sensor's latest reading, as {@link SilenceEvent}s on the main output, to the
 *       silence rules' CEP operators;
 *   <li>{@link PartitionClaims}: who owns a sensor's entry after a restore at another parallelism;
 *   <li>{@link CandidateStateFormat}: the entries in union operator state, one per sensor ({@link SensorState}).
 * </ul>
 *
 * <p>A sensor's silence state (its latest reading, and up to when its quiet time has been
 * reported) is part of its entry, so after a rescale a sensor's silence is told to CEP by the
 * subtask that claimed it: a partition that sends nothing after the rescale reports no silence
 * until it sends again, late then (every subtask has a copy of its sensors, and none knows it
 * reads it); one quiet for longer than the longest threshold starts afresh.
 */
public final class SelectAlertCandidates extends AbstractStreamOperator<SilenceEvent>
        implements OneInputStreamOperator<Reading, SilenceEvent>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SelectAlertCandidates.class);

    private final List<Rule> rules;
    private final List<SilenceRule> silences;
    private final long forgetAfterMs;
    private final int sensorCountWarning;
    /** The sensor count above which the next warning is logged. */
    private transient long warnAbove;

    private transient RuleScopes scopes;
    private transient RuleSelectors ruleSelectors;
    /** {@link #ruleSelectors}' selectors and metrics, for the per-reading loops. */
    private transient CandidateSelector<Object>[] selectors;
    private transient Metric[] metrics;
    private transient Metric[] usedMetrics;
    private transient Consumer<RuleEvent>[] emitters;
    /** The longest {@code within}, cooldown, window or silence threshold of the rules: an unclaimed entry that old can start no match and leaves out none. */
    private transient long longestWindowMs;
    /** The time of the reading being released: what the selectors send now is stamped with it. */
    private transient long releasedTime;
    private transient Map<String, SensorState> sensors;
    /** The sensors holding readings. */
    private transient List<SensorState> holding;
    private transient SilenceDeadlines deadlines;
    private transient PartitionClaims claims;
    private transient CandidateStateFormat format;
    private transient long watermark;
    /** The watermark before the one being released. */
    private transient long watermarkBefore;
    private transient int subtask;
    private transient int parallelism;
    private transient ListState<byte[]> sensorState;
    private transient Counter candidates;
    private transient Counter silenceEvents;
    /** Readings late for rules, for the rules with late: evaluate; null when no rule has it. */
    private transient EvaluateLateReadings late;

    /**
     * {@code rules}: the rules that compile to patterns, in the order of their side outputs.
     * {@code forgetAfterMs}: a sensor's state goes once its last reading is that far behind the
     * watermark, even with a run still open. {@code sensorCountWarning}: above this many sensors
     * (and at each doubling) a warning is logged. {@code silences}: the silence rules of the rule
     * set, in order: that order is their index in {@link SilenceEvent#rules}, which says, when any
     * has a scope, which of them apply to the event's sensor.
     */
    public SelectAlertCandidates(List<Rule> rules, List<SilenceRule> silences, long forgetAfterMs, int sensorCountWarning) {
        this.rules = List.copyOf(rules);
        this.silences = List.copyOf(silences);
        this.forgetAfterMs = forgetAfterMs;
        this.sensorCountWarning = sensorCountWarning;
    }

    /** The side output of {@code rule}'s candidates. */
    public static OutputTag<RuleEvent> ruleOutput(Rule rule) {
        return new OutputTag<>(CompiledRule.uid(rule), TypeInformation.of(RuleEvent.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        scopes = new RuleScopes(rules, silences);
        ruleSelectors = new RuleSelectors(rules);
        selectors = ruleSelectors.selectors;
        metrics = ruleSelectors.metrics;
        usedMetrics = ruleSelectors.usedMetrics;
        // An unclaimed sensor quiet for the longest silence threshold has had its silences.
        longestWindowMs = Math.max(ruleSelectors.longestWindowMs, scopes.longestSilence());
        emitters = new Consumer[rules.size()];
        for (int i = 0; i < emitters.length; i++) {
            OutputTag<RuleEvent> tag = ruleOutput(rules.get(i));
            emitters[i] = e -> {
                candidates.inc();
                // Stamped with the reading being released: a selector may send readings it held, which are
                // behind the watermark by now (the patterns read the events' own times).
                output.collect(tag, new StreamRecord<>(e, releasedTime));
            };
        }
        late = EvaluateLateReadings.of(rules, selectors, metrics, (tag, e, stamp) -> {
            candidates.inc();
            output.collect(tag, new StreamRecord<>(e, stamp));
        });
        format = new CandidateStateFormat(ruleSelectors, scopes);
        deadlines = new SilenceDeadlines(this::sendSilence);
        sensors = new HashMap<>();
        holding = new ArrayList<>();
        watermark = Long.MIN_VALUE;
        watermarkBefore = Long.MIN_VALUE;
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        claims = new PartitionClaims(subtask, parallelism);
        sensorState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("alert-candidates-by-partition", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        if (context.isRestored()) {
            for (SensorState s : claims.restore(sensorState.get(), format)) {
                activate(s);
            }
        }
    }

    /** {@code s} is this subtask's own now. */
    private void activate(SensorState s) {
        s.claimed = true;
        sensors.put(s.sensorId, s);
        if (s.readings.held() > 0) {
            s.holding = true;
            holding.add(s);
        }
        deadlines.schedule(s);
    }

    @Override
    public void open() throws Exception {
        super.open();
        candidates = getMetricGroup().counter("alertCandidates");
        silenceEvents = getMetricGroup().counter("silenceEvents");
        getMetricGroup().gauge("alertSensorsTracked", () -> sensors.size() + claims.size());
        if (late != null) {
            late.open(getMetricGroup());
        }
        warnAbove = sensorCountWarning;
    }

    /** An on-time reading: held until the watermark passes it; a late one: to the rules that evaluate it ({@link EvaluateLateReadings}). */
    @Override
    public void processElement(StreamRecord<Reading> element) {
        Reading r = element.getValue();
        SensorState s = sensorOf(r);
        s.topic = r.sourceTopic;
        s.partition = r.sourcePartition;
        if (r.lateForRules) { // passed on only when a rule evaluates late readings
            if (late != null) {
                late.evaluate(this, s, r, watermark);
            }
            return;
        }
        s.readings.hold(r, usedMetrics);
        if (!s.holding) {
            s.holding = true;
            holding.add(s);
        }
    }

    /** The reading's sensor: from its slot, from the map, claimed after a restore, or new. */
    private SensorState sensorOf(Reading r) {
        SensorSlot slot = r.sensorSlot;
        SensorState s = slot == null ? null : (SensorState) slot.alertState;
        if (s != null && !s.dropped) {
            return s;
        }
        s = sensors.get(r.sensorId);
        if (s == null && !claims.isEmpty()) {
            for (SensorState claimed : claims.claim(r.sourceTopic, r.sourcePartition, sensors, watermark)) {
                activate(claimed);
            }
            s = sensors.get(r.sensorId);
        }
        if (s == null) {
            s = new SensorState(r.sensorId, scopes.of(r.sensorId, slot), ruleSelectors);
            s.claimed = true;
            if (sensors.size() >= warnAbove) {
                LOG.warn("Alert candidates, subtask {}: state for {} sensors, over {}: a flood of new sensor ids?"
                        + " State per sensor goes {} after its last reading (--forget-sensor-after).",
                        subtask, sensors.size() + 1, warnAbove, Duration.ofMillis(forgetAfterMs));
                warnAbove *= 2;
            }
            sensors.put(r.sensorId, s);
        }
        if (slot != null) {
            slot.alertState = s;
        }
        return s;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > watermark) {
            watermarkBefore = watermark;
            watermark = mark.getTimestamp();
            release(watermark);
        }
        super.processWatermark(mark);
    }

    @Override
    public void endInput() {
        watermarkBefore = watermark;
        release(Long.MAX_VALUE);
    }

    /**
     * Releases every held reading at or before {@code upTo}, then tells the silence rules of the
     * sensors whose quiet time has reached a deadline. The final watermark of a bounded input
     * (Long.MAX_VALUE) is the end of the data, not time passing: it reaches no deadline.
     */
    private void release(long upTo) {
        List<SensorState> list = holding;
        int kept = 0;
        for (int i = 0, n = list.size(); i < n; i++) {
            SensorState s = list.get(i);
            releaseUpTo(s, upTo);
            if (s.readings.held() > 0) {
                list.set(kept++, s);
            } else {
                s.holding = false;
            }
        }
        for (int i = list.size() - 1; i >= kept; i--) {
            list.remove(i);
        }
        if (upTo != Long.MAX_VALUE) {
            deadlines.reach(upTo);
        }
    }

    /** Releases the sensor's held readings at or before {@code upTo}, in event-time order, to the rules. */
    void releaseUpTo(SensorState s, long upTo) {
        HeldReadings held = s.readings;
        int end = held.releasable(upTo);
        for (int i = held.start; i < end; i++) {
            long before = held.lastReleased;
            if (held.release(i)) { // else an exact repeat
                onReleased(s, before, held.times[i], i, upTo);
            }
        }
        held.releasedUpTo(end);
    }

    /**
     * One released reading ({@code index} among the sensor's held ones), in event-time order:
     * {@code before} is the time of the reading released before it (Long.MIN_VALUE: none),
     * {@code releasing} the watermark releasing it.
     */
    private void onReleased(SensorState s, long before, long time, int index, long releasing) {
        releasedTime = time;
        RuleScopes.SensorRules in = s.rules;
        double[][] values = s.readings.values;
        for (int k = 0; k < selectors.length; k++) {
            if (in.rule(k)) { // else the sensor is outside the rule's scope: its state stays fresh
                selectors[k].accept(s.ruleStates[k], s.sensorId, time, values[metrics[k].ordinal()][index], emitters[k]);
            }
        }
        deadlines.released(s, before, time, releasing);
    }

    /**
     * To the silence rules' CEP operators, stamped ahead of their watermark (which is at most this
     * operator's last one) and, when there is room, behind the watermark being released: CEP keeps
     * a count per key of the events at each timestamp until its watermark is past that timestamp,
     * and with no partial match left it looks at the key again only when the key's next event comes.
     */
    private void sendSilence(SilenceEvent e, long releasing) {
        silenceEvents.inc();
        long stamp = releasing - 1 > watermarkBefore ? releasing - 1 : releasing;
        output.collect(new StreamRecord<>(e, stamp));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<byte[]> snapshot = new ArrayList<>();
        for (Iterator<SensorState> it = sensors.values().iterator(); it.hasNext(); ) {
            SensorState s = it.next();
            if (s.readings.held() == 0 && (rulesEmpty(s) && !keepsLatest(s) || forgotten(s))) {
                if (!s.holding && s.dueAt == Long.MAX_VALUE) {
                    s.dropped = true; // nothing to remember: a sensor back later starts fresh
                    it.remove();
                }
                continue;
            }
            snapshot.add(format.write(s, subtask, parallelism));
        }
        // An unclaimed copy goes once the watermark has passed its held readings and its rules are
        // empty, or its last reading is a whole rule window old (a run open that long can start no
        // match; only a partition quiet that long after a rescale would, when it comes back, see a
        // run still open as a new one).
        claims.writeKept(snapshot, s -> s.readings.lastHeld() <= watermark
                && (rulesEmpty(s) && !keepsLatest(s) || quietFor(s, longestWindowMs)), format);
        sensorState.update(snapshot);
    }

    /**
     * Whether the sensor's latest reading is worth its state though its rules' state is empty: it
     * is where a silence is measured from, and what a late reading must be newer than to be
     * evaluated ({@link EvaluateLateReadings}).
     */
    private boolean keepsLatest(SensorState s) {
        return s.rules.anySilence() || late != null;
    }

    private boolean rulesEmpty(SensorState s) {
        return ruleSelectors.allEmpty(s.ruleStates, watermark);
    }

    /** Whether the sensor's last reading is {@code forgetAfterMs} behind the watermark: its state goes, open runs too. */
    private boolean forgotten(SensorState s) {
        return watermark != Long.MAX_VALUE && quietFor(s, forgetAfterMs);
    }

    /** Whether the sensor's last released reading is at least {@code ms} behind the watermark. */
    private boolean quietFor(SensorState s, long ms) {
        return s.lastTime() != Long.MIN_VALUE && CandidateSelector.passedBy(watermark, s.lastTime(), ms);
    }

    /** Sensors this subtask keeps state for (claimed). */
    @VisibleForTesting
    int trackedSensors() {
        return sensors.size();
    }

    /** Restored entries this subtask holds unclaimed. */
    @VisibleForTesting
    int unclaimedSensors() {
        return claims.size();
    }
}
