package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.SilenceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * The job's alert operators as the job chains them, made by the job's own {@link RuleOperators},
 * each in its test harness: readings →
 * {@link SelectAlertCandidates} → per rule a real {@link CepOperator} (of its silence events for a
 * silence rule); for a sequence, rise or stuck rule also the CEP operator of its resolution, and
 * the {@link AlertLifecycle} both feed. Records and watermarks are carried from one harness to the next in the
 * order the job's network would deliver them from a single upstream subtask.
 */
final class AlertRulesHarness implements AutoCloseable {

    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final List<Rule> rules;
    final OneInputStreamOperatorTestHarness<Reading, SilenceEvent> selector;
    /** Per rule, the operator the selector feeds first: its CEP operator. */
    final List<KeyedOneInputStreamOperatorTestHarness<String, ?, Alert>> downstream = new ArrayList<>();
    /** Per rule, for a sequence or rise rule: the CEP operator of its resolution, and its lifecycle (else null). */
    final List<KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, Alert>> resolutions = new ArrayList<>();
    final List<KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert>> lifecycles = new ArrayList<>();
    /** Per rule, for an episode rule: which of its events its firing CEP operator gets (else null). */
    private final List<org.apache.flink.api.common.functions.FilterFunction<RuleEvent>> firingInputs = new ArrayList<>();
    /** Per rule, for an episode rule: which of its events its resolving CEP operator gets (null: all, or no such operator). */
    private final List<org.apache.flink.api.common.functions.FilterFunction<RuleEvent>> resolvingInputs = new ArrayList<>();
    private final List<Alert> alerts = new ArrayList<>();
    /** What the batching operator lends the selector in the job: one slot per sensor. */
    private final java.util.Map<String, io.sensorflow.job.readings.SensorSlot> slots = new java.util.HashMap<>();
    /** Records that reached the CEP operators of sequence, rise or stuck rules, and of silence rules. */
    long candidatesSeen;
    long silenceEventsSeen;
    /** The silence events the selector sent, in order. */
    final List<SilenceEvent> silenceEvents = new ArrayList<>();

    AlertRulesHarness(List<Rule> rules) throws Exception {
        this(rules, null);
    }

    /** Restores every operator from {@code snapshot} (from {@link #snapshot}) when it is not null. */
    AlertRulesHarness(List<Rule> rules, List<OperatorSubtaskState> snapshot) throws Exception {
        this.rules = rules;
        // The job's own wiring: the same selector, patterns, functions and lifecycles, per rule.
        RuleOperators operators = new RuleOperators(rules, FORGET_AFTER, 1_000_000);
        selector = new OneInputStreamOperatorTestHarness<>(operators.selector());
        for (RuleOperators.Operators ops : operators.perRule()) {
            if (ops instanceof RuleOperators.SilenceOperators s) {
                downstream.add(cepHarness(s.cep()));
                resolutions.add(null);
                lifecycles.add(null);
                firingInputs.add(null);
                resolvingInputs.add(null);
            } else if (ops instanceof RuleOperators.EpisodeOperators e) {
                downstream.add(cepHarness(e.firing()));
                resolutions.add(cepHarness(e.resolution()));
                lifecycles.add(lifecycleHarness(e.lifecycle()));
                firingInputs.add(e.firingInput());
                resolvingInputs.add(e.resolvingInput());
            }
        }
        // A null entry: that operator starts empty (a rule that is new, or changed, in the job).
        int i = 0;
        if (snapshot != null) {
            if (snapshot.get(i++) != null) {
                selector.initializeState(snapshot.get(0));
            }
            for (KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h : operatorsAfterTheSelector()) {
                OperatorSubtaskState state = snapshot.get(i++);
                if (state != null) {
                    h.initializeState(state);
                }
            }
        }
        selector.open();
        for (KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h : operatorsAfterTheSelector()) {
            h.open();
        }
    }

    /** In the order of {@link #snapshot}: each rule's first operator, then each sequence rule's resolution and lifecycle. */
    List<KeyedOneInputStreamOperatorTestHarness<String, ?, ?>> operatorsAfterTheSelector() {
        List<KeyedOneInputStreamOperatorTestHarness<String, ?, ?>> all = new ArrayList<>(downstream);
        for (int i = 0; i < rules.size(); i++) {
            if (resolutions.get(i) != null) {
                all.add(resolutions.get(i));
                all.add(lifecycles.get(i));
            }
        }
        return all;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> lifecycleHarness(EpisodeRule rule)
            throws Exception {
        return lifecycleHarness(new AlertLifecycle(rule, FORGET_AFTER));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> lifecycleHarness(AlertLifecycle lifecycle)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(lifecycle), a -> a.sensorId, Types.STRING);
    }

    /** One of the job's CEP operators, keyed by sensor as in the job. */
    private static <E> KeyedOneInputStreamOperatorTestHarness<String, E, Alert> cepHarness(RuleOperators.Cep<E> cep)
            throws Exception {
        return cepHarness(cep.pattern(), cep.toAlerts(), cep.type(), e -> sensorOf(e));
    }

    private static String sensorOf(Object event) {
        return event instanceof RuleEvent r ? r.sensorId : ((SilenceEvent) event).sensorId;
    }

    /** A real CEP operator of {@code pattern} over events of {@code type}, keyed by {@code sensor}. */
    static <E> KeyedOneInputStreamOperatorTestHarness<String, E, Alert> cepHarness(Pattern<E, E> pattern,
            PatternProcessFunction<E, Alert> toAlert, Class<E> type,
            org.apache.flink.api.java.functions.KeySelector<E, String> sensor) throws Exception {
        CepOperator<E, String, Alert> cep = new CepOperator<>(
                TypeInformation.of(type).createSerializer(new SerializerConfigImpl()), false,
                NFACompiler.compileFactory(pattern, false), null, pattern.getAfterMatchSkipStrategy(),
                toAlert, null);
        return new KeyedOneInputStreamOperatorTestHarness<>(cep, sensor, Types.STRING);
    }

    void reading(String sensor, long time, double temperature) throws Exception {
        reading(sensor, time, temperature, Double.NaN);
    }

    void reading(String sensor, long time, double temperature, double distance) throws Exception {
        Reading r = new Reading();
        r.sensorId = sensor;
        r.eventTime = time;
        r.temperature = temperature;
        r.distanceCm = distance;
        reading(r);
    }

    void reading(Reading r) throws Exception {
        r.sensorSlot = slots.computeIfAbsent(r.sensorId, id -> new io.sensorflow.job.readings.SensorSlot());
        selector.processElement(r, r.eventTime);
        deliver();
    }

    /** The slot the batching operator lends the selector for {@code sensor}, or null. */
    io.sensorflow.job.readings.SensorSlot slot(String sensor) {
        return slots.get(sensor);
    }

    /** What the batching operator does with sensors not heard from since the last checkpoint: lets their slots go. */
    void dropSlots() {
        slots.clear();
    }

    /** The watermark reaches the selector, then (after what it released) every operator downstream. */
    void watermark(long w) throws Exception {
        selector.processWatermark(new Watermark(w));
        deliver();
    }

    void endOfInput() throws Exception {
        selector.endInput();
        watermark(Long.MAX_VALUE);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void deliver() throws Exception {
        // Side outputs first: the selector emits candidates before the watermark that follows them.
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r instanceof SilenceRule) {
                continue;
            }
            Queue<StreamRecord<RuleEvent>> side = selector.getSideOutput(SelectAlertCandidates.ruleOutput(r));
            if (side != null) {
                KeyedOneInputStreamOperatorTestHarness h = downstream.get(i);
                for (StreamRecord<RuleEvent> rec; (rec = side.poll()) != null; ) {
                    candidatesSeen++;
                    if (firingInputs.get(i) == null || firingInputs.get(i).filter(rec.getValue())) { // as the job
                        h.processElement(rec);
                    }
                    if (resolutions.get(i) != null
                            && (resolvingInputs.get(i) == null || resolvingInputs.get(i).filter(rec.getValue()))) {
                        resolutions.get(i).processElement(new StreamRecord<>(rec.getValue(), rec.getTimestamp()));
                    }
                }
            }
        }
        List<Watermark> watermarks = new ArrayList<>();
        for (Object o; (o = selector.getOutput().poll()) != null; ) {
            if (o instanceof Watermark w) {
                watermarks.add(w);
            } else if (o instanceof StreamRecord<?> rec) {
                silenceEventsSeen++;
                silenceEvents.add((SilenceEvent) rec.getValue());
                for (int i = 0; i < rules.size(); i++) {
                    if (rules.get(i) instanceof SilenceRule) {
                        ((KeyedOneInputStreamOperatorTestHarness) downstream.get(i)).processElement((StreamRecord) rec);
                    }
                }
            }
        }
        for (Watermark w : watermarks) {
            for (int i = 0; i < rules.size(); i++) {
                downstream.get(i).processWatermark(w);
                if (resolutions.get(i) != null) {
                    resolutions.get(i).processWatermark(w);
                    // Both CEP operators' matches reach the lifecycle before the watermark that made them.
                    for (Object o : drain(downstream.get(i))) {
                        lifecycles.get(i).processElement((StreamRecord<Alert>) o);
                    }
                    for (Object o : drain(resolutions.get(i))) {
                        lifecycles.get(i).processElement((StreamRecord<Alert>) o);
                    }
                    lifecycles.get(i).processWatermark(w);
                }
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            for (Object o : drain(lifecycles.get(i) != null ? lifecycles.get(i) : downstream.get(i))) {
                alerts.add(((StreamRecord<Alert>) o).getValue());
            }
        }
    }

    /** The records an operator emitted since the last call (its watermarks left out). */
    private static List<Object> drain(KeyedOneInputStreamOperatorTestHarness<String, ?, Alert> h) {
        List<Object> records = new ArrayList<>();
        for (Object o; (o = h.getOutput().poll()) != null; ) {
            if (o instanceof StreamRecord<?>) {
                records.add(o);
            }
        }
        return records;
    }

    /** Every alert so far, in the order they were emitted; clears the list. */
    List<Alert> takeAlerts() {
        List<Alert> out = new ArrayList<>(alerts);
        alerts.clear();
        return out;
    }

    /** Each alert as "rule STATUS@start..end", its span in whole seconds: an episode's life, for a test's expectations. */
    static List<String> lives(List<Alert> alerts) {
        return alerts.stream().map(a -> a.ruleId + " " + a.status + "@" + a.spanStart / 1_000 + ".." + a.spanEnd / 1_000)
                .toList();
    }

    List<OperatorSubtaskState> snapshot(long checkpointId) throws Exception {
        selector.prepareSnapshotPreBarrier(checkpointId);
        deliver();
        List<OperatorSubtaskState> states = new ArrayList<>();
        states.add(selector.snapshot(checkpointId, checkpointId));
        for (KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h : operatorsAfterTheSelector()) {
            states.add(h.snapshot(checkpointId, checkpointId));
        }
        return states;
    }

    @Override
    public void close() throws Exception {
        selector.close();
        for (KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h : operatorsAfterTheSelector()) {
            h.close();
        }
    }
}
