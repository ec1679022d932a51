package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.cep.CompiledRule;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.RulePatterns;
import io.sensorflow.rules.cep.SilenceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * How the alert rules become operators: the one place that decides it, for the job
 * ({@link #alerts}) and for its harness tests, which build the same operators from
 * {@link #selector} and {@link #perRule}. On-time readings → {@link SelectAlertCandidates}, the
 * few readings each rule can act on → per rule:
 * <ul>
 *   <li>silence: one FlinkCEP operator over the selector's silence events, which fires and resolves;
 *   <li>sequence, rise, stuck, outlier: over the rule's candidates (a side output of the selector)
 *       a FlinkCEP operator of its pattern (given only the events that can change its matches,
 *       {@link RulePatterns#firingInput}) and one of its resolution (likewise,
 *       {@link RulePatterns#resolvingInput}), both into the rule's
 *       {@link AlertLifecycle}: FIRING, no repeat while open, RESOLVED, cooldown;
 * </ul>
 * → one stream of alerts. Every operator's uid is made of its rule's id and definition, so a
 * restart from a savepoint keeps the state of the rules that did not change; its name says what
 * it is and of which rule.
 */
public final class RuleOperators {

    static final String SELECTOR_NAME = "Select alert candidates";
    static final String SELECTOR_UID = "select-alert-candidates";

    private final List<Rule> rules;
    /** The rules that compile to patterns, in the order of the selector's side outputs. */
    private final List<Rule> patternRules = new ArrayList<>();
    /** The silence rules, in order: their index in {@link SilenceEvent#rules}. */
    private final List<SilenceRule> silences = new ArrayList<>();
    private final Duration forgetSensorAfter;
    private final int sensorCountWarning;

    /**
     * {@code forgetSensorAfter}: a sensor's state in the selector and in each rule's lifecycle goes
     * that long after its last reading; {@code sensorCountWarning}: the selector warns above this many sensors.
     */
    public RuleOperators(List<Rule> rules, Duration forgetSensorAfter, int sensorCountWarning) {
        this.rules = List.copyOf(rules);
        for (Rule rule : rules) {
            if (CompiledRule.compiles(rule)) {
                patternRules.add(rule);
            } else {
                silences.add((SilenceRule) rule);
            }
        }
        this.forgetSensorAfter = forgetSensorAfter;
        this.sensorCountWarning = sensorCountWarning;
    }

    /** A FlinkCEP operator: its pattern over events of {@code type}, what turns its matches into alerts, its name and uid. */
    record Cep<E>(Pattern<E, E> pattern, PatternProcessFunction<E, Alert> toAlerts, Class<E> type, String name, String uid) {}

    /** What one rule becomes. */
    sealed interface Operators permits SilenceOperators, EpisodeOperators {
        Rule rule();
    }

    /** A silence rule: one CEP operator over the selector's silence events. */
    record SilenceOperators(SilenceRule rule, Cep<SilenceEvent> cep) implements Operators {}

    /** A sequence, rise, stuck or outlier rule: CEP of its matches and of its resolutions, both into its lifecycle. */
    record EpisodeOperators(EpisodeRule rule, FilterFunction<RuleEvent> firingInput, String firingInputName,
            String firingInputUid, Cep<RuleEvent> firing, FilterFunction<RuleEvent> resolvingInput,
            Cep<RuleEvent> resolution, AlertLifecycle lifecycle, String lifecycleName, String lifecycleUid)
            implements Operators {

        /** The name of the filter before the resolving operator, when it has one ({@link #resolvingInput} not null). */
        String resolvingInputName() {
            return "Resolving input: " + rule.id();
        }

        String resolvingInputUid() {
            return resolution.uid() + "-input";
        }
    }

    /** The operator that picks each rule's candidates from the on-time readings (a fresh one per call). */
    SelectAlertCandidates selector() {
        return new SelectAlertCandidates(patternRules, silences, forgetSensorAfter.toMillis(), sensorCountWarning);
    }

    /** Per rule, in the rules' order, what it becomes (fresh functions per call). */
    List<Operators> perRule() {
        List<Operators> all = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule instanceof SilenceRule silence) {
                // One event per silence start or end, not per reading: the pattern decides with the rule's after.
                all.add(new SilenceOperators(silence, new Cep<>(RulePatterns.silenceOverQuiet(silence, silences.indexOf(silence)),
                        new MatchToSilenceAlert(silence), SilenceEvent.class, "CEP silence: " + rule.id(),
                        CompiledRule.silenceUid(silence))));
            } else {
                EpisodeRule episodes = (EpisodeRule) rule;
                CompiledRule compiled = CompiledRule.of(rule);
                String kind = rule.kind();
                all.add(new EpisodeOperators(episodes,
                        RulePatterns.firingInput(episodes), "Firing input: " + rule.id(), CompiledRule.patternUid(rule) + "-input",
                        new Cep<>(compiled.pattern(), new MatchToAlert(rule), RuleEvent.class, "CEP " + kind + ": " + rule.id(),
                                CompiledRule.patternUid(rule)),
                        RulePatterns.resolvingInput(episodes),
                        new Cep<>(compiled.resolution(), new MatchToResolution(episodes), RuleEvent.class,
                                "CEP " + kind + " resolved: " + rule.id(), CompiledRule.resolutionUid(episodes)),
                        new AlertLifecycle(episodes, forgetSensorAfter), "Alert lifecycle: " + rule.id(),
                        CompiledRule.lifecycleUid(rule)));
            }
        }
        return all;
    }

    /** The job's alert operators over {@code onTime}, the readings ahead of the watermark: one stream of alerts. */
    public DataStream<Alert> alerts(DataStream<Reading> onTime) {
        SingleOutputStreamOperator<SilenceEvent> selected = onTime
                .transform(SELECTOR_NAME, TypeInformation.of(SilenceEvent.class), selector())
                .uid(SELECTOR_UID);
        List<DataStream<Alert>> perRule = new ArrayList<>();
        for (Operators ops : perRule()) {
            if (ops instanceof SilenceOperators s) {
                perRule.add(cep(selected.keyBy(e -> e.sensorId, Types.STRING), s.cep()));
            } else if (ops instanceof EpisodeOperators e) {
                DataStream<RuleEvent> picks = selected.getSideOutput(SelectAlertCandidates.ruleOutput(e.rule()));
                // The firing pattern gets only the events that can change its matches (chained, before the network).
                KeyedStream<RuleEvent, String> firingCandidates = picks
                        .filter(e.firingInput()).name(e.firingInputName()).uid(e.firingInputUid())
                        .keyBy(c -> c.sensorId, Types.STRING);
                // Likewise the resolving pattern, when it needs only some (a sequence's: the stretches' ends).
                DataStream<RuleEvent> resolving = e.resolvingInput() == null ? picks
                        : picks.filter(e.resolvingInput()).name(e.resolvingInputName()).uid(e.resolvingInputUid());
                KeyedStream<RuleEvent, String> candidates = resolving.keyBy(c -> c.sensorId, Types.STRING);
                perRule.add(cep(firingCandidates, e.firing()).union(cep(candidates, e.resolution()))
                        .keyBy(a -> a.sensorId, Types.STRING)
                        .process(e.lifecycle(), TypeInformation.of(Alert.class))
                        .name(e.lifecycleName())
                        .uid(e.lifecycleUid()));
            }
        }
        DataStream<Alert> all = perRule.get(0);
        for (int i = 1; i < perRule.size(); i++) {
            all = all.union(perRule.get(i));
        }
        return all;
    }

    private static <E> DataStream<Alert> cep(KeyedStream<E, String> events, Cep<E> cep) {
        return CEP.pattern(events, cep.pattern())
                .inEventTime()
                .process(cep.toAlerts(), TypeInformation.of(Alert.class))
                .name(cep.name())
                .uid(cep.uid());
    }
}
