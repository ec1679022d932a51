package io.sensorflow.oracle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The expected outcome as JSON, fields in snake_case, times in epoch ms:
 * <pre>
 * {"parameters": {"window_size_ms": 900000, "out_of_orderness_ms": 5000, "watermark_granularity_ms": 1000,
 *                 "allowed_lateness_ms": 300000},
 *  "totals": {"messages": ..., "valid_readings": ..., "accepted": ..., "duplicates": ..., "late": ..., "dead_letters": ...},
 *  "aggregates": [{"sensor_id": "sensor-00001", "window_start": ..., "window_end": ..., "reading_count": ...,
 *                  "temperature": {"count": ..., "min": ..., "max": ..., "sum": ...} (or null), "humidity": ...,
 *                  "distance_cm": ..., "motion_readings": ..., "motion_count": ..., "first_event_time": ...,
 *                  "last_event_time": ..., "duplicate_count": ..., "readings_late_for_rules": ...}],
 *  "dead_letters": [{"key": "sensor-00003", "payload": "...", "reason": "NOT_JSON"}],
 *  "late_readings": [{"sensor_id": ..., "event_time": ..., "window_start": ..., "window_end": ..., "seq": ..., "payload": ...}],
 *  "alerts": [{"alert_id": "...", "rule_id": "sensor-silence", "sensor_id": ..., "status": "FIRING",
 *              "span_start": ..., "span_end": ..., "reading_times": [...], "values": [null]}]}
 * </pre>
 * A file without {@code alerts} (written before alerts existed) reads as an outcome without alerts;
 * an aggregate without {@code readings_late_for_rules} (written before it was counted) with 0.
 */
public final class ExpectedOutcomeJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ExpectedOutcomeJson() {}

    public static void write(ExpectedOutcome outcome, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            write(outcome, out);
        }
    }

    public static void write(ExpectedOutcome outcome, OutputStream out) throws IOException {
        MAPPER.writeValue(out, outcome);
    }

    public static String toJson(ExpectedOutcome outcome) throws IOException {
        return MAPPER.writeValueAsString(outcome);
    }

    public static ExpectedOutcome read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static ExpectedOutcome read(InputStream in) throws IOException {
        return MAPPER.readValue(in, ExpectedOutcome.class);
    }

    public static ExpectedOutcome fromJson(String json) throws IOException {
        return MAPPER.readValue(json, ExpectedOutcome.class);
    }
}
