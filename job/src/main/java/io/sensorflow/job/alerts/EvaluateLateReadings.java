package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Late;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.cep.CandidateSelector;
import io.sensorflow.rules.cep.RuleEvent;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.OutputTag;

/**
 * Gives a reading late for rules (at or behind the watermark when it arrived, still counted in its
 * window) to the rules with {@code late: evaluate}, in its place in the sensor's event-time order,
 * when it has one: when it is newer than every reading of the sensor the rules were given before
 * it (on time, or late and evaluated). That is the offline sensor's case: the firmware queues its
 * readings and sends them oldest first on reconnecting, so each is the sensor's next reading. An
 * older one would have to go into a stretch of time the rules have already judged; it stays
 * skipped (counted in {@code readingsLateForRules} as every late one, and in
 * {@value #TOO_OLD}).
 *
 * <p>A reading that is late for rules yet newer than every reading of its sensor given to the
 * rules was judged by its own partition's clock, which can be ahead of the watermark that this
 * operator holds readings against; so the sensor may have readings held, all older than it (held
 * readings are ahead of the watermark, and it is newer than they are). They are released first,
 * now, in order: every reading of the sensor the rules will still be given is newer than this one
 * (a later one is either on time, so ahead of the time that judged this one late, or late and
 * then evaluated only if newer still), so the order the rules see is the one the watermark would
 * have released.
 *
 * <p>Its events go to the rules' CEP operators stamped ahead of the watermark forwarded last
 * (and at the reading's own time when that is further), never behind an event of the sensor sent
 * before; the patterns read the events' own times. The event of the late reading says so
 * ({@link RuleEvent#late}, with {@link RuleEvent#detectionDelayMs}: the time it was judged
 * against minus its own), and so do the alerts it completes. Silence rules do not take late
 * readings: the sensor's silence state (its latest reading) is that of its on-time readings.
 */
public final class EvaluateLateReadings {

    /** Late readings for rules that were older than a reading of their sensor given to the rules before them. */
    public static final String TOO_OLD = "readingsLateTooOldToEvaluate";
    /** Late readings for rules given to the rules with late: evaluate. */
    public static final String EVALUATED = "readingsLateEvaluated";

    /** Sends a rule's event on its side output, stamped. */
    interface Emit {
        void to(OutputTag<RuleEvent> tag, RuleEvent e, long stamp);
    }

    private final CandidateSelector<Object>[] selectors;
    private final Metric[] metrics;
    /** Per rule, whether it evaluates late readings. */
    private final boolean[] evaluates;
    private final Consumer<RuleEvent>[] emitters;
    private long time;
    private long delay;
    private long stamp;
    private Counter evaluated;
    private Counter tooOld;

    /** Whether any of {@code rules} evaluates late readings: only then do they reach the alert rules at all. */
    public static boolean anyEvaluates(List<Rule> rules) {
        for (Rule rule : rules) {
            if (rule instanceof EpisodeRule e && e.late() == Late.EVALUATE) {
                return true;
            }
        }
        return false;
    }

    /** For the pattern rules {@code rules} with their selectors and metrics, in that order; null when none evaluates late readings. */
    static EvaluateLateReadings of(List<Rule> rules, CandidateSelector<Object>[] selectors, Metric[] metrics, Emit emit) {
        return anyEvaluates(rules) ? new EvaluateLateReadings(rules, selectors, metrics, emit) : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private EvaluateLateReadings(List<Rule> rules, CandidateSelector<Object>[] selectors, Metric[] metrics, Emit emit) {
        this.selectors = selectors;
        this.metrics = metrics;
        this.evaluates = new boolean[rules.size()];
        this.emitters = new Consumer[rules.size()];
        for (int k = 0; k < evaluates.length; k++) {
            evaluates[k] = ((EpisodeRule) rules.get(k)).late() == Late.EVALUATE;
            OutputTag<RuleEvent> tag = SelectAlertCandidates.ruleOutput(rules.get(k));
            emitters[k] = e -> {
                // A selector may send readings it held with this one (a sequence's run): only the
                // event of the late reading is late; what it completes is detected now.
                if (e.timestamp == time) {
                    e.late = true;
                    e.detectionDelayMs = delay;
                }
                emit.to(tag, e, stamp);
            };
        }
    }

    void open(MetricGroup metrics) {
        evaluated = metrics.counter(EVALUATED);
        tooOld = metrics.counter(TOO_OLD);
    }

    /**
     * A reading late for rules of the sensor {@code s}; {@code watermark} is the last one forwarded
     * (CEP's is at most that).
     */
    void evaluate(SelectAlertCandidates op, SensorState s, Reading r, long watermark) {
        long t = r.eventTime;
        HeldReadings held = s.readings;
        if (t <= s.lastTime() || t <= s.lateTo || held.held() > 0 && t <= held.lastHeld()) {
            tooOld.inc();
            return;
        }
        if (held.held() > 0) {
            op.releaseUpTo(s, t); // all older than it, and ahead of the watermark: see the class comment
        }
        s.lateTo = t;
        time = t;
        delay = r.judgedBy - t;
        // Never behind the stamp of the sensor's last late events, which CEP may still hold: after a
        // restore this operator's watermark starts afresh, and CEP takes events in stamp order.
        stamp = Math.max(Math.max(watermark + 1, t), s.lateStamp);
        s.lateStamp = stamp;
        evaluated.inc();
        RuleScopes.SensorRules in = s.rules;
        for (int k = 0; k < selectors.length; k++) {
            if (evaluates[k] && in.rule(k)) {
                selectors[k].accept(s.ruleStates[k], s.sensorId, t, Metrics.value(r, metrics[k]), emitters[k]);
            }
        }
    }
}
