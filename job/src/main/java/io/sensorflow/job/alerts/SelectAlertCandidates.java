package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.SensorSlot;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.cep.CandidateSelector;
import io.sensorflow.rules.cep.CompiledRule;
import io.sensorflow.rules.cep.RuleEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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
 * on, so that neither CEP nor the network sees every reading. A rule with a scope sees only the
 * sensors in it: that is decided once per sensor ({@link Scopes}, kept in the sensor's slot and
 * state), not per reading.
 *
 * <p>Readings arrive on time (after the watermark, judged upstream) but possibly out of order. Each
 * sensor's readings are held until the watermark passes them and then released in event-time
 * order (readings at the same time in the order they came; an exact repeat of a reading, same time and
 * content, dropped), through:
 * <ul>
 *   <li>each sequence, rise and stuck rule's {@link CandidateSelector}, whose picks go to the rule's
 *       side output ({@link #ruleOutput}) and on to its CEP operators, stamped with the time of the
 *       reading being released (a selector may send readings it held back; the patterns read the
 *       events' own times). So they are ahead of every watermark this operator has forwarded, and
 *       CEP never drops them as late;
 *   <li>silence: the released readings are summed up as {@link SensorHeartbeat}s, stretches without
 *       a gap longer than the (shortest) silence threshold. A stretch is sent on the main output when
 *       a gap ends it, or at the latest when the watermark is about to pass the last sent heartbeat
 *       plus the threshold, which is when silence detection downstream would otherwise fire. So a
 *       sensor costs about one record per silence threshold, not one per reading.
 * </ul>
 *
 * <p>The held readings and the rules' per-sensor state are kept in union operator state, each
 * sensor's entry tagged with its Kafka partition and the subtask that wrote it. At the same
 * parallelism a subtask takes back what it wrote, as its Kafka partitions come back to it too.
 * At another parallelism nobody can tell yet which subtask will read which partition, so every
 * subtask keeps the entries unclaimed, and the one that reads the first record of a partition
 * claims that partition's entries ({@link #claim}); the others drop their copies once the
 * watermark has passed everything in them. Heartbeats are all sent before a checkpoint barrier
 * instead.
 */
public final class SelectAlertCandidates extends AbstractStreamOperator<SensorHeartbeat>
        implements OneInputStreamOperator<Reading, SensorHeartbeat>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SelectAlertCandidates.class);

    private final List<Rule> rules;
    private final long forgetAfterMs;
    private final int sensorCountWarning;
    /** The sensor count above which the next warning is logged. */
    private transient long warnAbove;
    /** The shortest silence threshold, or 0 without silence rules. */
    private final long silenceMs;
    /** The silence rules' scopes, in the order of their {@link DetectSilence} indexes; empty when none has one. */
    private final List<SensorScope> silenceScopes;

    private transient CandidateSelector<Object>[] selectors;
    private transient List<String> ruleUids;
    private transient Metric[] metrics;
    /** The longest {@code within} (or cooldown) of the rules: an unclaimed entry that old can start no match and leaves out none. */
    private transient long longestWindowMs;
    private transient boolean[] metricUsed;
    /** The metrics some rule reads, the only ones held. */
    private transient Metric[] usedMetrics;
    private transient Consumer<RuleEvent>[] emitters;
    /** The time of the reading being released: what the selectors send now is stamped with it. */
    private transient long releasing;
    /** Per rule its scope, or null when no rule (silence included) has one: then every sensor is in every rule. */
    private transient SensorScope[] ruleScopes;
    private transient Map<String, SensorState> sensors;
    private transient List<SensorState> holding;
    private transient PriorityQueue<SensorState> due;
    private transient long watermark;
    /**
     * Restored entries nobody has claimed yet, by Kafka partition: after a restore at another
     * parallelism, until the subtask that now reads the partition sees its first record.
     */
    private transient Map<Integer, List<SensorState>> unclaimed;
    private transient int subtask;
    private transient int parallelism;
    private transient ListState<byte[]> sensorState;
    private transient Counter candidates;
    private transient Counter heartbeats;

    /**
     * {@code rules}: the rules that compile to patterns, in the order of their side outputs.
     * {@code forgetAfterMs}: a sensor's state goes once its last reading is that far behind the
     * watermark, even with a run still open. {@code sensorCountWarning}: above this many sensors
     * (and at each doubling) a warning is logged.
     */
    public SelectAlertCandidates(List<Rule> rules, long silenceMs, long forgetAfterMs, int sensorCountWarning) {
        this(rules, silenceMs, List.of(), forgetAfterMs, sensorCountWarning);
    }

    /**
     * With the silence rules of the rule set, in order: heartbeats carry which of them apply to
     * their sensor ({@link SensorHeartbeat#silenceRules}) when any has a scope.
     */
    public SelectAlertCandidates(List<Rule> rules, List<SilenceRule> silences, long forgetAfterMs, int sensorCountWarning) {
        this(rules, shortestSilence(silences), scopesOf(silences), forgetAfterMs, sensorCountWarning);
    }

    private SelectAlertCandidates(List<Rule> rules, long silenceMs, List<SensorScope> silenceScopes, long forgetAfterMs,
            int sensorCountWarning) {
        this.rules = List.copyOf(rules);
        this.silenceMs = silenceMs;
        this.silenceScopes = silenceScopes;
        this.forgetAfterMs = forgetAfterMs;
        this.sensorCountWarning = sensorCountWarning;
    }

    private static long shortestSilence(List<SilenceRule> silences) {
        long ms = 0;
        for (SilenceRule s : silences) {
            ms = ms == 0 ? s.after().toMillis() : Math.min(ms, s.after().toMillis());
        }
        return ms;
    }

    private static List<SensorScope> scopesOf(List<SilenceRule> silences) {
        List<SensorScope> scopes = new ArrayList<>();
        boolean any = false;
        for (SilenceRule s : silences) {
            scopes.add(s.scope());
            any |= !s.scope().isAll();
        }
        return any ? scopes : List.of();
    }

    /** The side output of {@code rule}'s candidates. */
    public static OutputTag<RuleEvent> ruleOutput(Rule rule) {
        return new OutputTag<>(CompiledRule.uid(rule), TypeInformation.of(RuleEvent.class));
    }

    @SuppressWarnings("unchecked")
    private void setUpRules() {
        int n = rules.size();
        selectors = new CandidateSelector[n];
        metrics = new Metric[n];
        metricUsed = new boolean[Metric.values().length];
        emitters = new Consumer[n];
        ruleUids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Rule rule = rules.get(i);
            selectors[i] = (CandidateSelector<Object>) CompiledRule.of(rule).selector();
            ruleUids.add(CompiledRule.uid(rule));
            metrics[i] = metricOf(rule);
            longestWindowMs = Math.max(longestWindowMs, windowOf(rule));
            metricUsed[metrics[i].ordinal()] = true;
            OutputTag<RuleEvent> tag = ruleOutput(rule);
            emitters[i] = e -> {
                candidates.inc();
                // Stamped with the reading being released: a selector may send readings it held, which are
                // behind the watermark by now (the patterns read the events' own times).
                output.collect(tag, new StreamRecord<>(e, releasing));
            };
        }
    }

    private void collectScopes() {
        boolean any = !silenceScopes.isEmpty();
        for (Rule rule : rules) {
            any |= !rule.scope().isAll();
        }
        ruleScopes = null;
        if (any) {
            ruleScopes = new SensorScope[rules.size()];
            for (int i = 0; i < rules.size(); i++) {
                ruleScopes[i] = rules.get(i).scope();
            }
        }
    }

    /**
     * Which rules apply to a sensor: decided when the sensor's state is made, or taken from its
     * slot, where it was kept the last time (a regex match per reading would cost more than the rules).
     */
    private Scopes scopesOf(String sensorId, SensorSlot slot) {
        if (ruleScopes == null) {
            return Scopes.ALL;
        }
        if (slot != null && slot.alertScopes instanceof Scopes kept) {
            return kept;
        }
        boolean[] in = new boolean[ruleScopes.length];
        for (int k = 0; k < in.length; k++) {
            in[k] = ruleScopes[k].includes(sensorId);
        }
        boolean[] silences = null;
        boolean anySilence = silenceMs > 0;
        if (!silenceScopes.isEmpty()) {
            silences = new boolean[silenceScopes.size()];
            anySilence = false;
            for (int j = 0; j < silences.length; j++) {
                silences[j] = silenceScopes.get(j).includes(sensorId);
                anySilence |= silences[j];
            }
        }
        Scopes scopes = new Scopes(in, silences, anySilence);
        if (slot != null) {
            slot.alertScopes = scopes;
        }
        return scopes;
    }

    /**
     * Which rules apply to one sensor: per pattern rule ({@code rules}, null when all do), per
     * silence rule ({@code silences}, null when all do), and whether any silence rule does.
     */
    record Scopes(boolean[] rules, boolean[] silences, boolean anySilence) {
        static final Scopes ALL = new Scopes(null, null, true);

        boolean rule(int k) {
            return rules == null || rules[k];
        }
    }

    private void collectUsedMetrics() {
        List<Metric> used = new ArrayList<>();
        for (Metric m : Metric.values()) {
            if (metricUsed[m.ordinal()]) {
                used.add(m);
            }
        }
        usedMetrics = used.toArray(new Metric[0]);
    }

    /**
     * How long a rule's state can matter to a sensor quiet since its last reading, for copies left
     * unclaimed after a rescale. A stuck run has no such bound (the next reading may repeat the
     * last): a {@code for} rule counts its duration, a {@code readings} one nothing, so after a
     * rescale a sensor whose partition stays idle until the watermark has passed its last reading
     * starts its run afresh.
     */
    private static long windowOf(Rule rule) {
        if (rule instanceof io.sensorflow.rules.SequenceRule s) {
            return s.within().toMillis();
        }
        // A rise or stuck selector follows the episodes' life: its state may leave matches out while
        // a cooldown lasts, and a fresh one, which knows of none, would leave out the wrong ones.
        long cooldown = ((io.sensorflow.rules.EpisodeRule) rule).cooldown().toMillis();
        if (rule instanceof StuckRule s) {
            return Math.max(cooldown, s.byReadings() ? 0 : s.forDuration().toMillis());
        }
        return Math.max(cooldown, ((io.sensorflow.rules.RiseRule) rule).within().toMillis());
    }

    private static Metric metricOf(Rule rule) {
        return ((io.sensorflow.rules.EpisodeRule) rule).metric();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        setUpRules();
        collectScopes();
        collectUsedMetrics();
        sensors = new HashMap<>();
        holding = new ArrayList<>();
        due = new PriorityQueue<>((a, b) -> Long.compare(a.dueAt, b.dueAt));
        watermark = Long.MIN_VALUE;
        unclaimed = new HashMap<>();
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        sensorState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<byte[]>("alert-candidates-by-partition",
                        org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        if (context.isRestored()) {
            restore(sensorState.get());
        }
    }

    /**
     * Takes back this subtask's own entries when the parallelism is unchanged, and keeps every
     * entry whose owner is not known yet (another parallelism, or unclaimed since one) for
     * {@link #claim}. Of several copies of one sensor, a claimed one is the live one.
     */
    private void restore(Iterable<byte[]> entries) throws IOException {
        Map<String, SensorState> pending = new HashMap<>();
        int own = 0;
        for (byte[] bytes : entries) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            Header h = Header.read(in);
            if (h.claimed && h.writerParallelism == parallelism) {
                if (h.writer == subtask) {
                    activate(SensorState.read(in, h.version, this));
                    own++;
                }
                continue; // else its writer takes it back
            }
            SensorState s = SensorState.read(in, h.version, this);
            s.claimed = h.claimed;
            SensorState other = pending.get(s.sensorId);
            if (other == null || (s.claimed && !other.claimed) || (s.claimed == other.claimed && s.held() > other.held())) {
                pending.put(s.sensorId, s);
            }
        }
        int kept = 0;
        for (SensorState s : pending.values()) {
            if (!sensors.containsKey(s.sensorId)) {
                s.claimed = false;
                unclaimed.computeIfAbsent(s.partition, p -> new ArrayList<>()).add(s);
                kept++;
            }
        }
        LOG.info("Alert candidates, subtask {} of {}: restored {} sensors of its own and {} unclaimed",
                subtask, parallelism, own, kept);
    }

    private void activate(SensorState s) {
        s.claimed = true;
        sensors.put(s.sensorId, s);
        if (s.held() > 0) {
            s.holding = true;
            holding.add(s);
        }
    }

    /**
     * This subtask reads {@code r}'s partition: the unclaimed entries of that partition are its
     * own now. Readings they hold that the watermark has already passed are dropped, as every
     * operator downstream is past them (only when the partition sent nothing for longer than the
     * idle timeout after the restore).
     */
    private void claim(Reading r) {
        List<SensorState> entries = unclaimed.remove(r.sourcePartition);
        if (entries == null) {
            return;
        }
        List<SensorState> otherTopic = null;
        for (SensorState s : entries) {
            if (!java.util.Objects.equals(s.topic, r.sourceTopic)) {
                (otherTopic == null ? otherTopic = new ArrayList<>() : otherTopic).add(s);
            } else if (!sensors.containsKey(s.sensorId)) {
                s.dropHeldUpTo(watermark);
                activate(s);
            }
        }
        if (otherTopic != null) {
            unclaimed.put(r.sourcePartition, otherTopic);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        candidates = getMetricGroup().counter("alertCandidates");
        heartbeats = getMetricGroup().counter("sensorHeartbeats");
        getMetricGroup().gauge("alertSensorsTracked", () -> sensors.size() + unclaimedSensors());
        warnAbove = sensorCountWarning;
    }

    @Override
    public void processElement(StreamRecord<Reading> element) {
        Reading r = element.getValue();
        SensorSlot slot = r.sensorSlot;
        SensorState s = slot == null ? null : (SensorState) slot.alertState;
        if (s == null || s.dropped) {
            s = sensors.get(r.sensorId);
            if (s == null && !unclaimed.isEmpty()) {
                claim(r);
                s = sensors.get(r.sensorId);
            }
            if (s == null) {
                s = new SensorState(r.sensorId, this, scopesOf(r.sensorId, slot));
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
        }
        s.hold(r, this);
        if (!s.holding) {
            s.holding = true;
            holding.add(s);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > watermark) {
            watermark = mark.getTimestamp();
            release(watermark);
        }
        super.processWatermark(mark);
    }

    /** Releases every held reading at or before {@code upTo}, then sends the heartbeats that are due. */
    private void release(long upTo) {
        List<SensorState> list = holding;
        int kept = 0;
        for (int i = 0, n = list.size(); i < n; i++) {
            SensorState s = list.get(i);
            s.releaseUpTo(upTo, this);
            if (s.held() > 0) {
                list.set(kept++, s);
            } else {
                s.holding = false;
            }
        }
        for (int i = list.size() - 1; i >= kept; i--) {
            list.remove(i);
        }
        while (!due.isEmpty() && due.peek().dueAt <= upTo) {
            SensorState s = due.poll();
            s.queued = false;
            sendHeartbeat(s);
        }
    }

    private void sendHeartbeat(SensorState s) {
        if (s.stretchFirst != Long.MIN_VALUE) {
            heartbeats.inc();
            SensorHeartbeat hb = new SensorHeartbeat(s.sensorId, s.stretchFirst, s.stretchLast);
            hb.silenceRules = s.scopes.silences();
            output.collect(new StreamRecord<>(hb, s.stretchLast));
            s.lastSent = s.stretchLast;
            s.stretchFirst = Long.MIN_VALUE;
        }
    }

    /** One released reading, in event-time order. */
    private void onReleased(SensorState s, long time, int index) {
        releasing = time;
        Scopes scopes = s.scopes;
        for (int k = 0; k < selectors.length; k++) {
            if (scopes.rule(k)) { // else the sensor is outside the rule's scope: its state stays fresh
                double[] values = s.values[metrics[k].ordinal()];
                selectors[k].accept(s.ruleStates[k], s.sensorId, time, values[index], emitters[k]);
            }
        }
        if (silenceMs > 0 && scopes.anySilence()) {
            if (s.stretchFirst != Long.MIN_VALUE && time - s.stretchLast > silenceMs) {
                sendHeartbeat(s); // a gap: the stretch before it must be seen on its own
            }
            if (s.stretchFirst == Long.MIN_VALUE) {
                s.stretchFirst = time;
                if (!s.queued) {
                    // Never sent since it was (re)created: send at once, the detector knows the rest.
                    s.dueAt = s.lastSent == Long.MIN_VALUE ? Long.MIN_VALUE : s.lastSent + silenceMs;
                    s.queued = true;
                    due.add(s);
                }
            }
            s.stretchLast = time;
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        // Heartbeats are not part of the checkpoint: the detector downstream gets them now.
        while (!due.isEmpty()) {
            SensorState s = due.poll();
            s.queued = false;
            sendHeartbeat(s);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<byte[]> snapshot = new ArrayList<>();
        for (Iterator<SensorState> it = sensors.values().iterator(); it.hasNext(); ) {
            SensorState s = it.next();
            if (s.held() == 0 && (s.rulesEmpty(this) || forgotten(s))) {
                if (!s.holding && !s.queued) {
                    s.dropped = true; // nothing to remember: a sensor back later starts fresh
                    it.remove();
                }
                continue;
            }
            snapshot.add(s.write(this, subtask, parallelism));
        }
        // Every subtask keeps writing its unclaimed copies, so that whichever subtask turns out to
        // own the partition finds them after a failover too. A copy goes once the watermark has
        // passed its held readings and its rules are empty, or its last reading is a whole rule
        // window old (a run open that long can start no match; only a partition quiet that long
        // after a rescale would, when it comes back, see a run still open as a new one).
        for (Iterator<List<SensorState>> lists = unclaimed.values().iterator(); lists.hasNext(); ) {
            List<SensorState> entries = lists.next();
            entries.removeIf(s -> s.lastHeld() <= watermark
                    && (s.rulesEmpty(this) || quietFor(s, longestWindowMs)));
            if (entries.isEmpty()) {
                lists.remove();
            }
            for (SensorState s : entries) {
                snapshot.add(s.write(this, subtask, parallelism));
            }
        }
        sensorState.update(snapshot);
    }

    /** Whether the sensor's last reading is {@code forgetAfterMs} behind the watermark: its state goes, open runs too. */
    private boolean forgotten(SensorState s) {
        return watermark != Long.MAX_VALUE && quietFor(s, forgetAfterMs);
    }

    /** Whether the sensor's last released reading is at least {@code ms} behind the watermark. */
    private boolean quietFor(SensorState s, long ms) {
        return s.lastTime != Long.MIN_VALUE && watermark - s.lastTime >= ms;
    }

    /** Sensors this subtask keeps state for (claimed). */
    @org.apache.flink.annotation.VisibleForTesting
    int trackedSensors() {
        return sensors.size();
    }

    /** Restored entries this subtask holds unclaimed. */
    @org.apache.flink.annotation.VisibleForTesting
    int unclaimedSensors() {
        int n = 0;
        for (List<SensorState> entries : unclaimed.values()) {
            n += entries.size();
        }
        return n;
    }

    @Override
    public void endInput() {
        release(Long.MAX_VALUE);
        while (!due.isEmpty()) {
            SensorState s = due.poll();
            s.queued = false;
            sendHeartbeat(s);
        }
    }

    /**
     * The hand-written entry format starts with a byte of {@link #FORMAT_VERSION_MARK} plus the
     * version. Version 0 had no such byte and started with the claimed flag, a boolean (0 or 1),
     * which no mark equals.
     */
    static final int FORMAT_VERSION_MARK = 0x40;
    static final int FORMAT_VERSION = 1;

    /** An entry's header: its format version, whether it was claimed, and by which subtask of how many. */
    record Header(int version, boolean claimed, int writer, int writerParallelism) {

        static Header read(DataInputStream in) throws IOException {
            int first = in.readUnsignedByte();
            int version;
            boolean claimed;
            if (first == 0 || first == 1) {
                version = 0;
                claimed = first == 1;
            } else {
                version = first - FORMAT_VERSION_MARK;
                if (version < 1 || version > FORMAT_VERSION) {
                    throw new IOException("alert candidate state of format version " + version
                            + ", this job reads versions 0 to " + FORMAT_VERSION + " (state of a newer job?)");
                }
                claimed = in.readBoolean();
            }
            return new Header(version, claimed, in.readInt(), in.readInt());
        }
    }

    /** One sensor: its held readings (parallel arrays, sorted on release) and its rules' state. */
    static final class SensorState {
        final String sensorId;
        final Object[] ruleStates;
        /** The rules that apply to the sensor. */
        final Scopes scopes;
        long[] times = new long[4];
        long[] ids = new long[4];
        /** Per metric ordinal; null for metrics no rule uses. */
        final double[][] values;
        /** The held readings are [start, size). */
        int start;
        int size;
        boolean sorted = true;
        boolean holding;
        /** Removed from the map: a slot still pointing here must look the sensor up again. */
        boolean dropped;
        /** The Kafka partition of the sensor's readings, which decides who owns it after a rescale. */
        String topic;
        int partition;
        /** Owned by this subtask (else kept unclaimed after a restore). */
        boolean claimed;
        /** The time of the last released reading, and the content hashes released at that time. */
        long lastTime = Long.MIN_VALUE;
        final ContentsAtOneTime releasedAtLast = new ContentsAtOneTime();
        // silence
        long stretchFirst = Long.MIN_VALUE;
        long stretchLast;
        long lastSent = Long.MIN_VALUE;
        long dueAt;
        boolean queued;

        SensorState(String sensorId, SelectAlertCandidates op, Scopes scopes) {
            this.sensorId = sensorId;
            this.scopes = scopes;
            this.ruleStates = new Object[op.selectors.length];
            for (int k = 0; k < ruleStates.length; k++) {
                ruleStates[k] = op.selectors[k].newState();
            }
            this.values = new double[Metric.values().length][];
            for (Metric m : Metric.values()) {
                if (op.metricUsed[m.ordinal()]) {
                    values[m.ordinal()] = new double[4];
                }
            }
        }

        void hold(Reading r, SelectAlertCandidates op) {
            if (size == times.length) {
                if (start > 0) {
                    compact();
                } else {
                    grow(size * 2);
                }
            }
            topic = r.sourceTopic;
            partition = r.sourcePartition;
            long t = r.eventTime;
            long id = r.contentHash();
            if (size > start && t < times[size - 1]) {
                sorted = false;
            }
            times[size] = t;
            ids[size] = id;
            for (Metric m : op.usedMetrics) {
                values[m.ordinal()][size] = Metrics.value(r, m);
            }
            size++;
        }

        /** Moves the held readings [start, size) to the front. */
        private void compact() {
            int held = size - start;
            System.arraycopy(times, start, times, 0, held);
            System.arraycopy(ids, start, ids, 0, held);
            for (double[] v : values) {
                if (v != null) {
                    System.arraycopy(v, start, v, 0, held);
                }
            }
            start = 0;
            size = held;
        }

        int held() {
            return size - start;
        }

        /** The latest held reading's time, or Long.MIN_VALUE when none is held. */
        long lastHeld() {
            long last = Long.MIN_VALUE;
            for (int i = start; i < size; i++) {
                last = Math.max(last, times[i]);
            }
            return last;
        }

        /** Forgets the held readings at or before {@code upTo}, unreleased. */
        void dropHeldUpTo(long upTo) {
            int kept = start;
            for (int i = start; i < size; i++) {
                if (times[i] > upTo) {
                    times[kept] = times[i];
                    ids[kept] = ids[i];
                    for (double[] v : values) {
                        if (v != null) {
                            v[kept] = v[i];
                        }
                    }
                    kept++;
                }
            }
            size = kept;
        }

        private void grow(int capacity) {
            times = Arrays.copyOf(times, capacity);
            ids = Arrays.copyOf(ids, capacity);
            for (int m = 0; m < values.length; m++) {
                if (values[m] != null) {
                    values[m] = Arrays.copyOf(values[m], capacity);
                }
            }
        }

        void releaseUpTo(long upTo, SelectAlertCandidates op) {
            if (!sorted) {
                sort();
            }
            int n = start;
            while (n < size && times[n] <= upTo) {
                long t = times[n];
                if (t != lastTime) {
                    lastTime = t;
                    releasedAtLast.clear();
                }
                if (releasedAtLast.add(ids[n])) { // else a duplicate
                    op.onReleased(this, t, n);
                }
                n++;
            }
            if (n == size) {
                start = 0;
                size = 0;
            } else {
                start = n; // compacted when the arrays fill up
            }
        }

        /**
         * Insertion sort by time, stable, so readings at the same time stay in the order they came
         * (their Kafka partition's order, the same in every replay): the held readings are few and
         * nearly in order.
         */
        private void sort() {
            for (int i = start + 1; i < size; i++) {
                long t = times[i];
                long id = ids[i];
                int j = i - 1;
                while (j >= start && times[j] > t) {
                    j--;
                }
                if (j + 1 != i) {
                    int at = j + 1;
                    System.arraycopy(times, at, times, at + 1, i - at);
                    System.arraycopy(ids, at, ids, at + 1, i - at);
                    times[at] = t;
                    ids[at] = id;
                    for (double[] v : values) {
                        if (v != null) {
                            double x = v[i];
                            System.arraycopy(v, at, v, at + 1, i - at);
                            v[at] = x;
                        }
                    }
                }
            }
            sorted = true;
        }

        boolean rulesEmpty(SelectAlertCandidates op) {
            for (int k = 0; k < ruleStates.length; k++) {
                if (!op.selectors[k].isEmpty(ruleStates[k], op.watermark)) {
                    return false;
                }
            }
            return true;
        }

        byte[] write(SelectAlertCandidates op, int writer, int writerParallelism) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + size * 40);
            DataOutputStream out = new DataOutputStream(bytes);
            // The header comes first, so a subtask can skip the entries of others without reading them.
            out.writeByte(FORMAT_VERSION_MARK + FORMAT_VERSION);
            out.writeBoolean(claimed);
            out.writeInt(writer);
            out.writeInt(writerParallelism);
            out.writeUTF(topic == null ? "" : topic);
            out.writeInt(partition);
            out.writeUTF(sensorId);
            out.writeLong(lastTime);
            releasedAtLast.write(out);
            out.writeInt(size - start);
            for (int i = start; i < size; i++) {
                out.writeLong(times[i]);
                out.writeLong(ids[i]);
                for (double[] v : values) {
                    if (v != null) {
                        out.writeDouble(v[i]);
                    }
                }
            }
            // Each rule's state under its uid, so adding, removing or changing a rule keeps the others'.
            out.writeInt(ruleStates.length);
            for (int k = 0; k < ruleStates.length; k++) {
                ByteArrayOutputStream one = new ByteArrayOutputStream(32);
                op.selectors[k].write(ruleStates[k], new DataOutputStream(one));
                out.writeUTF(op.ruleUids.get(k));
                out.writeInt(one.size());
                one.writeTo(out);
            }
            out.flush();
            return bytes.toByteArray();
        }

        /**
         * Reads an entry after its header ({@link Header#read}), in the format version the header
         * gave. Version 0 (before content hashes) kept one identity of another kind for the last
         * released reading; it restores as none, and its held readings are compared by the
         * identities they were written with.
         */
        static SensorState read(DataInputStream in, int version, SelectAlertCandidates op) throws IOException {
            String topic = in.readUTF();
            int partition = in.readInt();
            String sensorId = in.readUTF();
            SensorState s = new SensorState(sensorId, op, op.scopesOf(sensorId, null));
            s.topic = topic.isEmpty() ? null : topic;
            s.partition = partition;
            s.lastTime = in.readLong();
            if (version == 0) {
                in.readLong();
            } else {
                s.releasedAtLast.read(in);
            }
            int size = in.readInt();
            s.grow(Math.max(4, size));
            for (int i = 0; i < size; i++) {
                s.times[i] = in.readLong();
                s.ids[i] = in.readLong();
                for (double[] v : s.values) {
                    if (v != null) {
                        v[i] = in.readDouble();
                    }
                }
            }
            s.size = size;
            s.sorted = false;
            int rules = in.readInt();
            for (int r = 0; r < rules; r++) {
                String uid = in.readUTF();
                byte[] state = new byte[in.readInt()];
                in.readFully(state);
                int k = op.ruleUids.indexOf(uid);
                if (k >= 0) { // else a rule that was removed or changed: its state goes
                    s.ruleStates[k] = op.selectors[k].read(new DataInputStream(new ByteArrayInputStream(state)));
                }
            }
            return s;
        }
    }
}
