package io.sensorflow.cluster;

import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The simulated input of the cluster tests; the oracle's timing is {@link ClusterEnvironment#TIMING}'s. */
final class ClusterScenarios {

    static final OracleParameters TIMING = OracleParameters.of(
            Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(20));

    private ClusterScenarios() {}

    /**
     * Every sensor once a second, starting two hours back, with what the rules of
     * cluster-rules.yaml look for: runs over 70 °C (an alert each) and too short ones (near misses),
     * rises, obstacles close by, one sensor silent for a minute; and what the job must see through:
     * disorder within the bound, duplicates, readings too late for their window, malformed messages.
     */
    static SimulatorSettings troubled(String bootstrapServers, String topic, int partitions, int sensors,
            Duration span, long seed) {
        SimulatorSettings.Builder b = SimulatorSettings.builder()
                .sensors(sensors)
                .duration(span)
                .seed(seed)
                .format(PayloadFormat.SENSORFLOW)
                .start(Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES))
                .bootstrapServers(bootstrapServers)
                .topic(topic)
                .partitions(partitions)
                .oracle(TIMING)
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=6"))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=75,readings=2,count=4"))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=distance_cm,value=5,readings=6,count=3"))
                .fault(FaultSpecParser.parseOption(FaultKind.RISE, "metric=temperature,step=3,readings=5,count=3"))
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "sensor=sensor-00003,at=2m,for=1m"))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=3s,probability=0.02"))
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "max-delay=2s,count=20"))
                .fault(FaultSpecParser.parseOption(FaultKind.LATE, "count=5"));
        for (ExpectedRejectReason reason : ExpectedRejectReason.values()) {
            b.fault(FaultSpecParser.parseOption(FaultKind.MALFORMED, "reason=" + reason.name() + ",count=1"));
        }
        return b.build();
    }
}
