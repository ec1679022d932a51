package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.SensorSlot;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.SilenceRule;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which alert rules apply to a sensor, decided once per sensor: when its state is made, or taken
 * from its slot, where it was kept the last time (a regex match per reading would cost more than
 * the rules).
 */
final class RuleScopes {

    /** Per pattern rule its scope, or null when no rule (silence included) has one: then every sensor is in every rule. */
    private final SensorScope[] ruleScopes;
    /** The silence rules' scopes, in the order of their indexes ({@link io.sensorflow.rules.cep.SilenceEvent#rules}); null when none has one. */
    private final SensorScope[] silenceScopes;
    /** The silence rules' thresholds, in that order. */
    private final long[] silenceAfters;
    private final SensorRules all;

    /** {@code rules}: the pattern rules, in the order of their selectors; {@code silences}: the silence rules, in theirs. */
    RuleScopes(List<Rule> rules, List<SilenceRule> silences) {
        this.silenceAfters = silences.stream().mapToLong(r -> r.after().toMillis()).toArray();
        boolean anySilence = silences.stream().anyMatch(s -> !s.scope().isAll());
        this.silenceScopes = anySilence ? silences.stream().map(SilenceRule::scope).toArray(SensorScope[]::new) : null;
        boolean any = anySilence || rules.stream().anyMatch(r -> !r.scope().isAll());
        this.ruleScopes = any ? rules.stream().map(Rule::scope).toArray(SensorScope[]::new) : null;
        this.all = new SensorRules(null, null, deadlines(null));
    }

    /** The rules that apply to {@code sensorId}; kept in {@code slot} (when not null) for its next reading. */
    SensorRules of(String sensorId, SensorSlot slot) {
        if (ruleScopes == null) {
            return all;
        }
        if (slot != null && slot.alertScopes instanceof SensorRules kept) {
            return kept;
        }
        boolean[] in = new boolean[ruleScopes.length];
        for (int k = 0; k < in.length; k++) {
            in[k] = ruleScopes[k].includes(sensorId);
        }
        boolean[] silences = null;
        if (silenceScopes != null) {
            silences = new boolean[silenceScopes.length];
            for (int j = 0; j < silences.length; j++) {
                silences[j] = silenceScopes[j].includes(sensorId);
            }
        }
        SensorRules rules = new SensorRules(in, silences, deadlines(silences));
        if (slot != null) {
            slot.alertScopes = rules;
        }
        return rules;
    }

    /** The longest silence threshold, 0 when there is no silence rule. */
    long longestSilence() {
        long longest = 0;
        for (long after : silenceAfters) {
            longest = Math.max(longest, after);
        }
        return longest;
    }

    /** The distinct thresholds of the silence rules that apply ({@code in}, null: all), ascending. */
    private long[] deadlines(boolean[] in) {
        return IntStream.range(0, silenceAfters.length).filter(j -> in == null || in[j])
                .mapToLong(j -> silenceAfters[j]).distinct().sorted().toArray();
    }

    /**
     * Which rules apply to one sensor: per pattern rule ({@code rules}, null when all do), per
     * silence rule ({@code silences}, null when all do), and the distinct thresholds of the silence
     * rules that do, ascending (empty when none does).
     */
    record SensorRules(boolean[] rules, boolean[] silences, long[] silenceAfters) {

        boolean rule(int k) {
            return rules == null || rules[k];
        }

        boolean anySilence() {
            return silenceAfters.length > 0;
        }
    }
}
