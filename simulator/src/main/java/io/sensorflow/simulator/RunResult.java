package io.sensorflow.simulator;

import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.simulator.fault.FaultStats;
import java.time.Duration;

/**
 * What a run did: readings taken, messages sent (duplicate copies included), how long sending
 * took, what the faults did, and the expected outcome when it was asked for (else null).
 */
public record RunResult(long readings, long messages, Duration elapsed, FaultStats faults, ExpectedOutcome expected) {

    /** Messages per second of wall-clock time. */
    public double rate() {
        return messages * 1e9 / Math.max(1, elapsed.toNanos());
    }

    @Override
    public String toString() {
        return String.format("%d readings, %d messages in %.3f s (%.0f messages/s); faults: %s", readings, messages,
                elapsed.toNanos() / 1e9, rate(), faults);
    }
}
