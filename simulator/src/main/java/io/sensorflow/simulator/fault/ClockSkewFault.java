package io.sensorflow.simulator.fault;

import java.time.Duration;

/**
 * A sensor's clock (or every sensor's, with {@code sensor=all}) is off by a fixed {@code offset}:
 * its readings state event times shifted by it. With no sensor given, {@code count} random sensors.
 */
public record ClockSkewFault(SensorRef sensor, Duration offset, int count, String origin) implements FaultSpec {

    /** A skew this large or larger would make the job reject readings as FUTURE_TIMESTAMP. */
    public static final Duration LIMIT = Duration.ofHours(12);

    @Override
    public FaultKind kind() {
        return FaultKind.CLOCK_SKEW;
    }

    @Override
    public void validate(FaultContext c) {
        if (offset == null || offset.isZero()) {
            throw FaultSpec.error(origin, "offset", "give a non-zero duration, e.g. offset=-30s");
        }
        if (offset.abs().compareTo(LIMIT) >= 0) {
            throw FaultSpec.error(origin, "offset", "must be less than 12h either way, was " + offset);
        }
        if (count < 1) {
            throw FaultSpec.error(origin, "count", "must be at least 1, was " + count);
        }
        if (count > 1 && !sensor.isRandom()) {
            throw FaultSpec.error(origin, "count", "count applies to random sensors only; drop 'sensor'");
        }
        if (count > c.ids().size()) {
            throw FaultSpec.error(origin, "count", "the fleet has only " + c.ids().size() + " sensors");
        }
        Faults.checkSensor(sensor, c, origin);
    }
}
