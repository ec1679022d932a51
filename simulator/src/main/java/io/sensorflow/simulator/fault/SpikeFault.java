package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.Measurement;
import io.sensorflow.oracle.Tenths;

/** {@code readings} consecutive readings of a metric at one extreme but physically possible value (e.g. temperature 80). */
public record SpikeFault(Measurement metric, int valueTenths, int readings, Occurrence occurrence, String origin)
        implements ValueRunFault {

    @Override
    public FaultKind kind() {
        return FaultKind.SPIKE;
    }

    @Override
    public int valueAt(int index, int firstValue) {
        return valueTenths;
    }

    @Override
    public void validate(FaultContext c) {
        ValueRunFault.validateRun(this, c);
        if (!metric.inRange(valueTenths)) {
            throw FaultSpec.error(origin, "value", Tenths.toText(valueTenths) + " is outside the physical range of "
                    + metric.field() + " (" + metric.rangeText() + "); use malformed reason=OUT_OF_RANGE for that");
        }
    }
}
