package io.sensorflow.simulator.fault;

import io.sensorflow.durations.Durations;
import java.time.Duration;

/**
 * A reading emitted after its neighbours: held back by between half of {@code maxDelay} and
 * {@code maxDelay} of event time (so readings of later times go first), which must stay below the
 * job's out-of-orderness bound so the reading is still in time.
 */
public record OutOfOrderFault(Duration maxDelay, Occurrence occurrence, String origin) implements EventFault {

    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(2);

    @Override
    public FaultKind kind() {
        return FaultKind.OUT_OF_ORDER;
    }

    @Override
    public long tailMs(FaultContext c) {
        return maxDelay.toMillis() + c.intervalMs();
    }

    @Override
    public void validate(FaultContext c) {
        EventFault.validateOccurrence(this);
        if (maxDelay.toMillis() < 1) {
            throw FaultSpec.error(origin, "max-delay", "must be at least 1ms");
        }
        if (maxDelay.compareTo(c.oracle().outOfOrderness()) >= 0) {
            throw FaultSpec.error(origin, "max-delay", "must be below the out-of-orderness bound "
                    + Durations.format(c.oracle().outOfOrderness()) + ", was " + Durations.format(maxDelay)
                    + " (use the late fault for readings beyond it)");
        }
    }
}
