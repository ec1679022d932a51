package io.sensorflow.job.alerts;

import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.RulePatterns;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a CEP match of a rule's resolution (enough readings in a row that no longer meet it) into
 * a RESOLVED alert that names no episode yet: {@link AlertLifecycle} gives it the
 * open episode's id and span, or drops it when none is open.
 */
public final class MatchToResolution extends PatternProcessFunction<RuleEvent, Alert> {

    private static final long serialVersionUID = 1L;

    private final EpisodeRule rule;

    public MatchToResolution(EpisodeRule rule) {
        this.rule = rule;
    }

    @Override
    public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<Alert> out) {
        List<RuleEvent> stretch = match.get(RulePatterns.STRETCH);
        RuleEvent last;
        long spanStart;
        if (stretch != null) { // one event that carries its stretch: its first reading is the span's start
            last = stretch.get(0);
            spanStart = last.episodeStart;
        } else {
            List<RuleEvent> back = match.get("back");
            last = back.get(back.size() - 1);
            spanStart = back.get(0).timestamp;
        }
        Alert a = AlertCandidates.resolution(rule, last.sensorId, spanStart, last.timestamp, last.value);
        MatchToAlert.lateIf(a, last);
        out.collect(a);
    }
}
