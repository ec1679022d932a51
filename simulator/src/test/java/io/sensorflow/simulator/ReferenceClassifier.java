package io.sensorflow.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The job's rejection rules as the brief states them, written out independently in the tests, to
 * check that every malformed payload has the defect its reason names (and valid ones have none).
 */
final class ReferenceClassifier {

    private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ReferenceClassifier() {}

    /** The reason the job must reject {@code payload} for, or null if it is a valid reading. */
    static RejectReason classify(byte[] payload) {
        if (payload.length == 0) {
            return RejectReason.EMPTY_PAYLOAD;
        }
        JsonNode n;
        try {
            n = Scenarios.JSON.readTree(payload);
        } catch (IOException e) {
            return RejectReason.NOT_JSON;
        }
        if (n == null || !n.isObject()) {
            return RejectReason.NOT_JSON;
        }
        JsonNode id = first(n, "sensor_id", "sensorId", "device_id");
        if (id == null) {
            return RejectReason.MISSING_SENSOR_ID;
        }
        boolean idOk = id.isTextual() ? !id.asText().isEmpty() && id.asText().length() <= 128 : id.isIntegralNumber();
        if (!idOk) {
            return RejectReason.INVALID_SENSOR_ID;
        }
        JsonNode ts = first(n, "ts", "timestamp");
        if (ts == null) {
            return RejectReason.MISSING_TIMESTAMP;
        }
        long eventTime = eventTime(ts);
        if (eventTime < 0) {
            return RejectReason.INVALID_TIMESTAMP;
        }
        boolean any = false;
        for (String metric : List.of("temperature", "humidity", "distance_cm")) {
            JsonNode v = n.get(metric);
            if (v != null) {
                any = true;
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    return RejectReason.INVALID_VALUE;
                }
            }
        }
        if (n.has("motion")) {
            any = true;
            if (!n.get("motion").isBoolean()) {
                return RejectReason.INVALID_VALUE;
            }
        }
        if (n.has("seq") && !n.get("seq").isIntegralNumber()) {
            return RejectReason.INVALID_VALUE;
        }
        if (!any) {
            return RejectReason.NO_MEASUREMENT;
        }
        if (outside(n, "temperature", -40, 125) || outside(n, "humidity", 0, 100) || outside(n, "distance_cm", 2, 400)) {
            return RejectReason.OUT_OF_RANGE;
        }
        if (eventTime > Instant.now().toEpochMilli() + 86_400_000L) {
            return RejectReason.FUTURE_TIMESTAMP;
        }
        return null;
    }

    private static JsonNode first(JsonNode n, String... names) {
        for (String name : names) {
            if (n.has(name)) {
                return n.get(name);
            }
        }
        return null;
    }

    private static boolean outside(JsonNode n, String field, double min, double max) {
        return n.has(field) && (n.get(field).asDouble() < min || n.get(field).asDouble() > max);
    }

    /** Epoch ms, or -1 when it cannot be read. */
    private static long eventTime(JsonNode ts) {
        if (ts.isNumber()) {
            long v = ts.asLong();
            return v < 0 ? -1 : v < 100_000_000_000L ? v * 1000 : v;
        }
        if (!ts.isTextual()) {
            return -1;
        }
        String s = ts.asText();
        try {
            return s.contains("T") ? OffsetDateTime.parse(s).toInstant().toEpochMilli()
                    : LocalDateTime.parse(s, SQL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
