package io.sensorflow.benchmark;

import io.sensorflow.oracle.AcceptedReading;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.rules.cep.CandidateSelector;
import io.sensorflow.rules.cep.CompiledRule;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.RulePatterns;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FilterFunction;

/**
 * How many events each rule's CEP operators get per reading on a workload: the workload's accepted
 * readings, per sensor in event-time order (as the job releases them once the watermark has passed
 * them), through each sequence, rise, stuck and outlier rule's candidate selector, the code the job
 * runs. The resolving pattern's operator gets the events {@link RulePatterns#resolvingInput} lets
 * through (every event the selector sends when it has none), the firing pattern's those
 * {@link RulePatterns#firingInput} lets through; the kinds counted are all the selector sent. Silence rules are left out: their events come from the job's own selection, one
 * or two per silence, and these workloads have none. No Kafka, no job: a count, not a timing.
 */
final class CepEventCount {

    private CepEventCount() {}

    static List<String> count(SimulatorSettings settings, RuleSet rules) throws Exception {
        List<AcceptedReading> readings = new ArrayList<>(Simulator.acceptedReadings(settings));
        readings.sort(Comparator.comparing(AcceptedReading::sensorId).thenComparingLong(AcceptedReading::eventTime));
        List<String> lines = new ArrayList<>();
        lines.add(String.format("CEP events per reading (%,d readings accepted), per rule: its resolving operator gets"
                + " those of RulePatterns.resolvingInput, its firing operator those of RulePatterns.firingInput:", readings.size()));
        for (Rule rule : rules.rules()) {
            if (!CompiledRule.compiles(rule)) {
                continue;
            }
            EpisodeRule episodes = (EpisodeRule) rule;
            @SuppressWarnings("unchecked")
            CandidateSelector<Object> selector = (CandidateSelector<Object>) CompiledRule.of(rule).selector();
            Map<Byte, long[]> byKind = new HashMap<>();
            long[] events = {0, 0};
            FilterFunction<RuleEvent> firing = RulePatterns.firingInput(episodes);
            FilterFunction<RuleEvent> resolving = RulePatterns.resolvingInput(episodes);
            String sensor = null;
            Object state = null;
            for (AcceptedReading r : readings) {
                if (!rule.scope().includes(r.sensorId())) {
                    continue;
                }
                if (!r.sensorId().equals(sensor)) {
                    sensor = r.sensorId();
                    state = selector.newState();
                }
                Double v = switch (episodes.metric()) {
                    case TEMPERATURE -> r.temperature();
                    case HUMIDITY -> r.humidity();
                    case DISTANCE_CM -> r.distanceCm();
                };
                selector.accept(state, sensor, r.eventTime(), v == null ? Double.NaN : v, (RuleEvent e) -> {
                    try {
                        events[0] += resolving == null || resolving.filter(e) ? 1 : 0;
                        events[1] += firing.filter(e) ? 1 : 0;
                    } catch (Exception x) {
                        throw new IllegalStateException(x);
                    }
                    byKind.computeIfAbsent(e.kind, k -> new long[1])[0]++;
                });
            }
            StringBuilder kinds = new StringBuilder();
            byKind.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> kinds.append(kinds.isEmpty() ? "" : ", ")
                    .append(kindName(en.getKey())).append(' ').append(String.format("%,d", en.getValue()[0])));
            lines.add(String.format("  %s (%s): resolving %,d events, %.4f per reading (%s); firing %,d, %.4f per reading",
                    rule.id(), rule.kind(), events[0], (double) events[0] / readings.size(), kinds.isEmpty() ? "none" : kinds,
                    events[1], (double) events[1] / readings.size()));
        }
        return lines;
    }

    private static String kindName(byte kind) {
        return switch (kind) {
            case RuleEvent.EXTREME -> "EXTREME";
            case RuleEvent.NORMAL -> "NORMAL";
            case RuleEvent.RISE -> "RISE";
            case RuleEvent.BACK -> "BACK";
            case RuleEvent.REPEAT -> "REPEAT";
            case RuleEvent.OUTLIER -> "OUTLIER";
            default -> "kind " + kind;
        };
    }
}
