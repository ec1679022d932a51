package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.simulator.fault.FaultKind;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    private static SimulatorSettings scenario(long seed) {
        SimulatorSettings.Builder b = Scenarios.base().sensors(50).count(20_000).seed(seed);
        Scenarios.withFault(b, FaultKind.SPIKE, "metric=temperature,value=80,readings=3,count=4");
        Scenarios.withFault(b, FaultKind.MALFORMED, "probability=0.01");
        Scenarios.withFault(b, FaultKind.DUPLICATE, "count=7");
        Scenarios.withFault(b, FaultKind.OUT_OF_ORDER, "probability=0.005");
        Scenarios.withFault(b, FaultKind.LATE, "count=2,hold=2m");
        Scenarios.withFault(b, FaultKind.SILENCE, "for=30s,count=2");
        Scenarios.withFault(b, FaultKind.CLOCK_SKEW, "offset=-3s,count=2");
        return b.build();
    }

    private static List<String> keysAndPayloads(SimulatorSettings s) {
        return Simulator.messages(s).stream().map(m -> m.key() + "\t" + m.payloadText()).collect(Collectors.toList());
    }

    @Test
    void sameSeedGivesIdenticalBytes() {
        List<String> first = keysAndPayloads(scenario(42));
        List<String> second = keysAndPayloads(scenario(42));
        assertThat(first).hasSizeGreaterThan(20_000).isEqualTo(second);
    }

    @Test
    void anotherSeedGivesOtherBytes() {
        assertThat(keysAndPayloads(scenario(43))).isNotEqualTo(keysAndPayloads(scenario(42)));
    }

    @Test
    void stdoutBytesAreTheSameAcrossRuns() {
        SimulatorSettings s = scenario(7);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Simulator.send(s, new io.sensorflow.simulator.output.StdoutMessageSink(a, true), false, null);
        Simulator.send(s, new io.sensorflow.simulator.output.StdoutMessageSink(b, true), false, null);
        assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
        assertThat(a.size()).isGreaterThan(1_000_000);
    }

    @Test
    void theOutcomeIsTheSameAcrossRuns() {
        assertThat(Simulator.expectedOutcome(scenario(5))).isEqualTo(Simulator.expectedOutcome(scenario(5)));
    }

    @Test
    void faultsDoNotChangeTheOtherReadingsValues() {
        // The values come from their own PRNG stream: a duplicate fault only adds copies.
        SimulatorSettings plain = Scenarios.base().sensors(20).count(2_000).seed(9).build();
        SimulatorSettings dup = Scenarios.withFault(Scenarios.base().sensors(20).count(2_000).seed(9),
                FaultKind.DUPLICATE, "count=5").build();
        List<String> a = keysAndPayloads(plain);
        List<String> b = keysAndPayloads(dup).stream().distinct().collect(Collectors.toList());
        assertThat(b).containsExactlyInAnyOrderElementsOf(a);
    }
}
