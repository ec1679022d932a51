package io.sensorflow.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulatorCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("Usage: sensorflow-simulator [OPTIONS] [COMMAND]", "generate");
        for (String option : List.of("--sensors", "--id-prefix", "--interval", "--rate", "--count", "--duration", "--start",
                "--seed", "--format", "--bootstrap-servers", "--topic", "--partitions", "--output", "--expected-out",
                "--scenario", "--silence", "--spike", "--rise", "--stuck", "--out-of-order", "--late", "--duplicate",
                "--malformed", "--echo", "--clock-skew", "--window-size", "--out-of-orderness", "--watermark-granularity",
                "--allowed-lateness", "--pregenerate", "--progress", "--producer-property", "--mqtt-broker", "--rules",
                "--default-rules")) {
            assertThat(out()).as(option).contains(option);
        }
    }

    @Test
    void generateHasHelpToo() {
        assertThat(run("generate", "--help")).isZero();
        assertThat(out()).contains("Usage: sensorflow-simulator generate [OPTIONS] N", "--sensors");
    }

    @Test
    void anUnknownOptionFailsClearly() {
        assertThat(run("--sensorz", "5")).isEqualTo(2);
        assertThat(err()).contains("Unknown option", "'--sensorz'").contains("Try 'sensorflow-simulator --help'");
    }

    @Test
    void aBadValueNamesTheOptionAndTheProblem() {
        assertThat(run("--sensors", "0", "--output", "stdout", "--count", "5")).isEqualTo(2);
        assertThat(err()).contains("--sensors: must be between 1 and 1000000, was 0");
        assertThat(out()).isEmpty();
    }

    @Test
    void aBadFormatIsNamed() {
        assertThat(run("--format", "xml", "--output", "stdout", "--count", "5")).isEqualTo(2);
        assertThat(err()).contains("--format: unknown format 'xml' (expected one of sensorflow, device-epoch, int-id)");
    }

    @Test
    void aBadFaultIsNamed() {
        assertThat(run("--output", "stdout", "--count", "5", "--spike", "metric=temperature,value=200,count=1")).isEqualTo(2);
        assertThat(err()).contains("--spike value: 200.0 is outside the physical range of temperature (-40.0..125.0)");
    }

    @Test
    void futureEventTimesAreRefused() {
        assertThat(run("--output", "stdout", "--count", "5", "--start", "2099-01-01T00:00:00Z")).isEqualTo(2);
        assertThat(err()).contains("--start: event times would reach 2099-01-01T00:00:01Z, more than a day ahead");
    }

    @Test
    void writesJsonLinesAndTheExpectedOutcome(@TempDir Path dir) throws Exception {
        Path expected = dir.resolve("expected.json");
        assertThat(run("--output", "stdout", "--sensors", "4", "--count", "40", "--start", "2026-11-21T08:00:00Z",
                "--seed", "3", "--duplicate", "count=2", "--expected-out", expected.toString(), "--progress", "0")).isZero();
        List<String> lines = out().lines().toList();
        assertThat(lines).hasSize(42).allSatisfy(l -> assertThat(l).startsWith("{\"sensor_id\":\"sensor-0000"));
        ExpectedOutcome outcome = ExpectedOutcome.read(expected);
        assertThat(outcome.totals().messages()).isEqualTo(42);
        assertThat(outcome.totals().duplicates()).isEqualTo(2);
        assertThat(err()).contains("sent 42 messages (40 readings) to stdout").contains("duplicate: 2 events");
    }

    @Test
    void theDefaultRulesPutTheirAlertsInTheExpectedOutcome(@TempDir Path dir) throws Exception {
        Path expected = dir.resolve("expected.json");
        assertThat(run("--output", "stdout", "--sensors", "3", "--duration", "5m", "--start", "2026-11-21T08:00:00Z",
                "--spike", "metric=temperature,value=80,readings=4,count=2", "--default-rules",
                "--expected-out", expected.toString(), "--progress", "0")).isZero();
        ExpectedOutcome outcome = ExpectedOutcome.read(expected);
        assertThat(outcome.alerts()).filteredOn(a -> a.ruleId().equals("temperature-extreme-run"))
                .extracting(ExpectedAlert::status).containsExactlyInAnyOrder("FIRING", "RESOLVED", "FIRING", "RESOLVED");
        assertThat(err()).contains(outcome.alerts().size() + " alerts of default-rules.yaml) written to " + expected);
    }

    @Test
    void aRuleFileOfOurOwn(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "version: 1\nrules:\n  - {id: quiet, kind: silence, severity: info, after: 10s}\n");
        Path expected = dir.resolve("expected.json");
        assertThat(run("generate", "300", "--output", "stdout", "--sensors", "3", "--start", "2026-11-21T08:00:00Z",
                "--silence", "sensor=2,at=30s,for=20s", "--rules", rules.toString(),
                "--expected-out", expected.toString(), "--progress", "0")).isZero();
        ExpectedOutcome outcome = ExpectedOutcome.read(expected);
        assertThat(outcome.alerts()).extracting(a -> a.sensorId() + " " + a.ruleId() + " " + a.status())
                .containsExactly("sensor-00002 quiet FIRING", "sensor-00002 quiet RESOLVED");
        assertThat(err()).contains("2 alerts of " + rules);
    }

    @Test
    void aBadRuleFileOrRulesWithoutAnExpectedOutcomeAreRefused(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "version: 1\nrules:\n  - {id: quiet, kind: silence, severity: info, after: soon}\n");
        Path expected = dir.resolve("expected.json");
        assertThat(run("--output", "stdout", "--count", "10", "--rules", rules.toString(), "--expected-out",
                expected.toString())).isEqualTo(2);
        assertThat(err()).contains("--rules: " + rules + ": rules[0] (id 'quiet'), field 'after'");
        assertThat(expected).doesNotExist();
        err.reset();
        assertThat(run("--output", "stdout", "--count", "10", "--default-rules")).isEqualTo(2);
        assertThat(err()).contains("--default-rules: only the expected outcome uses the rules: give --expected-out too");
        err.reset();
        assertThat(run("--output", "stdout", "--count", "10", "--default-rules", "--rules", rules.toString(),
                "--expected-out", expected.toString())).isEqualTo(2);
        assertThat(err()).contains("--rules: give --rules or --default-rules, not both");
        assertThat(out()).isEmpty();
    }

    @Test
    void aScenarioFileAndPregeneration(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("faults.yaml");
        Files.writeString(scenario, "faults:\n  - {kind: malformed, reason: EMPTY_PAYLOAD, count: 3}\n");
        assertThat(run("generate", "30", "--output", "stdout", "--format", "int-id", "--sensors", "3", "--start",
                "2026-11-21T08:00:00Z", "--scenario", scenario.toString())).isZero();
        List<String> lines = out().lines().toList();
        assertThat(lines).hasSize(30);
        assertThat(lines.stream().filter(String::isEmpty).count()).isEqualTo(3);
        assertThat(err()).contains("generated 30 messages");
    }

    @Test
    void aScenarioErrorNamesTheFile(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("faults.yaml");
        Files.writeString(scenario, "faults:\n  - {kind: malformed, reason: EMPTY, count: 3}\n");
        assertThat(run("--output", "stdout", "--count", "10", "--scenario", scenario.toString())).isEqualTo(2);
        assertThat(err()).contains(scenario + ": faults[0].reason: unknown reason 'EMPTY'");
    }

    @Test
    void theSameSeedPrintsTheSameBytes() {
        String[] args = {"--output", "stdout", "--sensors", "25", "--count", "500", "--start", "2026-11-21T08:00:00Z",
                "--seed", "99", "--malformed", "probability=0.05", "--progress", "0"};
        assertThat(run(args)).isZero();
        String first = out();
        out.reset();
        assertThat(run(args)).isZero();
        assertThat(out()).isEqualTo(first);
    }
}
