package io.sensorflow.simulator.fault;

import java.time.Duration;

/** The exact same message (key and bytes) sent again, up to {@code maxDelay} of event time later. */
public record DuplicateFault(Duration maxDelay, Occurrence occurrence, String origin) implements EventFault {

    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);

    @Override
    public FaultKind kind() {
        return FaultKind.DUPLICATE;
    }

    @Override
    public long tailMs(FaultContext c) {
        return maxDelay.toMillis() + c.intervalMs();
    }

    @Override
    public void validate(FaultContext c) {
        EventFault.validateOccurrence(this);
        if (maxDelay.isNegative()) {
            throw FaultSpec.error(origin, "max-delay", "must not be negative");
        }
    }
}
