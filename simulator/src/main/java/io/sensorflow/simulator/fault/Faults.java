package io.sensorflow.simulator.fault;

import io.sensorflow.simulator.SettingsException;
import java.util.List;

/** Checks across the faults of a scenario. */
public final class Faults {

    private Faults() {}

    static void checkSensor(SensorRef sensor, FaultContext c, String origin) {
        if (sensor.id() != null && c.ids().find(sensor.id()) < 0) {
            throw FaultSpec.error(origin, "sensor", "unknown sensor '" + sensor.id() + "' (the fleet is "
                    + c.ids().rangeText() + ", or a number 1.." + c.ids().size() + ", or all)");
        }
    }

    /** The fields of a fault over spans of time (silence, batched); {@code what} names one span in messages. */
    static void checkSpan(SensorRef sensor, TimeRef at, java.time.Duration length, int count, FaultContext c,
            String origin, String what, String exampleLength) {
        if (length == null || length.toMillis() <= 0) {
            throw FaultSpec.error(origin, "for", "give a positive duration, e.g. for=" + exampleLength);
        }
        if (count < 1) {
            throw FaultSpec.error(origin, "count", "must be at least 1, was " + count);
        }
        if (count > 1 && at != null) {
            throw FaultSpec.error(origin, "count", what + " with 'at' happens once; drop 'at' for random times");
        }
        if (at == null && !c.bounded()) {
            throw FaultSpec.error(origin, "at", what + " at a random time needs a bounded run (count or duration)");
        }
        checkSensor(sensor, c, origin);
    }

    /** Validates every fault, and what they must satisfy together. */
    public static void validate(List<FaultSpec> faults, FaultContext c) {
        double total = 0;
        for (FaultSpec f : faults) {
            f.validate(c);
            if (f instanceof EventFault e) {
                if (e.occurrence().isCount() && !c.bounded()) {
                    throw FaultSpec.error(f.origin(), "count",
                            "a counted fault needs a bounded run (count or duration); use probability");
                }
                total += e.occurrence().isCount() ? 0 : e.occurrence().probability();
            }
        }
        if (total > 1.0 + 1e-12) {
            throw new SettingsException("faults", "the probabilities add up to " + total
                    + ", more than 1 (a reading has at most one fault starting on it)");
        }
    }
}
