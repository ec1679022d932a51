package io.sensorflow.oracle;

/**
 * The reason codes the job reports for a rejected message, as it spells them. Each malformed
 * message the simulator writes carries exactly one defect, so exactly one of these applies.
 */
public enum ExpectedRejectReason {
    /** Zero bytes. */
    EMPTY_PAYLOAD,
    /** A syntax error, or a top-level value that is not an object. */
    NOT_JSON,
    MISSING_SENSOR_ID,
    /** An empty string, a string longer than 128 characters, or a float, object, ... */
    INVALID_SENSOR_ID,
    MISSING_TIMESTAMP,
    /** An unparseable string or a negative epoch. */
    INVALID_TIMESTAMP,
    /** A measurement or seq of the wrong type, or a NaN/Infinity token. */
    INVALID_VALUE,
    /** None of temperature, humidity, distance_cm, motion. */
    NO_MEASUREMENT,
    /** A measurement outside its physical range, e.g. humidity 140. */
    OUT_OF_RANGE,
    /** An event time more than one day ahead of the job's wall clock. */
    FUTURE_TIMESTAMP
}
