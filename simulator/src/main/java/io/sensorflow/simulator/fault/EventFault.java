package io.sensorflow.simulator.fault;

/** A fault that starts at a reading: drawn per reading with a probability, or placed a number of times. */
public sealed interface EventFault extends FaultSpec
        permits ValueRunFault, OutOfOrderFault, LateFault, DuplicateFault, MalformedFault, EchoFault, BurstFault,
        HostileFault {

    Occurrence occurrence();

    /**
     * How much event time the fault needs after its reading to play out (a run's readings, a
     * hold); readings closer than this to the end of the run are not picked for a counted fault.
     */
    long tailMs(FaultContext context);

    static void validateOccurrence(EventFault f) {
        Occurrence o = f.occurrence();
        if (o == null) {
            throw FaultSpec.error(f.origin(), "count", "give count or probability");
        }
        if (o.isCount()) {
            return;
        }
        if (o.count() < 0) {
            throw FaultSpec.error(f.origin(), "count", "must be at least 1, was " + o.count());
        }
        if (!(o.probability() > 0 && o.probability() <= 1)) {
            throw FaultSpec.error(f.origin(), "probability", "must be in (0, 1], was " + o.probability());
        }
    }
}
