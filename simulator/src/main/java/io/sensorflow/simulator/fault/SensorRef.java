package io.sensorflow.simulator.fault;

/** Which sensor a silence or clock skew applies to: one by id, the whole fleet, or one the PRNG picks. */
public record SensorRef(String id, boolean wholeFleet) {

    public static SensorRef of(String id) {
        return new SensorRef(id, false);
    }

    public static SensorRef all() {
        return new SensorRef(null, true);
    }

    public static SensorRef random() {
        return new SensorRef(null, false);
    }

    public boolean isRandom() {
        return id == null && !wholeFleet;
    }

    @Override
    public String toString() {
        return wholeFleet ? "all" : id == null ? "random" : id;
    }
}
