package io.sensorflow.job.alerts;

import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.cep.CandidateSelector;
import io.sensorflow.rules.cep.CompiledRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The pattern rules as the candidate selection knows them, in the order of their side outputs:
 * per rule its {@link CandidateSelector}, the uid its state is kept under, and its metric.
 */
final class RuleSelectors {

    final CandidateSelector<Object>[] selectors;
    final Metric[] metrics;
    /** The metrics some rule reads, the only ones held; and per metric ordinal whether it is one. */
    final Metric[] usedMetrics;
    final boolean[] metricUsed;
    /** The longest {@code within}, cooldown or window of the rules: an unclaimed entry that old can start no match and leaves out none. */
    final long longestWindowMs;
    private final List<String> uids = new ArrayList<>();

    @SuppressWarnings("unchecked")
    RuleSelectors(List<Rule> rules) {
        int n = rules.size();
        selectors = new CandidateSelector[n];
        metrics = new Metric[n];
        metricUsed = new boolean[Metric.values().length];
        long longest = 0;
        for (int i = 0; i < n; i++) {
            Rule rule = rules.get(i);
            selectors[i] = (CandidateSelector<Object>) CompiledRule.of(rule).selector();
            uids.add(CompiledRule.uid(rule));
            metrics[i] = ((EpisodeRule) rule).metric();
            longest = Math.max(longest, windowOf(rule));
            metricUsed[metrics[i].ordinal()] = true;
        }
        longestWindowMs = longest;
        List<Metric> used = new ArrayList<>();
        for (Metric m : Metric.values()) {
            if (metricUsed[m.ordinal()]) {
                used.add(m);
            }
        }
        usedMetrics = used.toArray(new Metric[0]);
    }

    int size() {
        return selectors.length;
    }

    /** The uid rule {@code k}'s state is kept under. */
    String uid(int k) {
        return uids.get(k);
    }

    /** The index of the rule whose state is kept under {@code uid}, or -1 (a rule removed or changed). */
    int indexOf(String uid) {
        return uids.indexOf(uid);
    }

    /** A fresh state per rule. */
    Object[] newStates() {
        Object[] states = new Object[selectors.length];
        for (int k = 0; k < states.length; k++) {
            states[k] = selectors[k].newState();
        }
        return states;
    }

    /** Whether every rule's state is as good as fresh at {@code watermark}. */
    boolean allEmpty(Object[] states, long watermark) {
        for (int k = 0; k < states.length; k++) {
            if (!selectors[k].isEmpty(states[k], watermark)) {
                return false;
            }
        }
        return true;
    }

    /**
     * How long a rule's state can matter to a sensor quiet since its last reading, for copies left
     * unclaimed after a rescale. A stuck run has no such bound (the next reading may repeat the
     * last): a {@code for} rule counts its duration, a {@code readings} one nothing, so after a
     * rescale a sensor whose partition stays idle until the watermark has passed its last reading
     * starts its run afresh.
     */
    private static long windowOf(Rule rule) {
        // Every selector follows the episodes' life: its state may leave matches out while a
        // cooldown lasts, and a fresh one, which knows of none, would leave out the wrong ones.
        long cooldown = ((EpisodeRule) rule).cooldown().toMillis();
        if (rule instanceof SequenceRule s) {
            return Math.max(cooldown, s.within().toMillis());
        }
        if (rule instanceof StuckRule s) {
            return Math.max(cooldown, s.byReadings() ? 0 : s.forDuration().toMillis());
        }
        if (rule instanceof OutlierRule o) { // a window of readings, like a stuck run, has no such bound
            return Math.max(cooldown, o.byReadings() ? 0 : o.windowDuration().toMillis());
        }
        return Math.max(cooldown, ((RiseRule) rule).within().toMillis());
    }
}
