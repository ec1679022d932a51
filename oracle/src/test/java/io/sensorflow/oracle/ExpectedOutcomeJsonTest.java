package io.sensorflow.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The expected outcome's JSON form and its comparison with the job's output; a scenario's file: the simulator's ExpectedOutcomeFileTest. */
class ExpectedOutcomeJsonTest {

    private static final ExpectedAlert SILENCE_FIRING = new ExpectedAlert("a1", "sensor-silence", "s1", "FIRING",
            1_000, 301_000, List.of(1_000L), Arrays.asList((Double) null));
    private static final ExpectedAlert SILENCE_RESOLVED = new ExpectedAlert("a1", "sensor-silence", "s1", "RESOLVED",
            1_000, 400_000, List.of(1_000L, 400_000L), Arrays.asList(null, null));
    private static final ExpectedAlert RUN = new ExpectedAlert("a2", "temperature-extreme-run", "s2", "FIRING",
            5_000, 7_000, List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.5, -0.5));

    private static ExpectedOutcome withAlerts(ExpectedAlert... alerts) {
        return new ExpectedOutcome(OracleParameters.DEFAULTS, new Totals(0, 0, 0, 0, 0, 0), List.of(), List.of(),
                List.of(), List.of(alerts));
    }

    @Test
    void nullMetricsStayNull() throws Exception {
        ExpectedOutcome o = new ExpectedOutcome(OracleParameters.DEFAULTS, new Totals(1, 1, 1, 0, 0, 0),
                List.of(new WindowAggregate("42", 0, 900_000, 1, new MetricStats(1, 21.5, 21.5, 21.5), null, null,
                        0, 0, 5, 5, 0, 0)), List.of(new ExpectedDeadLetter("42", "", ExpectedRejectReason.EMPTY_PAYLOAD)), List.of());
        String json = ExpectedOutcomeJson.toJson(o);
        assertThat(json).contains("\"humidity\" : null");
        assertThat(ExpectedOutcomeJson.fromJson(json)).isEqualTo(o);
    }

    @Test
    void anAggregateWrittenBeforeLateForRulesWasCountedReadsWithNone() throws Exception {
        ExpectedOutcome o = new ExpectedOutcome(OracleParameters.DEFAULTS, new Totals(1, 1, 1, 0, 0, 0),
                List.of(new WindowAggregate("42", 0, 900_000, 1, null, null, null, 0, 0, 5, 5, 0, 0)), List.of(), List.of());
        String json = ExpectedOutcomeJson.toJson(o);
        assertThat(json).contains("\"readings_late_for_rules\" : 0");
        assertThat(ExpectedOutcomeJson.fromJson(json.replace(",\n    \"readings_late_for_rules\" : 0", ""))).isEqualTo(o);
    }

    @Test
    void comparisonNamesEachDifference() {
        WindowAggregate e = new WindowAggregate("s1", 0, 60_000, 2, new MetricStats(2, 20.0, 22.0, 42.0), null, null,
                0, 0, 1, 2, 0, 1);
        WindowAggregate sameButSummedOtherwise = new WindowAggregate("s1", 0, 60_000, 2,
                MetricStats.ofAverage(2, 20.0, 22.0, 21.0000000001), null, null, 0, 0, 1, 2, 0, 1);
        assertThat(OutcomeComparison.aggregateDifferences(List.of(e), List.of(sameButSummedOtherwise), 1e-6)).isEmpty();
        WindowAggregate off = new WindowAggregate("s1", 0, 60_000, 3, new MetricStats(2, 20.0, 23.0, 43.0), null, null,
                0, 0, 1, 2, 1, 0);
        assertThat(OutcomeComparison.aggregateDifferences(List.of(e), List.of(off), 1e-6))
                .hasSize(4).anySatisfy(d -> assertThat(d).contains("reading_count"))
                .anySatisfy(d -> assertThat(d).contains("temperature")).anySatisfy(d -> assertThat(d).contains("duplicate_count"))
                .anySatisfy(d -> assertThat(d).contains("readings_late_for_rules: expected 1, was 0"));
        assertThat(OutcomeComparison.aggregateDifferences(List.of(e), List.of(), 1e-6)).singleElement()
                .satisfies(d -> assertThat(d).startsWith("missing s1@0"));
        assertThat(OutcomeComparison.deadLetterDifferences(
                List.of(new ExpectedDeadLetter("k", "", ExpectedRejectReason.EMPTY_PAYLOAD)), List.of())).hasSize(1);
    }

    @Test
    void alertsAreWrittenWithTheirFieldNamesAndReadBack() throws Exception {
        ExpectedOutcome o = withAlerts(SILENCE_FIRING, SILENCE_RESOLVED, RUN);
        String json = ExpectedOutcomeJson.toJson(o);
        JsonNode alerts = new ObjectMapper().readTree(json).get("alerts");
        assertThat(alerts).hasSize(3);
        JsonNode first = alerts.get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("alert_id", "rule_id", "sensor_id", "status",
                "span_start", "span_end", "reading_times", "values");
        assertThat(first.get("span_end").asLong()).isEqualTo(301_000);
        assertThat(first.get("values").get(0).isNull()).isTrue();
        assertThat(alerts.get(2).get("values").get(1).asDouble()).isEqualTo(80.5);
        assertThat(alerts.get(2).get("reading_times").get(2).asLong()).isEqualTo(7_000);
        assertThat(ExpectedOutcomeJson.fromJson(json)).isEqualTo(o);
    }

    @Test
    void aLateAlertWritesItsDetectionDelayAndReadsItBack() throws Exception {
        ExpectedOutcome o = withAlerts(RUN.late(12_345), RUN);
        String json = ExpectedOutcomeJson.toJson(o);
        JsonNode alerts = new ObjectMapper().readTree(json).get("alerts");
        assertThat(alerts.get(0).get("detection_delay_ms").asLong()).isEqualTo(12_345);
        assertThat(alerts.get(1).has("detection_delay_ms")).isFalse();
        assertThat(ExpectedOutcomeJson.fromJson(json)).isEqualTo(o);
        // Late or not, and by how much, is part of what is compared.
        assertThat(OutcomeComparison.alertDifferences(List.of(RUN.late(12_345)), List.of(RUN))).hasSize(2);
        assertThat(OutcomeComparison.alertDifferences(List.of(RUN.late(12_345)), List.of(RUN.late(12_344)))).hasSize(2);
    }

    @Test
    void aFileWithoutAlertsHasNone() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(ExpectedOutcomeJson.toJson(withAlerts()));
        assertThat(tree.remove("alerts")).isNotNull();
        String json = tree.toString();
        assertThat(ExpectedOutcomeJson.fromJson(json).alerts()).isEmpty();
        assertThat(new ExpectedOutcome(OracleParameters.DEFAULTS, new Totals(0, 0, 0, 0, 0, 0), List.of(), List.of(),
                List.of()).alerts()).isEmpty();
    }

    @Test
    void alertDifferencesCompareEveryFieldAsAMultiset() {
        List<ExpectedAlert> expected = List.of(SILENCE_FIRING, SILENCE_RESOLVED, RUN);
        assertThat(OutcomeComparison.alertDifferences(expected, List.of(RUN, SILENCE_RESOLVED, SILENCE_FIRING))).isEmpty();
        ExpectedAlert zero = new ExpectedAlert("a2", "temperature-extreme-run", "s2", "FIRING", 5_000, 7_000,
                List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.5, -0.5));
        assertThat(OutcomeComparison.alertDifferences(List.of(RUN), List.of(zero))).isEmpty();

        assertThat(OutcomeComparison.alertDifferences(expected, List.of(SILENCE_FIRING, SILENCE_RESOLVED, RUN, RUN)))
                .singleElement().satisfies(d -> assertThat(d).startsWith("unexpected 1 alert(s): s2 temperature-extreme-run FIRING"));
        assertThat(OutcomeComparison.alertDifferences(expected, List.of(SILENCE_FIRING, RUN)))
                .singleElement().satisfies(d -> assertThat(d).startsWith("missing 1 alert(s): s1 sensor-silence RESOLVED")
                        .contains("1970-01-01T00:06:40Z"));
        List<ExpectedAlert> changed = List.of(
                new ExpectedAlert("a3", "temperature-extreme-run", "s2", "FIRING", 5_000, 7_000,
                        List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.5, -0.5)),
                new ExpectedAlert("a2", "other-rule", "s2", "FIRING", 5_000, 7_000,
                        List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.5, -0.5)),
                new ExpectedAlert("a2", "temperature-extreme-run", "s3", "FIRING", 5_000, 7_000,
                        List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.5, -0.5)),
                new ExpectedAlert("a2", "temperature-extreme-run", "s2", "RESOLVED", 5_000, 7_000,
                        List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.5, -0.5)),
                new ExpectedAlert("a2", "temperature-extreme-run", "s2", "FIRING", 4_000, 7_000,
                        List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.5, -0.5)),
                new ExpectedAlert("a2", "temperature-extreme-run", "s2", "FIRING", 5_000, 7_001,
                        List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.5, -0.5)),
                new ExpectedAlert("a2", "temperature-extreme-run", "s2", "FIRING", 5_000, 7_000,
                        List.of(5_000L, 6_001L, 7_000L), List.of(80.0, 80.5, -0.5)),
                new ExpectedAlert("a2", "temperature-extreme-run", "s2", "FIRING", 5_000, 7_000,
                        List.of(5_000L, 6_000L, 7_000L), List.of(80.0, 80.6, -0.5)),
                new ExpectedAlert("a2", "temperature-extreme-run", "s2", "FIRING", 5_000, 7_000,
                        List.of(5_000L, 6_000L, 7_000L), Arrays.asList(80.0, 80.5, null)),
                new ExpectedAlert("a2", "temperature-extreme-run", "s2", "FIRING", 5_000, 7_000,
                        List.of(5_000L, 6_000L), List.of(80.0, 80.5)));
        for (ExpectedAlert c : changed) {
            assertThat(OutcomeComparison.alertDifferences(List.of(RUN), List.of(c))).as(c.toString())
                    .hasSize(2).anySatisfy(d -> assertThat(d).startsWith("missing 1 alert(s): "))
                    .anySatisfy(d -> assertThat(d).startsWith("unexpected 1 alert(s): "));
        }
        ExpectedAlert noValueForSilence = new ExpectedAlert("a1", "sensor-silence", "s1", "FIRING", 1_000, 301_000,
                List.of(1_000L), List.of());
        assertThat(OutcomeComparison.alertDifferences(List.of(SILENCE_FIRING), List.of(noValueForSilence))).hasSize(2);
    }
}
