package io.sensorflow.rules.cep;

import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** Each rule kind as a FlinkCEP pattern over {@link RuleEvent}s. */
public final class RulePatterns {

    private RulePatterns() {}

    /**
     * {@code count} readings in a row past the threshold, the last less than {@code within} after
     * the first: a match at every reading where that holds (no skipping: which of them makes an
     * alert is the episode's life, {@code AlertLifecycle}). {@code within} is a condition on the
     * readings' own times rather than FlinkCEP's {@code within()}, which reads the records'
     * timestamps: {@link SequenceCandidates} holds the first readings of a run until the run is
     * long enough to match and then sends them stamped with the time of the one that completed it.
     * With every reading fed, this is the textbook
     * {@code begin.where(past).times(count).consecutive().within(within)}.
     */
    public static Pattern<RuleEvent, RuleEvent> sequence(SequenceRule rule) {
        long withinMs = rule.within().toMillis();
        SequenceRule r = rule;
        return Pattern.<RuleEvent>begin("run", AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(e -> r.isExtreme(e.value)))
                .times(rule.count() - 1)
                .consecutive()
                .next("last")
                .where(new IterativeCondition<RuleEvent>() {
                    @Override
                    public boolean filter(RuleEvent e, Context<RuleEvent> ctx) throws Exception {
                        return r.isExtreme(e.value)
                                && e.timestamp - ctx.getEventsForPattern("run").iterator().next().timestamp < withinMs;
                    }
                });
    }

    /**
     * Which of a rule's events its firing pattern ({@link CompiledRule#pattern}) needs; the resolving
     * pattern needs them all. Left out, as they change no match of it: a {@link RuleEvent#NORMAL},
     * which meets no firing condition (a sequence's is within the threshold, a rise's rises by too
     * little, an outlier's carries no statistics) and comes only right after a {@link RuleEvent#BACK}
     * or another {@code NORMAL}, so no partial match of a sequence is open when it comes; and, but for
     * a sequence, whose run a {@code BACK} ends, a {@code BACK}, which meets no firing condition of the
     * one-event patterns (no rise, another value than the repeat, no statistics). On an episode's
     * way to its resolution the firing pattern so gets one event, or none, instead of
     * {@code resolve.readings}.
     */
    public static FilterFunction<RuleEvent> firingInput(EpisodeRule rule) {
        if (rule instanceof SequenceRule) {
            return e -> e.kind != RuleEvent.NORMAL;
        }
        return e -> e.kind != RuleEvent.NORMAL && e.kind != RuleEvent.BACK;
    }

    /**
     * Which of a rule's events its resolving pattern ({@link #resolved}) needs, or null when it
     * needs them all. A sequence's or rise's resolution is one event ({@link #sequenceResolved},
     * {@link #riseResolved}), so it needs only the readings that do not meet the rule and are the
     * {@code resolve.readings}-th of their stretch: an {@link RuleEvent#EXTREME} or
     * {@link RuleEvent#RISE}, or a reading earlier in its stretch, meets no condition of it.
     */
    public static FilterFunction<RuleEvent> resolvingInput(EpisodeRule rule) {
        if (rule instanceof SequenceRule || rule instanceof RiseRule) {
            long m = rule.resolveReadings();
            return e -> (e.kind == RuleEvent.BACK || e.kind == RuleEvent.NORMAL) && e.runLength == m;
        }
        return null;
    }

    /**
     * What resolves an episode: {@code resolveReadings} readings in a row that do not meet the rule
     * right after one that does (a match at the last of them). A stuck rule's: a reading with
     * another value than the repeat before it.
     */
    public static Pattern<RuleEvent, RuleEvent> resolved(EpisodeRule rule) {
        if (rule instanceof StuckRule) {
            return stuckResolved();
        }
        if (rule instanceof SequenceRule s) {
            return sequenceResolved(s);
        }
        if (rule instanceof RiseRule r) {
            return riseResolved(r);
        }
        SimpleCondition<RuleEvent> meets;
        SimpleCondition<RuleEvent> not;
        if (rule instanceof SequenceRule s) {
            meets = SimpleCondition.of(e -> s.isExtreme(e.value));
            not = SimpleCondition.of(e -> !s.isExtreme(e.value));
        } else if (rule instanceof OutlierRule o) {
            // OutlierCandidates sends outliers with their window's statistics, and the readings after
            // one while an episode may be open without them.
            meets = SimpleCondition.of(e -> isOutlier(o, e));
            not = SimpleCondition.of(e -> !isOutlier(o, e));
        } else {
            RiseRule r = (RiseRule) rule;
            meets = SimpleCondition.of(e -> rises(r, e));
            not = SimpleCondition.of(e -> !rises(r, e));
        }
        return Pattern.<RuleEvent>begin("met", AfterMatchSkipStrategy.noSkip())
                .where(meets)
                .next("back")
                .where(not)
                .times(rule.resolveReadings())
                .consecutive();
    }

    /**
     * What resolves a sequence's episode, as one event: a reading within the threshold that is the
     * {@code resolve.readings}-th in a row ({@link RuleEvent#runLength}, its place in its stretch)
     * right after one past the threshold (the one it carries, {@link RuleEvent#metTime} and
     * {@link RuleEvent#metValue}; {@link RuleEvent#NONE} when none is known); a match at that
     * reading. {@link RuleEvent#episodeStart} is the stretch's first reading, where the RESOLVED's
     * span starts. {@link SequenceCandidates} counts the stretch, as it counts a run, since its
     * readings are mostly behind the watermark: so CEP keeps no partial match per stretch and gets
     * one event per resolution instead of {@code resolve.readings + 1}. With every reading fed and
     * counted, this is the textbook {@code begin.where(past).next.where(within).times(M).consecutive()}.
     */
    static Pattern<RuleEvent, RuleEvent> sequenceResolved(SequenceRule rule) {
        long m = rule.resolveReadings();
        return Pattern.<RuleEvent>begin(STRETCH, AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(e -> !rule.isExtreme(e.value) && e.runLength == m
                        && e.metTime != RuleEvent.NONE && rule.isExtreme(e.metValue)));
    }

    /**
     * What resolves a rise's episode, as one event, like a sequence's ({@link #sequenceResolved}): a
     * reading without a rise (on what it carries) that is the {@code resolve.readings}-th in a row
     * right after one with a rise (the reading it carries, {@link RuleEvent#metTime} and after, with
     * the reading that one rose from, which the condition checks against the rule). With every
     * reading fed and counted, the textbook {@code begin("met").where(rises).next("back").where(no
     * rise).times(M).consecutive()}. {@link RiseCandidates} counts the stretch.
     */
    static Pattern<RuleEvent, RuleEvent> riseResolved(RiseRule rule) {
        long m = rule.resolveReadings();
        return Pattern.<RuleEvent>begin(STRETCH, AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(e -> !rises(rule, e) && e.runLength == m && e.metTime != RuleEvent.NONE
                        && rises(rule, e.metTime, e.metValue, e.metFromTime, e.metFromValue)));
    }

    /** The name of {@link #sequenceResolved}'s one state: its match is the stretch's last reading, carrying the stretch. */
    public static final String STRETCH = "stretch";

    /**
     * A reading at least {@code by} above the reading it carries ({@link RuleEvent#fromTime}: the
     * lowest of the sensor's readings less than {@code within} before it, which
     * {@link RiseCandidates} keeps, since that reading is usually behind the watermark, where CEP
     * cannot look back at it). One event: a match at every rising reading fed.
     */
    public static Pattern<RuleEvent, RuleEvent> rise(RiseRule rule) {
        return Pattern.<RuleEvent>begin("rise", AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(e -> rises(rule, e)));
    }

    /** Whether {@code e} rises by the rule's {@code by} over the reading it carries, within the rule's {@code within}. */
    public static boolean rises(RiseRule rule, RuleEvent e) {
        return rises(rule, e.timestamp, e.value, e.fromTime, e.fromValue);
    }

    /** {@link #rises(RiseRule, RuleEvent)} on the fields of an event not made yet. */
    static boolean rises(RiseRule rule, long timestamp, double value, long fromTime, double fromValue) {
        return fromTime != RuleEvent.NONE && value - fromValue >= rule.by() && timestamp - fromTime < rule.within().toMillis();
    }

    /**
     * A stuck run: a reading equal to the first of its run ({@link RuleEvent#fromValue}, so to every
     * one between) that is at least the {@code readings}-th of the run, or at least {@code for}
     * after its first reading. One event, which carries its run, so CEP keeps no partial match per
     * run, whatever {@code readings} (up to 100,000); a match at every such reading fed.
     */
    public static Pattern<RuleEvent, RuleEvent> stuck(StuckRule rule) {
        if (rule.byReadings()) {
            long readings = rule.readings();
            return Pattern.<RuleEvent>begin("run", AfterMatchSkipStrategy.noSkip())
                    .where(SimpleCondition.of(e -> e.value == e.fromValue && e.runLength >= readings));
        }
        long forMs = rule.forDuration().toMillis();
        return Pattern.<RuleEvent>begin("run", AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(e -> e.value == e.fromValue && e.runLength >= 2
                        && e.timestamp - e.fromTime >= forMs));
    }

    /**
     * An outlier: a reading more than {@code k} standard deviations from the mean of the window
     * before it, the window holding at least {@code min_readings} readings and a standard deviation
     * above 0 ({@link OutlierRule#isOutlier}). One event, which carries its window's statistics
     * ({@link OutlierCandidates} keeps each sensor's window, which CEP could not: most of it is
     * behind the watermark); a match at every outlier fed. CEP keeps no partial match.
     */
    public static Pattern<RuleEvent, RuleEvent> outlier(OutlierRule rule) {
        return Pattern.<RuleEvent>begin("outlier", AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(e -> isOutlier(rule, e)));
    }

    private static boolean isOutlier(OutlierRule rule, RuleEvent e) {
        return e.kind == RuleEvent.OUTLIER && rule.isOutlier(e.value, e.windowReadings, e.windowMean, e.windowSd);
    }

    /** What resolves a stuck episode: a reading with another value than the one before it, that one a repeat (its run 2 or more). */
    private static Pattern<RuleEvent, RuleEvent> stuckResolved() {
        return Pattern.<RuleEvent>begin("back", AfterMatchSkipStrategy.noSkip())
                .where(SimpleCondition.of(e -> e.value != e.fromValue && e.runLength >= 2));
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
