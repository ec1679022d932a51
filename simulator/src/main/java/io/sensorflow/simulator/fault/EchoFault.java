package io.sensorflow.simulator.fault;

/**
 * An HC-SR04 out-of-range echo: distance_cm above 400 (400.1..1200.0) in an otherwise normal
 * reading, which the job rejects as OUT_OF_RANGE. Only the sensorflow format carries distance.
 */
public record EchoFault(Occurrence occurrence, String origin) implements EventFault {

    @Override
    public FaultKind kind() {
        return FaultKind.ECHO;
    }

    @Override
    public long tailMs(FaultContext c) {
        return 0;
    }

    @Override
    public void validate(FaultContext c) {
        EventFault.validateOccurrence(this);
        if (!c.format().carriesSeqDistanceAndMotion()) {
            throw new io.sensorflow.simulator.SettingsException(origin,
                    "the " + c.format() + " format carries no distance_cm to echo");
        }
    }
}
