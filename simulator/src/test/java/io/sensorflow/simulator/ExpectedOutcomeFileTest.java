package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.ExpectedOutcomeJson;
import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scenario's expected outcome written to a file and read back (the oracle's own: its ExpectedOutcomeJsonTest). */
class ExpectedOutcomeFileTest {

    private static ExpectedOutcome scenario() {
        SimulatorSettings s = SimulatorSettings.builder().start(Instant.parse("2026-11-21T08:00:00Z")).sensors(5)
                .count(10_000).output(OutputKind.STDOUT).progressInterval(Duration.ZERO)
                .fault(FaultSpecParser.parseOption(FaultKind.MALFORMED, "count=20"))
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "count=5"))
                .fault(FaultSpecParser.parseOption(FaultKind.LATE, "count=2"))
                .build();
        return Simulator.expectedOutcome(s);
    }

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
        ExpectedOutcome outcome = scenario();
        assertThat(outcome.deadLetters()).hasSize(20);
        assertThat(outcome.lateReadings()).hasSize(2);
        Path file = dir.resolve("out/expected.json");
        outcome.write(file);
        assertThat(ExpectedOutcome.read(file)).isEqualTo(outcome);
    }

    @Test
    void usesSnakeCaseNamesAndEpochMillis(@TempDir Path dir) throws Exception {
        ExpectedOutcome outcome = scenario();
        JsonNode json = new ObjectMapper().readTree(ExpectedOutcomeJson.toJson(outcome));
        assertThat(json.get("parameters").get("window_size_ms").asLong()).isEqualTo(900_000);
        assertThat(json.get("parameters").get("allowed_lateness_ms").asLong()).isEqualTo(300_000);
        JsonNode a = json.get("aggregates").get(0);
        assertThat(a.get("sensor_id").asText()).isEqualTo("sensor-00001");
        assertThat(a.get("window_start").asLong()).isEqualTo(Instant.parse("2026-11-21T08:00:00Z").toEpochMilli());
        assertThat(List.of("reading_count", "temperature", "humidity", "distance_cm", "motion_readings", "motion_count",
                "first_event_time", "last_event_time", "duplicate_count", "window_end")).allSatisfy(f -> assertThat(a.has(f)).as(f).isTrue());
        assertThat(a.get("temperature").has("sum")).isTrue();
        assertThat(json.get("dead_letters").get(0).get("reason").asText()).isIn(
                List.of(ExpectedRejectReason.values()).stream().map(Enum::name).toList());
        assertThat(json.get("late_readings").get(0).has("event_time")).isTrue();
        assertThat(json.get("totals").get("dead_letters").asLong()).isEqualTo(20);
    }

    @Test
    void aScenarioWithRulesRoundTripsWithItsAlerts(@TempDir Path dir) throws Exception {
        SimulatorSettings s = SimulatorSettings.builder().start(Instant.parse("2026-11-21T08:00:00Z")).sensors(5)
                .duration(Duration.ofMinutes(20)).output(OutputKind.STDOUT).progressInterval(Duration.ZERO)
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=2"))
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "sensor=2,at=5m,for=6m"))
                .build();
        ExpectedOutcome outcome = Simulator.expectedOutcome(s, RuleFileLoader.loadDefault());
        assertThat(outcome.alerts()).extracting(ExpectedAlert::ruleId).contains("sensor-silence",
                "temperature-extreme-run", "temperature-rapid-rise");
        Path file = dir.resolve("expected.json");
        outcome.write(file);
        assertThat(ExpectedOutcome.read(file)).isEqualTo(outcome);
    }

    @Test
    void writesAreFilesOthersCanRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.json");
        scenario().write(file);
        assertThat(Files.readString(file)).startsWith("{").contains("\"aggregates\"");
    }
}
