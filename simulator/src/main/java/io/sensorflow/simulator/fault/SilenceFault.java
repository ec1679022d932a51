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
        if (length == null || length.toMillis() <= 0) {
            throw FaultSpec.error(origin, "for", "give a positive duration, e.g. for=5m");
        }
        if (count < 1) {
            throw FaultSpec.error(origin, "count", "must be at least 1, was " + count);
        }
        if (count > 1 && at != null) {
            throw FaultSpec.error(origin, "count", "a silence with 'at' happens once; drop 'at' for random times");
        }
        if (at == null && !c.bounded()) {
            throw FaultSpec.error(origin, "at", "a silence at a random time needs a bounded run (count or duration)");
        }
        Faults.checkSensor(sensor, c, origin);
    }
}
