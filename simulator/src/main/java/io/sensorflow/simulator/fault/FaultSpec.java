package io.sensorflow.simulator.fault;

import io.sensorflow.simulator.SettingsException;

/**
 * One fault of a scenario, as given by an option or a scenario file. {@link #origin()} says where
 * it came from ({@code --spike}, {@code scenario.yaml: faults[2]}) so errors can name it.
 */
public sealed interface FaultSpec permits SilenceFault, BatchedFault, ClockSkewFault, EventFault {

    FaultKind kind();

    String origin();

    /** Checks the fault against the settings it will run with. */
    void validate(FaultContext context);

    /** Where a field of a fault is: {@code --spike metric} or {@code file.yaml: faults[2].metric}. */
    static String where(String origin, String field) {
        return origin.startsWith("--") ? origin + " " + field : origin + "." + field;
    }

    static SettingsException error(String origin, String field, String problem) {
        return new SettingsException(where(origin, field), problem);
    }
}
