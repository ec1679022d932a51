package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.ExpectedRejectReason;

/** A reading replaced by a payload with exactly one defect: {@code reason}, or a random one when null. */
public record MalformedFault(ExpectedRejectReason reason, Occurrence occurrence, String origin) implements EventFault {

    @Override
    public FaultKind kind() {
        return FaultKind.MALFORMED;
    }

    @Override
    public long tailMs(FaultContext c) {
        return 0;
    }

    @Override
    public void validate(FaultContext c) {
        EventFault.validateOccurrence(this);
    }
}
