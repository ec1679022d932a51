package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.Measurement;

/** A stuck sensor: the metric repeats the value it had for {@code readings} readings. */
public record StuckFault(Measurement metric, int readings, Occurrence occurrence, String origin) implements ValueRunFault {

    @Override
    public FaultKind kind() {
        return FaultKind.STUCK;
    }

    @Override
    public int valueAt(int index, int firstValue) {
        return firstValue;
    }

    @Override
    public void validate(FaultContext c) {
        ValueRunFault.validateRun(this, c);
    }
}
