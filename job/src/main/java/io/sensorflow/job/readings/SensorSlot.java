package io.sensorflow.job.readings;

/**
 * The per-sensor entry of the first operator after the source that looks a sensor up, lent to the
 * operators chained after it through {@link Reading#sensorSlot}, so that a reading costs one hash
 * look-up however many of them keep per-sensor state. Each keeps its own map too, which stays
 * the truth: a slot is only a cache, and may be replaced or dropped at any time.
 */
public class SensorSlot {

    /** The alert candidate selection's state for this sensor, or null. */
    public Object alertState;
    /** Which alert rules apply to this sensor (their scopes), decided once while the slot lives; or null. */
    public Object alertScopes;
}
