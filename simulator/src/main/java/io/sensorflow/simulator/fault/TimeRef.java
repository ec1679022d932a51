package io.sensorflow.simulator.fault;

import java.time.Duration;
import java.time.Instant;

/** A point in event time: an instant, or an offset from the run's start. */
public record TimeRef(Instant instant, Duration offset) {

    public static TimeRef at(Instant instant) {
        return new TimeRef(instant, null);
    }

    public static TimeRef afterStart(Duration offset) {
        return new TimeRef(null, offset);
    }

    public long toEpochMs(long startMs) {
        return instant != null ? instant.toEpochMilli() : startMs + offset.toMillis();
    }

    @Override
    public String toString() {
        return instant != null ? instant.toString() : "+" + offset;
    }
}
