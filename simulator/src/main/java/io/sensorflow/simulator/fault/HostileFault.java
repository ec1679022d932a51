package io.sensorflow.simulator.fault;

import io.sensorflow.simulator.payload.HostilePayloads.Shape;

/**
 * A reading sent as a payload no sensor makes ({@link io.sensorflow.simulator.payload.HostilePayloads}):
 * of {@code shape}, or a random one when null, about {@code size} bytes where the shape has a size.
 */
public record HostileFault(Shape shape, int size, Occurrence occurrence, String origin) implements EventFault {

    public static final int DEFAULT_SIZE = 600_000;
    /** Beyond what a broker takes by default (1 MiB); a producer and topic can be set to take it. */
    public static final int MAX_SIZE = 64 << 20;

    @Override
    public FaultKind kind() {
        return FaultKind.HOSTILE;
    }

    @Override
    public long tailMs(FaultContext c) {
        return 0;
    }

    @Override
    public void validate(FaultContext c) {
        EventFault.validateOccurrence(this);
        if (size < 1 || size > MAX_SIZE) {
            throw FaultSpec.error(origin, "size", "must be between 1 and " + MAX_SIZE + " bytes, was " + size);
        }
    }
}
