package io.sensorflow.oracle;


/**
 * A reading the job counts in its aggregates: valid, in time for its window, and not a repeat of
 * one counted before. The job's archive holds exactly these. Absent values are null.
 */
public record AcceptedReading(String sensorId, long eventTime, Long seq, Double temperature, Double humidity,
        Double distanceCm, Boolean motion) {

    static AcceptedReading of(String sensorId, MessageFacts r) {
        return new AcceptedReading(sensorId, r.eventTime(), r.hasSeq() ? r.seq() : null, value(r, Measurement.TEMPERATURE),
                value(r, Measurement.HUMIDITY), value(r, Measurement.DISTANCE_CM),
                r.motion() == MessageFacts.MOTION_ABSENT ? null : r.motion() == 1);
    }

    private static Double value(MessageFacts r, Measurement m) {
        int tenths = r.value(m);
        return tenths == MessageFacts.ABSENT ? null : tenths / 10.0;
    }
}
