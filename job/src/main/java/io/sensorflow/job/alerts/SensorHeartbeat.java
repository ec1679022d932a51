package io.sensorflow.job.alerts;

/**
 * A stretch of a sensor's readings, {@code first} to {@code last} in event time, with no gap
 * longer than the silence threshold inside: all that silence detection needs to know of them.
 */
public class SensorHeartbeat {

    public String sensorId;
    public long first;
    public long last;
    /**
     * Which silence rules apply to the sensor, by their place among the silence rules
     * ({@link DetectSilence}); null when all do (no silence rule has a scope).
     */
    public boolean[] silenceRules;

    public SensorHeartbeat() {}

    public SensorHeartbeat(String sensorId, long first, long last) {
        this.sensorId = sensorId;
        this.first = first;
        this.last = last;
    }

    @Override
    public String toString() {
        return "SensorHeartbeat{" + sensorId + " " + first + ".." + last + "}";
    }
}
