package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.cep.RuleEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

/**
 * The reference of the differential tests: a rule kind's textbook patterns run by a real
 * {@link CepOperator} over every reading of the rule's metric (no selector), their matches made
 * FIRING and RESOLVED candidates, and those through the job's own {@link AlertLifecycle}. Slow (a
 * partial match per reading), and the definition of what the job's path must give. What it decides
 * is its own: which readings match, which episode a match names (its id), which readings an alert
 * shows. Only the record is built as the job builds it ({@link AlertCandidates}), from what the
 * reference decided.
 *
 * <p>Adding a kind is writing its {@link Textbook}. Events carry the reading's place among its
 * sensor's events in {@link RuleEvent#runLength}, so a match can be tied back to the readings
 * around it (the run it is part of, for an alert's id).
 */
final class TextbookReference {

    /** A rule kind as its textbook patterns, over every reading. */
    interface Textbook {

        EpisodeRule rule();

        /** The pattern whose matches are the condition holding: each a FIRING candidate. */
        Pattern<RuleEvent, RuleEvent> firing();

        /**
         * The FIRING candidates of the firing pattern's matches, each at its last reading, in the
         * order of those readings; {@code events} are the sensor's events in rule order.
         */
        List<Alert> firings(List<Map<String, List<RuleEvent>>> matches, Map<String, List<RuleEvent>> events);

        /**
         * Before the resolution pattern runs: what a reading's event must say for it, given the
         * readings that ended a firing match ({@code matched}, by sensor and place). Nothing by default.
         */
        default void mark(List<RuleEvent> events, Predicate<RuleEvent> matched) {}

        /** The pattern whose matches resolve an episode, at their last reading. */
        Pattern<RuleEvent, RuleEvent> resolution();
    }

    private TextbookReference() {}

    /** The alerts of {@code textbook}'s rule over {@code readings} (in rule order, each once). */
    static List<Alert> alerts(Textbook textbook, List<Reading> readings) throws Exception {
        EpisodeRule rule = textbook.rule();
        List<RuleEvent> all = new ArrayList<>();
        Map<String, List<RuleEvent>> bySensor = new LinkedHashMap<>();
        for (Reading r : readings) {
            double v = Metrics.value(r, rule.metric());
            if (Double.isNaN(v) || !rule.scope().includes(r.sensorId)) {
                continue; // a reading without the metric neither extends nor breaks anything
            }
            List<RuleEvent> own = bySensor.computeIfAbsent(r.sensorId, k -> new ArrayList<>());
            RuleEvent e = RuleEvent.of(r.sensorId, r.eventTime, v, (byte) 0, r.eventTime);
            e.runLength = own.size();
            own.add(e);
            all.add(e);
        }
        List<Map<String, List<RuleEvent>>> fired = run(textbook.firing(), all);
        List<Alert> candidates = new ArrayList<>(textbook.firings(fired, bySensor));
        java.util.Set<String> ends = new java.util.HashSet<>();
        for (Map<String, List<RuleEvent>> m : fired) {
            RuleEvent last = last(m);
            ends.add(last.sensorId + "#" + last.runLength);
        }
        List<RuleEvent> marked = new ArrayList<>();
        for (RuleEvent e : all) {
            RuleEvent c = RuleEvent.of(e.sensorId, e.timestamp, e.value, (byte) 0, e.timestamp);
            c.runLength = e.runLength;
            marked.add(c);
        }
        textbook.mark(marked, e -> ends.contains(e.sensorId + "#" + e.runLength));
        for (Map<String, List<RuleEvent>> m : run(textbook.resolution(), marked)) {
            RuleEvent last = last(m);
            // The span's start is the lifecycle's to give (its FIRING's); the reference's resolution patterns name their
            // resolving readings differently, so the candidate's span is its resolving reading alone.
            Alert a = AlertCandidates.resolution(rule, last.sensorId, last.timestamp, last.timestamp, last.value);
            candidates.add(a);
        }
        // Into the lifecycle in event-time order; a sort that keeps the FIRINGs of one time in the order of their
        // readings, which decides which of them opens an episode.
        candidates.sort(Comparator.comparingLong(AlertLifecycle::time));
        try (KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> lifecycle =
                AlertRulesHarness.lifecycleHarness(rule)) {
            lifecycle.open();
            for (Alert a : candidates) {
                lifecycle.processElement(a, AlertLifecycle.time(a));
            }
            lifecycle.processWatermark(new Watermark(Long.MAX_VALUE));
            List<Alert> out = new ArrayList<>();
            for (Object o : lifecycle.getOutput()) {
                if (o instanceof StreamRecord<?> rec) {
                    out.add((Alert) rec.getValue());
                }
            }
            return out;
        }
    }

    private static RuleEvent last(Map<String, List<RuleEvent>> match) {
        RuleEvent last = null;
        for (List<RuleEvent> events : match.values()) {
            for (RuleEvent e : events) {
                if (last == null || e.runLength > last.runLength) {
                    last = e;
                }
            }
        }
        return last;
    }

    /** Every match of {@code pattern} over {@code events} (in rule order), by a real CEP operator keyed by sensor. */
    static List<Map<String, List<RuleEvent>>> run(Pattern<RuleEvent, RuleEvent> pattern, List<RuleEvent> events)
            throws Exception {
        CepOperator<RuleEvent, String, Map<String, List<RuleEvent>>> cep = new CepOperator<>(
                TypeInformation.of(RuleEvent.class).createSerializer(new SerializerConfigImpl()), false,
                NFACompiler.compileFactory(pattern, false), null, pattern.getAfterMatchSkipStrategy(),
                new Matches(), null);
        List<Map<String, List<RuleEvent>>> matches = new ArrayList<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, Map<String, List<RuleEvent>>> h =
                new KeyedOneInputStreamOperatorTestHarness<>(cep, e -> e.sensorId, Types.STRING)) {
            h.open();
            for (RuleEvent e : events) {
                h.processElement(e, e.timestamp);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            for (Object o : h.getOutput()) {
                if (o instanceof StreamRecord<?> rec) {
                    @SuppressWarnings("unchecked")
                    Map<String, List<RuleEvent>> m = (Map<String, List<RuleEvent>>) rec.getValue();
                    matches.add(m);
                }
            }
        }
        return matches;
    }

    private static final class Matches extends PatternProcessFunction<RuleEvent, Map<String, List<RuleEvent>>> {
        @Override
        public void processMatch(Map<String, List<RuleEvent>> match, Context ctx,
                Collector<Map<String, List<RuleEvent>>> out) {
            Map<String, List<RuleEvent>> copy = new LinkedHashMap<>();
            match.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
            out.collect(copy);
        }
    }
}
