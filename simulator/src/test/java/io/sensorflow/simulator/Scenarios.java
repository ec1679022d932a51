package io.sensorflow.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: a fixed start, small fleets, faults from option text, payloads read back with Jackson. */
final class Scenarios {

    static final Instant START = Instant.parse("2026-11-21T08:00:00Z");
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Scenarios() {}

    static SimulatorSettings.Builder base() {
        return SimulatorSettings.builder().start(START).sensors(10).output(OutputKind.STDOUT)
                .progressInterval(Duration.ZERO);
    }

    static SimulatorSettings.Builder withFault(SimulatorSettings.Builder b, FaultKind kind, String fields) {
        return b.fault(FaultSpecParser.parseOption(kind, fields));
    }

    static JsonNode parse(GeneratedMessage m) {
        try {
            return JSON.readTree(m.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(m.payloadText(), e);
        }
    }

    static List<GeneratedMessage> valid(List<GeneratedMessage> all) {
        return all.stream().filter(m -> m.facts().isValid()).collect(Collectors.toList());
    }

    static List<GeneratedMessage> rejected(List<GeneratedMessage> all) {
        return all.stream().filter(m -> !m.facts().isValid()).collect(Collectors.toList());
    }
}
