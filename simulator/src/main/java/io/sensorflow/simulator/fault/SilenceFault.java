package io.sensorflow.simulator.fault;

import java.time.Duration;

/**
 * A sensor, or the whole fleet, stops reading for {@code length} of event time from {@code at}
 * (a random time when null), {@code count} times. A silent sensor takes no readings (its seq does
 * not advance).
 */
public record SilenceFault(SensorRef sensor, TimeRef at, Duration length, int count, String origin)
        implements FaultSpec {

    @Override
    public FaultKind kind() {
        return FaultKind.SILENCE;
    }

    @Override
    public void validate(FaultContext c) {
        Faults.checkSpan(sensor, at, length, count, c, origin, "a silence", "5m");
    }
}
