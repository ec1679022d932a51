package io.sensorflow.rules.cep;

import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.flink.cep.pattern.Pattern;

/**
 * A sequence, rise, stuck or outlier rule, compiled: its CEP pattern, the pattern that resolves its episodes, the
 * selector that feeds both, and the uids of its operators.
 */
public record CompiledRule(Rule rule, Pattern<RuleEvent, RuleEvent> pattern, CandidateSelector<?> selector) {

    public static CompiledRule of(Rule rule) {
        if (rule instanceof SequenceRule s) {
            return new CompiledRule(rule, RulePatterns.sequence(s), new SequenceCandidates(s));
        }
        if (rule instanceof RiseRule r) {
            return new CompiledRule(rule, RulePatterns.rise(r), new RiseCandidates(r));
        }
        if (rule instanceof StuckRule s) {
            return new CompiledRule(rule, RulePatterns.stuck(s), new StuckCandidates(s));
        }
        if (rule instanceof OutlierRule o) {
            return new CompiledRule(rule, RulePatterns.outlier(o), new OutlierCandidates(o));
        }
        throw new IllegalArgumentException("rule '" + rule.id() + "' is a " + rule.getClass().getSimpleName()
                + ", which does not compile to a pattern the job runs; silence has its own operator");
    }

    /** The pattern that resolves the rule's episodes. */
    public Pattern<RuleEvent, RuleEvent> resolution() {
        return RulePatterns.resolved((EpisodeRule) rule);
    }

    public static boolean compiles(Rule rule) {
        return !(rule instanceof SilenceRule);
    }

    /**
     * The uid of the rule's operators: its id plus a fingerprint of its definition (its scope
     * included). A rule whose
     * definition changed starts with fresh state (its old partial matches would answer the old
     * question), an unchanged rule keeps its state across a restart from a savepoint.
     */
    public static String uid(Rule rule) {
        String definition;
        if (rule instanceof SequenceRule s) {
            definition = "sequence|" + s.metric() + "|" + s.above() + "|" + s.threshold() + "|" + s.count()
                    + "|" + s.within().toMillis();
        } else if (rule instanceof RiseRule r) {
            definition = "rise|" + r.metric() + "|" + r.by() + "|" + r.within().toMillis();
        } else if (rule instanceof StuckRule s) {
            definition = "stuck|" + s.metric() + "|" + (s.byReadings() ? "readings|" + s.readings()
                    : "for|" + s.forDuration().toMillis());
        } else if (rule instanceof OutlierRule o) {
            // min_readings changes which readings are outliers, so it is part of the definition.
            definition = "outlier|" + o.metric() + "|" + o.k() + "|" + (o.byReadings() ? "readings|" + o.windowReadings()
                    : "duration|" + o.windowDuration().toMillis()) + "|min|" + o.minReadings();
        } else {
            definition = "silence|" + ((SilenceRule) rule).after().toMillis();
        }
        if (!rule.scope().isAll()) {
            definition += "|scope|" + rule.scope().definition(); // none: the uids rules had before scopes
        }
        String fingerprint = UUID.nameUUIDFromBytes(definition.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        return "rule-" + rule.id() + "-" + fingerprint;
    }

    /**
     * The uid of the operator matching a rule's resolution: its partial matches count toward
     * {@code resolveReadings}, so a rule that changed that starts it afresh.
     */
    public static String resolutionUid(EpisodeRule rule) {
        String form = rule instanceof SequenceRule || rule instanceof RiseRule ? STRETCH_RESOLUTION_FORM : PATTERN_FORM;
        return uid(rule) + "-" + form + "-resolved-" + rule.resolveReadings();
    }

    /**
     * The form of a sequence's and a rise's resolving pattern: p3 since it is one event that carries
     * its stretch ({@link RulePatterns#sequenceResolved}, {@link RulePatterns#riseResolved}); a
     * partial match of the p2 form ("met", then "back" events) has no place in it, so that operator
     * starts afresh (a savepoint of the older form restores with --allowNonRestoredState).
     */
    static final String STRETCH_RESOLUTION_FORM = "p3";

    /**
     * The form of the firing and resolving patterns, in their operators' uids. FlinkCEP keeps a
     * partial match by the names of its pattern's states; restored into a pattern of another form
     * (issue 13 renamed and reshaped them: "more" is gone, "met" and "last" are new) it would
     * refer to states that do not exist. A new form therefore starts those two operators afresh
     * (a savepoint of the older form restores with --allowNonRestoredState); the selector's and the
     * lifecycle's state keep their uids. Unversioned: before issue 13's part 1; p2: since.
     */
    static final String PATTERN_FORM = "p2";

    /** The uid of the operator matching a rule's firing pattern. */
    public static String patternUid(Rule rule) {
        return uid(rule) + "-" + PATTERN_FORM;
    }

    /**
     * The uid of a silence rule's CEP operator. Before silence went through CEP, the rule's uid
     * named a timer function whose keyed state CEP cannot read: a savepoint of that job restores
     * into this one with {@code --allowNonRestoredState} (that state is dropped; the selector's,
     * which holds each sensor's latest reading, is kept).
     */
    public static String silenceUid(SilenceRule rule) {
        return uid(rule) + "-cep";
    }

    /** The uid of the operator that keeps each episode's life (open, resolved, cooled down): it survives a changed resolution or cooldown. */
    public static String lifecycleUid(Rule rule) {
        return uid(rule) + "-lifecycle";
    }
}
