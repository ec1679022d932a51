package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.MetricStats;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.oracle.WindowAggregate;
import io.sensorflow.simulator.fault.FaultKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The oracle against a naive recount from the payload bytes (read back with Jackson), on a stream
 * with duplicates and malformed messages but nothing late: every (sensor, window) is summed up
 * here independently.
 */
class OracleCrossCheckTest {

    @Test
    void aggregatesMatchANaiveRecountOfThePayloads() {
        for (PayloadFormat format : PayloadFormat.values()) {
            SimulatorSettings.Builder b = Scenarios.base().format(format).sensors(7).count(20_000);
            Scenarios.withFault(b, FaultKind.DUPLICATE, "count=30");
            Scenarios.withFault(b, FaultKind.MALFORMED, "count=30");
            SimulatorSettings s = b.build();
            List<GeneratedMessage> all = Simulator.messages(s);
            ExpectedOutcome expected = Simulator.expectedOutcome(s);
            assertThat(expected.lateReadings()).isEmpty();
            OutcomeComparison.assertAggregatesMatch(expected.aggregates(), recount(all, format), 1e-9);
        }
    }

    private static List<WindowAggregate> recount(List<GeneratedMessage> all, PayloadFormat format) {
        Map<String, List<JsonNode>> groups = new TreeMap<>();
        Map<String, Integer> dups = new TreeMap<>();
        Map<String, long[]> span = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (GeneratedMessage m : all) {
            if (ReferenceClassifier.classify(m.payload()) != null) {
                continue;
            }
            JsonNode n = Scenarios.parse(m);
            long ts = format == PayloadFormat.SENSORFLOW ? Instant.parse(n.get("ts").asText()).toEpochMilli()
                    : m.facts().eventTime();
            long window = ts - Math.floorMod(ts, 900_000L);
            String group = m.key() + "|" + window;
            String identity = group + "|" + (n.has("seq") ? "seq" + n.get("seq").asLong() : "ts" + ts);
            if (!seen.add(identity)) {
                dups.merge(group, 1, Integer::sum);
                continue;
            }
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(n);
            long[] firstLast = span.computeIfAbsent(group, g -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            firstLast[0] = Math.min(firstLast[0], ts);
            firstLast[1] = Math.max(firstLast[1], ts);
        }
        List<WindowAggregate> out = new ArrayList<>();
        groups.forEach((group, nodes) -> {
            String sensor = group.substring(0, group.indexOf('|'));
            long window = Long.parseLong(group.substring(group.indexOf('|') + 1));
            long motionReadings = nodes.stream().filter(n -> n.has("motion")).count();
            long motion = nodes.stream().filter(n -> n.has("motion") && n.get("motion").asBoolean()).count();
            out.add(new WindowAggregate(sensor, window, window + 900_000, nodes.size(), stats(nodes, "temperature"),
                    stats(nodes, "humidity"), stats(nodes, "distance_cm"), motionReadings, motion,
                    span.get(group)[0], span.get(group)[1], dups.getOrDefault(group, 0),
                    0)); // nothing arrives behind the watermark here, so nothing is late for rules
        });
        return out;
    }

    private static MetricStats stats(List<JsonNode> nodes, String field) {
        double[] v = nodes.stream().filter(n -> n.has(field)).mapToDouble(n -> n.get(field).asDouble()).toArray();
        if (v.length == 0) {
            return null;
        }
        double sum = 0;
        for (double d : v) {
            sum += d;
        }
        return new MetricStats(v.length, java.util.Arrays.stream(v).min().getAsDouble(),
                java.util.Arrays.stream(v).max().getAsDouble(), sum);
    }
}
