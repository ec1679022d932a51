package io.sensorflow.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sensorflow.oracle.ExpectedRejectReason;
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

    /**
     * JSON as the job's README bounds it: nesting up to 64, names up to 50,000 characters and numbers
     * up to 1,000 digits (the last two Jackson's own defaults). Strings are bounded below, only
     * where the job reads them: it skips the values of unknown fields unread.
     */
    private static final ObjectMapper BOUNDED = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64).maxStringLength(256 << 20).maxNameLength(50_000).maxNumberLength(1_000).build())
            .build()).enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** The reason the job must reject {@code payload} for, or null if it is a valid reading. */
    static ExpectedRejectReason classify(byte[] payload) {
        if (payload.length == 0) {
            return ExpectedRejectReason.EMPTY_PAYLOAD;
        }
        JsonNode n;
        try {
            n = BOUNDED.readTree(payload);
        } catch (IOException e) {
            return ExpectedRejectReason.NOT_JSON;
        }
        ExpectedRejectReason repeated = repeatedField(payload);
        if (repeated != null && n.isObject()) {
            return repeated;
        }
        if (n == null || !n.isObject()) {
            return ExpectedRejectReason.NOT_JSON;
        }
        for (String read : List.of("sensor_id", "sensorId", "device_id", "ts", "timestamp")) {
            if (n.has(read) && n.get(read).isTextual() && n.get(read).asText().length() > (1 << 20)) {
                return ExpectedRejectReason.NOT_JSON; // a string the job reads, past its 1 MiB bound
            }
        }
        JsonNode id = first(n, "sensor_id", "sensorId", "device_id");
        if (id == null) {
            return ExpectedRejectReason.MISSING_SENSOR_ID;
        }
        boolean idOk = id.isTextual() ? !id.asText().isEmpty() && id.asText().length() <= 128 : id.isIntegralNumber();
        if (!idOk) {
            return ExpectedRejectReason.INVALID_SENSOR_ID;
        }
        JsonNode ts = first(n, "ts", "timestamp");
        if (ts == null) {
            return ExpectedRejectReason.MISSING_TIMESTAMP;
        }
        long eventTime = eventTime(ts);
        if (eventTime < 0) {
            return ExpectedRejectReason.INVALID_TIMESTAMP;
        }
        boolean any = false;
        for (String metric : List.of("temperature", "humidity", "distance_cm")) {
            JsonNode v = n.get(metric);
            if (v != null) {
                any = true;
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    return ExpectedRejectReason.INVALID_VALUE;
                }
            }
        }
        if (n.has("motion")) {
            any = true;
            if (!n.get("motion").isBoolean()) {
                return ExpectedRejectReason.INVALID_VALUE;
            }
        }
        if (n.has("seq") && !n.get("seq").isIntegralNumber()) {
            return ExpectedRejectReason.INVALID_VALUE;
        }
        if (!any) {
            return ExpectedRejectReason.NO_MEASUREMENT;
        }
        if (outside(n, "temperature", -40, 125) || outside(n, "humidity", 0, 100) || outside(n, "distance_cm", 2, 400)) {
            return ExpectedRejectReason.OUT_OF_RANGE;
        }
        if (eventTime > Instant.now().toEpochMilli() + 86_400_000L) {
            return ExpectedRejectReason.FUTURE_TIMESTAMP;
        }
        return null;
    }

    /** A field the job reads, given twice at the top level: rejected as a defect of its kind. */
    private static ExpectedRejectReason repeatedField(byte[] payload) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (JsonParser p = BOUNDED.getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!seen.add(name)) {
                    switch (name) {
                        case "sensor_id": case "sensorId": case "device_id": return ExpectedRejectReason.INVALID_SENSOR_ID;
                        case "ts": case "timestamp": return ExpectedRejectReason.INVALID_TIMESTAMP;
                        case "temperature": case "humidity": case "distance_cm": case "motion": case "seq":
                            return ExpectedRejectReason.INVALID_VALUE;
                        default: break;
                    }
                }
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            return null;
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
