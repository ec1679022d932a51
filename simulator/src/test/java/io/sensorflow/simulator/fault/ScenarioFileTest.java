package io.sensorflow.simulator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.simulator.Metric;
import io.sensorflow.simulator.RejectReason;
import io.sensorflow.simulator.SettingsException;
import io.sensorflow.simulator.SimulatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioFileTest {

    @Test
    void readsEveryKind(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, String.join("\n",
                "# every kind of fault",
                "faults:",
                "  - kind: silence",
                "    sensor: all",
                "    at: 10m",
                "    for: 1m",
                "  - {kind: clock-skew, sensor: sensor-00007, offset: -30s}",
                "  - kind: spike",
                "    metric: temperature",
                "    value: 80",
                "    readings: 5",
                "    count: 3",
                "  - {kind: rise, metric: humidity, step: 2.5, probability: 0.0001}",
                "  - {kind: stuck, metric: distance_cm, readings: 20, count: 2}",
                "  - {kind: out-of-order, max-delay: 2s, probability: 0.01}",
                "  - {kind: late, count: 5}",
                "  - {kind: duplicate, count: 10}",
                "  - {kind: malformed, reason: not_json, count: 3}",
                "  - {kind: echo, probability: 0.001}",
                ""));
        List<FaultSpec> faults = ScenarioFile.read(file);
        assertThat(faults).extracting(FaultSpec::kind).containsExactly(FaultKind.values());
        assertThat(faults.get(0)).isEqualTo(new SilenceFault(SensorRef.all(), TimeRef.afterStart(Duration.ofMinutes(10)),
                Duration.ofMinutes(1), 1, file + ": faults[0]"));
        assertThat(faults.get(2)).isEqualTo(new SpikeFault(Metric.TEMPERATURE, 800, 5, Occurrence.count(3), file + ": faults[2]"));
        assertThat(((MalformedFault) faults.get(8)).reason()).isEqualTo(RejectReason.NOT_JSON);
        // The whole scenario is valid for a bounded sensorflow run.
        SimulatorSettings.builder().count(100_000).faults(faults).build();
    }

    @Test
    void errorsNameTheFileAndTheField() {
        assertError("faults:\n  - kind: spike\n    metric: temp\n    value: 80\n    count: 1\n",
                "s.yaml: faults[0].metric: unknown metric 'temp' (expected one of temperature, humidity, distance_cm)");
        assertError("faults:\n  - {kind: spike, metric: temperature, value: 80, count: 1}\n  - {kind: spike, metric: humidity, valu: 80, count: 1}\n",
                "s.yaml: faults[1].valu: unknown field (a spike fault has metric, value, readings, count, probability)");
        assertError("faults:\n  - kind: blackout\n", "s.yaml: faults[0].kind: unknown fault kind 'blackout'");
        assertError("faults:\n  - metric: humidity\n", "s.yaml: faults[0].kind: is missing");
        assertError("faults:\n  - {kind: silence, at: 10m}\n", "s.yaml: faults[0].for: is required, e.g. for=5m");
        assertError("faults:\n  - {kind: late, count: many}\n", "s.yaml: faults[0].count: 'many' is not a whole number");
        assertError("faults:\n  - {kind: late, count: 1, probability: 0.1}\n", "s.yaml: faults[0].count: give count or probability, not both");
        assertError("faults:\n  - {kind: duplicate, max-delay: [1, 2], count: 1}\n", "s.yaml: faults[0].max-delay: must be a single value");
        assertError("faults: spike\n", "s.yaml: faults: must be a list");
        assertError("fault:\n  - {kind: late, count: 1}\n", "s.yaml: fault: unknown field (a scenario has only 'faults')");
        assertError("", "s.yaml: is empty");
        assertError("faults:\n  - {kind: late\n", "s.yaml: not valid YAML at line");
    }

    @Test
    void valueErrorsFoundLaterStillNameTheField() {
        List<FaultSpec> faults = ScenarioFile.parse("s.yaml", "faults:\n  - {kind: out-of-order, max-delay: 9s, count: 1}\n");
        assertThatThrownBy(() -> SimulatorSettings.builder().count(1000).faults(faults).build())
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("s.yaml: faults[0].max-delay: must be below the out-of-orderness bound 5s");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ScenarioFile.read(file)).hasMessage(file + ": no such file");
    }

    private static void assertError(String yaml, String messageStart) {
        assertThatThrownBy(() -> ScenarioFile.parse("s.yaml", yaml)).isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(messageStart);
    }
}
