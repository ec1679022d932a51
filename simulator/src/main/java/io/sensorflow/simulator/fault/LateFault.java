package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.OracleParameters;
import java.time.Duration;

/**
 * A reading held back and emitted {@code hold} of event time later. By default the hold is long
 * enough that the job must treat it as too late (window + allowed lateness + out-of-orderness +
 * 2 × watermark granularity); a shorter hold gives a reading that is late but still counted.
 */
public record LateFault(Duration hold, Occurrence occurrence, String origin) implements EventFault {

    @Override
    public FaultKind kind() {
        return FaultKind.LATE;
    }

    /** The hold to use: the given one, or one that is surely too late for the oracle's parameters. */
    public Duration effectiveHold(OracleParameters p) {
        return hold != null ? hold : defaultHold(p);
    }

    public static Duration defaultHold(OracleParameters p) {
        return p.windowSize().plus(p.allowedLateness()).plus(p.outOfOrderness())
                .plus(p.watermarkGranularity().multipliedBy(2));
    }

    @Override
    public long tailMs(FaultContext c) {
        return effectiveHold(c.oracle()).toMillis() + c.intervalMs();
    }

    @Override
    public void validate(FaultContext c) {
        EventFault.validateOccurrence(this);
        if (hold != null && hold.toMillis() < 1) {
            throw FaultSpec.error(origin, "hold", "must be at least 1ms");
        }
    }
}
