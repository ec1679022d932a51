package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.oracle.AcceptedReading;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.oracle.WindowAggregate;
import io.sensorflow.simulator.fault.FaultKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accepted readings (what the job's archive must hold) add up to the expected aggregates. */
class AcceptedReadingsTest {

    @Test
    void theAcceptedReadingsAreWhatTheAggregatesCountEachOnce() {
        SimulatorSettings.Builder b = Scenarios.base().sensors(20).duration(Duration.ofMinutes(12))
                .oracle(OracleParameters.of(Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(1),
                        Duration.ofSeconds(20)));
        Scenarios.withFault(b, FaultKind.DUPLICATE, "max-delay=2s,count=30");
        Scenarios.withFault(b, FaultKind.LATE, "count=10");
        Scenarios.withFault(b, FaultKind.MALFORMED, "reason=MISSING_SENSOR_ID,count=5");
        SimulatorSettings settings = b.build();
        ExpectedOutcome expected = Simulator.expectedOutcome(settings, null);

        List<AcceptedReading> accepted = Simulator.acceptedReadings(settings);

        assertThat(accepted).hasSize((int) expected.totals().accepted());
        assertThat(new HashSet<>(accepted)).as("no repeats").hasSize(accepted.size());
        Map<String, long[]> perWindow = new HashMap<>();
        long window = settings.oracle().windowSizeMs();
        for (AcceptedReading r : accepted) {
            long[] countAndTenths = perWindow.computeIfAbsent(
                    r.sensorId() + "@" + Math.floorDiv(r.eventTime(), window) * window, k -> new long[2]);
            countAndTenths[0]++;
            countAndTenths[1] += r.temperature() == null ? 0 : Math.round(r.temperature() * 10);
        }
        assertThat(perWindow).hasSize(expected.aggregates().size());
        for (WindowAggregate a : expected.aggregates()) {
            long[] got = perWindow.get(a.sensorId() + "@" + a.windowStart());
            assertThat(got[0]).as(a.sensorId() + " " + a.windowStart()).isEqualTo(a.readingCount());
            assertThat(got[1]).isEqualTo(a.temperature() == null ? 0 : Math.round(a.temperature().sum() * 10));
        }
    }
}
