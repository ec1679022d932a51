package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.Measurement;

/**
 * A fault that overrides one metric of a sensor for its next {@code readings} valid readings
 * carrying that metric: spike (a fixed value), rise (climbing by a step), stuck (frozen).
 */
public sealed interface ValueRunFault extends EventFault permits SpikeFault, RiseFault, StuckFault {

    Measurement metric();

    int readings();

    /**
     * The value of the run's {@code index}-th reading (from 0), given the metric's value when the
     * run took its first reading.
     */
    int valueAt(int index, int firstValue);

    @Override
    default long tailMs(FaultContext c) {
        return (readings() + 1L) * Math.max(c.intervalMs(), metric() == Measurement.DISTANCE_CM ? 0 : 1000);
    }

    static void validateRun(ValueRunFault f, FaultContext c) {
        EventFault.validateOccurrence(f);
        if (f.metric() == null) {
            throw FaultSpec.error(f.origin(), "metric", "give one of " + Measurement.names());
        }
        if (f.metric() == Measurement.DISTANCE_CM && !c.format().carriesSeqDistanceAndMotion()) {
            throw FaultSpec.error(f.origin(), "metric", "the " + c.format() + " format carries no distance_cm");
        }
        if (f.readings() < 1) {
            throw FaultSpec.error(f.origin(), "readings", "must be at least 1, was " + f.readings());
        }
        if (!f.occurrence().isCount() && f.occurrence().probability() * f.readings() > 0.5) {
            throw FaultSpec.error(f.origin(), "probability", "runs would pile up on each other: keep probability"
                    + " × readings at most 0.5 (was " + f.occurrence().probability() * f.readings() + ")");
        }
    }
}
