package io.sensorflow.simulator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.Measurement;
import io.sensorflow.simulator.SettingsException;
import io.sensorflow.simulator.SimulatorSettings;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
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
                "  - {kind: batched, sensor: sensor-00003, at: 5m, for: 30s}",
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
                "  - {kind: burst, readings: 100, count: 2}",
                "  - {kind: hostile, shape: deep-nesting, size: 600000, count: 1}",
                ""));
        List<FaultSpec> faults = ScenarioFile.read(file);
        assertThat(faults).extracting(FaultSpec::kind).containsExactly(FaultKind.values());
        assertThat(faults.get(0)).isEqualTo(new SilenceFault(SensorRef.all(), TimeRef.afterStart(Duration.ofMinutes(10)),
                Duration.ofMinutes(1), 1, file + ": faults[0]"));
        assertThat(faults.get(1)).isEqualTo(new BatchedFault(SensorRef.of("sensor-00003"), TimeRef.afterStart(Duration.ofMinutes(5)),
                Duration.ofSeconds(30), 1, file + ": faults[1]"));
        assertThat(faults.get(3)).isEqualTo(new SpikeFault(Measurement.TEMPERATURE, 800, 5, Occurrence.count(3), file + ": faults[3]"));
        assertThat(((MalformedFault) faults.get(9)).reason()).isEqualTo(ExpectedRejectReason.NOT_JSON);
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

    // A scenario file is read as strictly as a rule file (StrictYaml): what YAML allows but Jackson
    // reads silently wrong, or what no scenario needs, is refused naming the file and where.

    private static final String LATE = "faults:\n  - {kind: late, count: 1}\n";
    private static final String NO_ANCHORS = "; a scenario file takes no anchors (&) or aliases (*)";

    @Test
    void aSecondDocumentIsRefused() {
        // Jackson reads the first document and ignores the rest, faults or garbage.
        for (String second : new String[] {"faults:\n  - {kind: duplicate, count: 1}\n", "garbage: [\n", ""}) {
            assertThatThrownBy(() -> ScenarioFile.parse("s.yaml", LATE + "---\n" + second)).as(second)
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("s.yaml: a second YAML document at line 3, column 1; a scenario file is one document");
        }
        // One document, its start and end marked: fine.
        assertThat(ScenarioFile.parse("s.yaml", "---\n" + LATE + "...\n")).hasSize(1);
    }

    @Test
    void anchorsAndAliasesAreRefused() {
        // Jackson reads an alias as its anchor's name: the second silence would be of a sensor named "s".
        String aliased = "faults:\n  - {kind: silence, sensor: &s sensor-00007, at: 1m, for: 1m}\n"
                + "  - {kind: silence, sensor: *s, at: 5m, for: 1m}\n";
        assertThatThrownBy(() -> ScenarioFile.parse("s.yaml", aliased)).isInstanceOf(SettingsException.class)
                .hasMessage("s.yaml: an anchor (&s) at line 2, column 29" + NO_ANCHORS);
        assertThatThrownBy(() -> ScenarioFile.parse("s.yaml", aliased.replace("&s ", "")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("s.yaml: an alias (*s) at line 3, column 29" + NO_ANCHORS);
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingTheField() {
        // YAML lets the last one count; in a scenario that hides the first.
        assertError("faults:\n  - kind: late\n    count: 1\n    count: 5\n",
                "s.yaml: faults[0].count: given again at line 4; a key may be given only once");
        assertError(LATE + "faults:\n  - {kind: duplicate, count: 1}\n",
                "s.yaml: faults: given again at line 3; a key may be given only once");
        assertError(LATE + "  - {kind: duplicate, count: 1, max-delay: {a: 1, a: 2}}\n",
                "s.yaml: faults[1].max-delay.a: given again at line 3; a key may be given only once");
    }

    @Test
    void aNumberPastADoubleIsRefusedNamingTheField() {
        String past = ": Infinity is not a finite number (a number past the range of a double)";
        // It read as the text "Infinity": a sensor of that name, accepted.
        assertError("faults:\n  - {kind: silence, sensor: 1e400, at: 1m, for: 1m}\n", "s.yaml: faults[0].sensor" + past);
        assertError("faults:\n  - {kind: spike, metric: temperature, value: 1e400, count: 1}\n", "s.yaml: faults[0].value" + past);
        assertError("faults:\n  - {kind: echo, probability: -1e400}\n", "s.yaml: faults[0].probability: -" + past.substring(2));
    }

    @Test
    void aFileOverOneMebibyteIsRefusedBeforeItIsParsed(@TempDir Path dir) throws Exception {
        String big = LATE + "# " + "x".repeat(1 << 20) + "\n";
        assertThatThrownBy(() -> ScenarioFile.parse("s.yaml", big)).isInstanceOf(SettingsException.class)
                .hasMessage("s.yaml: " + big.length() + " bytes, more than the 1048576 bytes (1 MiB) a scenario file may have");
        Path huge = dir.resolve("huge.yaml");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: no disk used
        }
        assertThatThrownBy(() -> ScenarioFile.read(huge)).isInstanceOf(SettingsException.class)
                .hasMessage(huge + ": " + (3L << 30) + " bytes, more than the 1048576 bytes (1 MiB) a scenario file may have");
    }

    /** A device has no size to check first (/dev/zero says 0): no more than the bound is read from it. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aDeviceIsReadNoFurtherThanTheBound() {
        Path zero = Path.of("/dev/zero");
        // Preemptive: reading /dev/zero to its end would fill the heap before it failed.
        Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                ScenarioFile.read(zero);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(thrown).isInstanceOf(SettingsException.class)
                .hasMessage(zero + ": more than the 1048576 bytes (1 MiB) a scenario file may have");
    }

    private static void assertError(String yaml, String messageStart) {
        assertThatThrownBy(() -> ScenarioFile.parse("s.yaml", yaml)).isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(messageStart);
    }
}
