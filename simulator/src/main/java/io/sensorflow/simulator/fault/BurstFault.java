package io.sensorflow.simulator.fault;

/**
 * After a reading, {@code readings} more readings of the same sensor stating the same time, each
 * with other values (temperature 20.0..80.0, humidity 30.0..90.0, as the inspiration project's
 * producer draws them): a producer that stamps whole seconds and sends several readings a second.
 * They are different readings and must all count.
 */
public record BurstFault(int readings, Occurrence occurrence, String origin) implements EventFault {

    public static final int DEFAULT_READINGS = 10;

    @Override
    public FaultKind kind() {
        return FaultKind.BURST;
    }

    @Override
    public long tailMs(FaultContext c) {
        return 0;
    }

    @Override
    public void validate(FaultContext c) {
        EventFault.validateOccurrence(this);
        if (readings < 1 || readings > 100_000) {
            throw FaultSpec.error(origin, "readings", "must be between 1 and 100000, was " + readings);
        }
    }
}
