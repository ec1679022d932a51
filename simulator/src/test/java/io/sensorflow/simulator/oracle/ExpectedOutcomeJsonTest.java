package io.sensorflow.simulator.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.simulator.OutputKind;
import io.sensorflow.simulator.RejectReason;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpectedOutcomeJsonTest {

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
                List.of(RejectReason.values()).stream().map(Enum::name).toList());
        assertThat(json.get("late_readings").get(0).has("event_time")).isTrue();
        assertThat(json.get("totals").get("dead_letters").asLong()).isEqualTo(20);
    }

    @Test
    void nullMetricsStayNull() throws Exception {
        ExpectedOutcome o = new ExpectedOutcome(OracleParameters.DEFAULTS, new Totals(1, 1, 1, 0, 0, 0),
                List.of(new WindowAggregate("42", 0, 900_000, 1, new MetricStats(1, 21.5, 21.5, 21.5), null, null,
                        0, 0, 5, 5, 0)), List.of(new DeadLetter("42", "", RejectReason.EMPTY_PAYLOAD)), List.of());
        String json = ExpectedOutcomeJson.toJson(o);
        assertThat(json).contains("\"humidity\" : null");
        assertThat(ExpectedOutcomeJson.fromJson(json)).isEqualTo(o);
    }

    @Test
    void comparisonNamesEachDifference() {
        WindowAggregate e = new WindowAggregate("s1", 0, 60_000, 2, new MetricStats(2, 20.0, 22.0, 42.0), null, null,
                0, 0, 1, 2, 0);
        WindowAggregate sameButSummedOtherwise = new WindowAggregate("s1", 0, 60_000, 2,
                MetricStats.ofAverage(2, 20.0, 22.0, 21.0000000001), null, null, 0, 0, 1, 2, 0);
        assertThat(OutcomeComparison.aggregateDifferences(List.of(e), List.of(sameButSummedOtherwise), 1e-6)).isEmpty();
        WindowAggregate off = new WindowAggregate("s1", 0, 60_000, 3, new MetricStats(2, 20.0, 23.0, 43.0), null, null,
                0, 0, 1, 2, 1);
        assertThat(OutcomeComparison.aggregateDifferences(List.of(e), List.of(off), 1e-6))
                .hasSize(3).anySatisfy(d -> assertThat(d).contains("reading_count"))
                .anySatisfy(d -> assertThat(d).contains("temperature")).anySatisfy(d -> assertThat(d).contains("duplicate_count"));
        assertThat(OutcomeComparison.aggregateDifferences(List.of(e), List.of(), 1e-6)).singleElement()
                .satisfies(d -> assertThat(d).startsWith("missing s1@0"));
        assertThat(OutcomeComparison.deadLetterDifferences(
                List.of(new DeadLetter("k", "", RejectReason.EMPTY_PAYLOAD)), List.of())).hasSize(1);
    }

    @Test
    void writesAreFilesOthersCanRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.json");
        scenario().write(file);
        assertThat(Files.readString(file)).startsWith("{").contains("\"aggregates\"");
    }
}
