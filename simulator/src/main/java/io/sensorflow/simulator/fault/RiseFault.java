package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.Measurement;

/** A rapid rise: the metric climbs by {@code step} on each of {@code readings} readings (held within its physical range). */
public record RiseFault(Measurement metric, int stepTenths, int readings, Occurrence occurrence, String origin)
        implements ValueRunFault {

    @Override
    public FaultKind kind() {
        return FaultKind.RISE;
    }

    @Override
    public int valueAt(int index, int firstValue) {
        return metric.clamp((int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2,
                firstValue + (long) stepTenths * (index + 1))));
    }

    @Override
    public void validate(FaultContext c) {
        ValueRunFault.validateRun(this, c);
        if (stepTenths == 0) {
            throw FaultSpec.error(origin, "step", "give a non-zero step, e.g. step=2.5");
        }
    }
}
