package io.sensorflow.job.readings;

/**
 * Why a reading was sent to the dead-letter output. The {@link #name()} is the stable code that
 * consumers of the dead-letter topic and the {@code dead_letters} table match on.
 */
public enum RejectReason {
    EMPTY_PAYLOAD("the message has no payload"),
    NOT_JSON("the payload is not a JSON object"),
    MISSING_SENSOR_ID("no sensor id (sensor_id, sensorId or device_id)"),
    INVALID_SENSOR_ID("the sensor id is not a non-empty string of at most 128 characters or an integer"),
    MISSING_TIMESTAMP("no event time (ts or timestamp)"),
    INVALID_TIMESTAMP("the event time cannot be read"),
    INVALID_VALUE("a measurement or seq has the wrong type or is not a finite number"),
    NO_MEASUREMENT("no measurement (temperature, humidity, distance_cm or motion)"),
    OUT_OF_RANGE("a measurement is outside the sensor's physical range"),
    FUTURE_TIMESTAMP("the event time is too far in the future");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
