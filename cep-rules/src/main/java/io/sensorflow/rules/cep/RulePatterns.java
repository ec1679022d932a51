package io.sensorflow.rules.cep;

import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** Each rule kind as a FlinkCEP pattern over {@link RuleEvent}s. */
public final class RulePatterns {

    private RulePatterns() {}

    /**
     * {@code count} extreme events in a row within {@code within}. Fed by
     * {@link SequenceCandidates}, a reading within the threshold separates runs, and a run stops being fed once it has
     * matched; skipping past the match drops the partial matches it overlapped.
     */
    public static Pattern<RuleEvent, RuleEvent> sequence(SequenceRule rule) {
        return Pattern.<RuleEvent>begin("run", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.kind == RuleEvent.EXTREME))
                .times(rule.count())
                .consecutive()
                .within(rule.within());
    }

    /**
     * {@code resolveReadings} readings in a row that do not meet the rule, the first of them right
     * after one that does ({@link RuleEvent#BACK}): what resolves an episode. A partial match starts
     * only at that first reading, not at every reading of the row (which would keep
     * {@code resolveReadings} partial matches going per sensor), and a reading that meets the rule
     * ends it (strict contiguity). The selector passes on the first reading of each stretch that
     * meets the rule and the first {@code resolveReadings} after it that do not.
     */
    public static Pattern<RuleEvent, RuleEvent> resolved(EpisodeRule rule) {
        if (rule instanceof StuckRule) {
            return stuckResolved();
        }
        Pattern<RuleEvent, RuleEvent> back = Pattern.<RuleEvent>begin("back", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.kind == RuleEvent.BACK));
        if (rule.resolveReadings() == 1) {
            return back;
        }
        return back.next("more")
                .where(SimpleCondition.of(e -> e.kind == RuleEvent.NORMAL))
                .times(rule.resolveReadings() - 1)
                .consecutive();
    }

    /** The start of a rise episode, as {@link RiseCandidates} found it. */
    public static Pattern<RuleEvent, RuleEvent> rise(RiseRule rule) {
        double by = rule.by();
        return Pattern.<RuleEvent>begin("rise", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.kind == RuleEvent.RISE && e.value - e.fromValue >= by));
    }

    /**
     * A stuck run: a repeat (a reading equal to the run's first, so to the one before it) that is
     * the {@code readings}-th reading of its run, or at least {@code for} after the run's first
     * reading. One event, which carries the run: {@link StuckCandidates} passes on, of each run,
     * the first repeat that can match (a repeat before it cannot, one after it is the same
     * episode). So CEP keeps no partial match per run, whatever {@code readings} (up to 100,000).
     */
    public static Pattern<RuleEvent, RuleEvent> stuck(StuckRule rule) {
        if (rule.byReadings()) {
            long readings = rule.readings();
            return Pattern.<RuleEvent>begin("run", AfterMatchSkipStrategy.skipPastLastEvent())
                    .where(SimpleCondition.of(e -> e.kind == RuleEvent.REPEAT && e.value == e.fromValue
                            && e.runLength >= readings));
        }
        long forMs = rule.forDuration().toMillis();
        return Pattern.<RuleEvent>begin("run", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.kind == RuleEvent.REPEAT && e.value == e.fromValue
                        && e.timestamp - e.fromTime >= forMs));
    }

    /**
     * An outlier: a reading more than {@code k} standard deviations from the mean of the window
     * before it, the window holding at least {@code min_readings} readings and a standard deviation
     * above 0 ({@link OutlierRule#isOutlier}). One event, which carries its window's statistics:
     * {@link OutlierCandidates} keeps each sensor's window and passes on the first reading of each
     * stretch of outliers (a FIRING is due only there). CEP keeps no partial match.
     */
    public static Pattern<RuleEvent, RuleEvent> outlier(OutlierRule rule) {
        return Pattern.<RuleEvent>begin("outlier", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.kind == RuleEvent.OUTLIER
                        && rule.isOutlier(e.value, e.windowReadings, e.windowMean, e.windowSd)));
    }

    /** What resolves a stuck episode: the first reading with another value than the repeat before it. */
    private static Pattern<RuleEvent, RuleEvent> stuckResolved() {
        return Pattern.<RuleEvent>begin("back", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.kind == RuleEvent.BACK && e.value != e.fromValue));
    }

    /**
     * A reading not followed by another within {@code after}: the textbook silence pattern. It is
     * correct only when it sees every reading of the sensor, so it starts a partial match per
     * reading; the job runs {@link #silenceOverQuiet} instead, and a differential test (the job's
     * {@code SilenceDifferentialTest}) holds the two to the same alerts. The benchmark's
     * {@code --naive-cep} run measures what this one costs.
     */
    public static Pattern<RuleEvent, RuleEvent> silence(SilenceRule rule) {
        return Pattern.<RuleEvent>begin("last", AfterMatchSkipStrategy.skipPastLastEvent())
                .notFollowedBy("next")
                .within(rule.after());
    }

    /**
     * The silence rule as the job runs it, the {@code index}-th silence rule of the rule set, over
     * {@link SilenceEvent}s: a silence starts where the time known to be quiet after a sensor's
     * latest reading first reaches {@code after} (the watermark at that reading plus {@code after},
     * nothing heard in between: a reading exactly {@code after} later is heard in between), and ends
     * at the first reading more than {@code after} after the one before it. One event, one match:
     * the selector sends a sensor's events only when its quiet time may reach the shortest
     * {@code after} of its rules, or when a gap that long ends, so CEP's work grows with silences,
     * not with readings, and it keeps no partial match.
     */
    public static Pattern<SilenceEvent, SilenceEvent> silenceOverQuiet(SilenceRule rule, int index) {
        long after = rule.after().toMillis();
        return Pattern.<SilenceEvent>begin("silence", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.appliesTo(index) && e.kind == SilenceEvent.QUIET
                        && e.quietFrom - e.last < after && e.quietTo - e.last >= after))
                .or(SimpleCondition.of(e -> e.appliesTo(index) && e.kind == SilenceEvent.BACK
                        && e.back - e.last > after));
    }
}
