package io.sensorflow.job.readings;

import java.io.Serializable;

/** Rejects parsed readings whose values are physically impossible or whose time lies ahead. */
public final class ReadingValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final PhysicalRanges ranges;
    private final long maxFutureMs;

    public ReadingValidator(PhysicalRanges ranges, long maxFutureMs) {
        this.ranges = ranges;
        this.maxFutureMs = maxFutureMs;
    }

    /** Checks a reading the parser accepted, against the wall clock {@code nowMs}; returns it. */
    public Reading validate(Reading r, long nowMs) {
        if (!r.isValid()) {
            return r;
        }
        // Absent values are NaN, which no range check rejects.
        if (r.temperature == r.temperature && !ranges.temperature.contains(r.temperature)) {
            return r.reject(RejectReason.OUT_OF_RANGE,
                    "temperature " + r.temperature + " is outside " + ranges.temperature);
        }
        if (r.humidity == r.humidity && !ranges.humidity.contains(r.humidity)) {
            return r.reject(RejectReason.OUT_OF_RANGE, "humidity " + r.humidity + " is outside " + ranges.humidity);
        }
        if (r.distanceCm == r.distanceCm && !ranges.distanceCm.contains(r.distanceCm)) {
            return r.reject(RejectReason.OUT_OF_RANGE,
                    "distance_cm " + r.distanceCm + " is outside " + ranges.distanceCm);
        }
        if (r.eventTime - nowMs > maxFutureMs) {
            return r.reject(RejectReason.FUTURE_TIMESTAMP,
                    "event time is " + (r.eventTime - nowMs) + " ms ahead of the clock (at most " + maxFutureMs + ")");
        }
        return r;
    }
}
