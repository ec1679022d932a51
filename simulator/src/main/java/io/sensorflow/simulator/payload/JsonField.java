package io.sensorflow.simulator.payload;

/**
 * One field of a payload as raw JSON text, with the part it plays. The malformed-message writer
 * works on lists of these: it drops or replaces exactly one thing.
 */
public record JsonField(String name, Role role, String rawJson) {

    /** What a field is to the job. */
    public enum Role { SENSOR_ID, TIMESTAMP, MEASUREMENT, SEQ }

    public JsonField withRaw(String raw) {
        return new JsonField(name, role, raw);
    }

    public static String quote(String s) {
        return '"' + s + '"';
    }
}
