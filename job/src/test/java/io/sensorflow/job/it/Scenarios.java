package io.sensorflow.job.it;

import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.RejectReason;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.simulator.oracle.OracleParameters;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Simulator scenarios for the integration tests, with the job settings they assume. */
final class Scenarios {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    static final Duration GRANULARITY = Duration.ofSeconds(1);
    static final Duration LATENESS = Duration.ofSeconds(20);

    /** The job settings the oracle's parameters describe. */
    static final String[] JOB_TIMING = {
        "--window-size", "1m", "--out-of-orderness", "5s", "--watermark-granularity", "1s", "--allowed-lateness", "20s"
    };

    private Scenarios() {}

    /**
     * Several windows and sensors with every kind of trouble the job must handle: readings out of
     * order, too late, delivered twice, malformed in every way, out of range, a silent sensor.
     */
    static SimulatorSettings troubled(String bootstrapServers, String topic, int sensors, Duration span, long seed) {
        SimulatorSettings.Builder b = SimulatorSettings.builder()
                .sensors(sensors)
                .duration(span)
                .seed(seed)
                .format(PayloadFormat.SENSORFLOW)
                .start(Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES))
                .bootstrapServers(bootstrapServers)
                .topic(topic)
                .partitions(1)
                .oracle(OracleParameters.of(WINDOW, OUT_OF_ORDERNESS, GRANULARITY, LATENESS))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=3s,probability=0.02"))
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "max-delay=2s,count=40"))
                .fault(FaultSpecParser.parseOption(FaultKind.LATE, "count=15"))
                .fault(FaultSpecParser.parseOption(FaultKind.ECHO, "count=5"))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=3"))
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "sensor=sensor-00003,at=4m,for=3m"));
        for (RejectReason reason : RejectReason.values()) {
            b.fault(FaultSpecParser.parseOption(FaultKind.MALFORMED, "reason=" + reason.name() + ",count=2"));
        }
        return b.build();
    }
}
