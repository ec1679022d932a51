package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.OutcomeOracle;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.simulator.fault.FaultKind;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The simulator's faults through the alert oracle with the rules sensorflow ships with
 * (cep-rules/default-rules.yaml: silence 5m; temperature above 70 three times within 1m; distance
 * below 10 cm five times within 30s; temperature up 10 within 5m). The sensors' own values never
 * reach the sequence thresholds (DHT11 0..50 °C, distances of 29.5 cm and more), so those alerts
 * come from spikes; but a DHT11's random walk does now and then climb 10 °C within 5 minutes, so
 * rises come from the faults and from the drift.
 */
class AlertFaultsTest {

    private static final RuleSet DEFAULT_RULES = RuleFileLoader.loadDefault();
    private static final Duration LENGTH = Duration.ofMinutes(40);

    private static SimulatorSettings scenario(long seed) {
        SimulatorSettings.Builder b = Scenarios.base().sensors(20).duration(LENGTH).seed(seed);
        Scenarios.withFault(b, FaultKind.SILENCE, "sensor=sensor-00004,at=10m,for=6m");
        Scenarios.withFault(b, FaultKind.SPIKE, "metric=temperature,value=80,readings=5,count=3");
        Scenarios.withFault(b, FaultKind.SPIKE, "metric=distance_cm,value=5,readings=6,count=2");
        Scenarios.withFault(b, FaultKind.RISE, "metric=temperature,step=2,readings=10,count=2");
        Scenarios.withFault(b, FaultKind.OUT_OF_ORDER, "probability=0.01");
        Scenarios.withFault(b, FaultKind.DUPLICATE, "count=50");
        return b.build();
    }

    private static Map<String, Long> countByRuleAndStatus(List<ExpectedAlert> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(a -> a.ruleId() + " " + a.status(), Collectors.counting()));
    }

    @Test
    void eachFaultGivesTheAlertsItShould() {
        SimulatorSettings s = scenario(3);
        ExpectedOutcome outcome = Simulator.expectedOutcome(s, DEFAULT_RULES);
        List<ExpectedAlert> alerts = outcome.alerts();
        assertThat(outcome.totals().duplicates()).isEqualTo(50);
        Map<String, Long> counts = countByRuleAndStatus(alerts);
        assertThat(counts).containsOnlyKeys("sensor-silence FIRING", "sensor-silence RESOLVED",
                "temperature-extreme-run FIRING", "temperature-extreme-run RESOLVED", "obstacle-close-run FIRING",
                "obstacle-close-run RESOLVED", "temperature-rapid-rise FIRING", "temperature-rapid-rise RESOLVED");
        assertThat(counts.get("sensor-silence FIRING")).isEqualTo(1);           // the one silence of 6 minutes
        assertThat(counts.get("sensor-silence RESOLVED")).isEqualTo(1);
        assertThat(counts.get("temperature-extreme-run FIRING")).isEqualTo(3);  // one per temperature spike
        assertThat(counts.get("obstacle-close-run FIRING")).isEqualTo(2);       // one per distance spike
        // each spike ends with normal readings, which resolve it
        assertThat(counts.get("temperature-extreme-run RESOLVED")).isEqualTo(3);
        assertThat(counts.get("obstacle-close-run RESOLVED")).isEqualTo(2);
        // each temperature spike (from about 20 to 80 °C) and each rise fault, and the drift now and then
        assertThat(counts.get("temperature-rapid-rise FIRING")).isBetween(5L, 30L);

        long start = Scenarios.START.toEpochMilli();
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("sensor-silence")).allSatisfy(a -> {
            assertThat(a.sensorId()).isEqualTo("sensor-00004");
            assertThat(a.spanStartMs()).isBetween(start + Duration.ofMinutes(10).minusSeconds(1).toMillis(),
                    start + Duration.ofMinutes(10).toMillis());
            assertThat(a.values()).containsOnlyNulls();
        });
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("sensor-silence") && a.status().equals(ExpectedAlert.RESOLVED))
                .singleElement()
                .satisfies(a -> assertThat(a.spanEndMs() - a.spanStartMs()).isBetween(360_000L, 362_000L));
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("temperature-extreme-run") && a.status().equals(ExpectedAlert.FIRING))
                .allSatisfy(a -> assertThat(a.values()).containsExactly(80.0, 80.0, 80.0));
        // the spike's first reading is also where the temperature rose (unless a rise of that sensor was
        // still open or cooling down then: the shipped rules keep quiet 15 minutes after a RESOLVED)
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("temperature-extreme-run") && a.status().equals(ExpectedAlert.FIRING))
                .anySatisfy(a -> {
            assertThat(alerts).anySatisfy(r -> {
                assertThat(r.ruleId()).isEqualTo("temperature-rapid-rise");
                assertThat(r.sensorId()).isEqualTo(a.sensorId());
                assertThat(r.spanEndMs()).isEqualTo(a.spanStartMs());
                assertThat(r.values().get(1)).isEqualTo(80.0);
            });
        });
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("obstacle-close-run") && a.status().equals(ExpectedAlert.FIRING))
                .allSatisfy(a -> assertThat(a.values()).containsExactly(5.0, 5.0, 5.0, 5.0, 5.0));
        // a sequence's RESOLVED: its FIRING's readings, then the reading that resolved it, back within the threshold
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("obstacle-close-run") && a.status().equals(ExpectedAlert.RESOLVED))
                .allSatisfy(a -> {
                    assertThat(a.values()).hasSize(6).startsWith(5.0, 5.0, 5.0, 5.0, 5.0);
                    assertThat(a.values().get(5)).isGreaterThanOrEqualTo(10.0);
                    assertThat(a.spanEndMs()).isEqualTo(a.readingTimes().get(5));
                });
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("temperature-rapid-rise") && a.status().equals(ExpectedAlert.FIRING))
                .allSatisfy(a -> {
            assertThat(a.values().get(1) - a.values().get(0)).isGreaterThanOrEqualTo(10.0);
            assertThat(a.spanEndMs() - a.spanStartMs()).isLessThan(300_000L);
        });
        // out of order and duplicated readings: each alert's readings in event-time order, no alert twice
        assertThat(alerts).allSatisfy(a -> assertThat(a.readingTimes()).isSortedAccordingTo(Comparator.naturalOrder()));
        assertThat(alerts).doesNotHaveDuplicates();
    }

    @Test
    void outOfOrderAndDuplicatedReadingsChangeNoAlert() {
        // The same readings, once each and in event-time order, give the same alerts: the delays
        // stay within the out-of-orderness bound, so every reading still counts.
        SimulatorSettings s = scenario(3);
        List<GeneratedMessage> emitted = Simulator.messages(s);
        List<GeneratedMessage> tidy = emitted.stream()
                .filter(m -> m.facts().isValid())
                .collect(Collectors.toMap(m -> m.key() + "/" + m.facts().seq(), m -> m, (a, b) -> a))
                .values().stream()
                .sorted(Comparator.comparingLong((GeneratedMessage m) -> m.facts().eventTime()).thenComparing(GeneratedMessage::key))
                .toList();
        assertThat(tidy.size()).isLessThan(emitted.size());
        assertThat(alerts(s, emitted)).isEqualTo(alerts(s, tidy)).isEqualTo(Simulator.expectedOutcome(s, DEFAULT_RULES).alerts());
    }

    private static List<ExpectedAlert> alerts(SimulatorSettings s, List<GeneratedMessage> messages) {
        OutcomeOracle oracle = new OutcomeOracle(s.oracle(), s.sensorIds(), DEFAULT_RULES);
        messages.forEach(m -> oracle.onMessage(m.facts(), m.key().getBytes(), m.payload(), m.payload().length));
        return oracle.outcome().alerts();
    }

    @Test
    void onceTheJobsEventTimeHasPassedTheEndEverySensorIsSilent() {
        SimulatorSettings s = scenario(3);
        long end = s.endMs();
        List<ExpectedAlert> atTheEnd = Simulator.expectedOutcome(s, DEFAULT_RULES).alerts();
        List<ExpectedAlert> later = Simulator.expectedOutcome(s, DEFAULT_RULES, end + 300_000).alerts();
        assertThat(later).containsAll(atTheEnd);
        assertThat(later).hasSize(atTheEnd.size() + 20);
        assertThat(later).filteredOn(a -> !atTheEnd.contains(a)).allSatisfy(a -> {
            assertThat(a.ruleId()).isEqualTo("sensor-silence");
            assertThat(a.status()).isEqualTo(ExpectedAlert.FIRING);
            assertThat(a.spanStartMs()).isBetween(end - 1_000, end - 1);
        }).extracting(ExpectedAlert::sensorId).doesNotHaveDuplicates();
    }

    @Test
    void theSameSeedGivesTheSameAlertsAndAnotherSeedOthers() {
        List<ExpectedAlert> first = Simulator.expectedOutcome(scenario(3), DEFAULT_RULES).alerts();
        assertThat(Simulator.expectedOutcome(scenario(3), DEFAULT_RULES).alerts()).isEqualTo(first);
        List<ExpectedAlert> other = Simulator.expectedOutcome(scenario(4), DEFAULT_RULES).alerts();
        assertThat(other).isNotEqualTo(first);
        assertThat(countByRuleAndStatus(other).get("temperature-extreme-run FIRING")).isEqualTo(3L);
    }

    @Test
    void rulesInTheSettingsGiveTheSameAlertsOnEveryPath() {
        SimulatorSettings plain = scenario(5);
        SimulatorSettings withRules = plain.toBuilder().rules(DEFAULT_RULES).build();
        ExpectedOutcome expected = Simulator.expectedOutcome(plain, DEFAULT_RULES);
        assertThat(expected.alerts()).isNotEmpty();
        assertThat(Simulator.expectedOutcome(plain).alerts()).isEmpty();
        assertThat(Simulator.expectedOutcome(withRules)).isEqualTo(expected);
        assertThat(Simulator.generate(withRules, true).generation().expected()).isEqualTo(expected);
        assertThat(Simulator.send(withRules, new io.sensorflow.simulator.output.StdoutMessageSink(
                java.io.OutputStream.nullOutputStream(), true), true, null).expected()).isEqualTo(expected);
    }
}
