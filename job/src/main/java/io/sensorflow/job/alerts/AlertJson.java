package io.sensorflow.job.alerts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The alerts topic's record value:
 * <pre>{"alert_id": "…", "rule_id": "…", "rule_kind": "sequence", "severity": "critical",
 *  "status": "FIRING", "sensor_id": "…", "span_start": "…Z", "span_end": "…Z", "resolved_at": null,
 *  "readings": [{"time": "…Z", "value": 71.0}, …], "detected_at": "…Z", "late": false,
 *  "detection_delay_ms": null, "message": "…"}</pre>
 * {@code late} is true for an alert made by a reading late for rules that a rule with
 * {@code late: evaluate} took; {@code detection_delay_ms} is then by how much event time that
 * reading was late (null otherwise).
 */
public final class AlertJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AlertJson() {}

    public static byte[] toJson(Alert a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("alert_id", a.alertId);
            g.writeStringField("rule_id", a.ruleId);
            g.writeStringField("rule_kind", a.ruleKind);
            g.writeStringField("severity", a.severity);
            g.writeStringField("status", a.status);
            g.writeStringField("sensor_id", a.sensorId);
            g.writeStringField("span_start", time(a.spanStart));
            g.writeStringField("span_end", time(a.spanEnd));
            g.writeStringField("resolved_at", a.resolvedAt == Alert.NOT_RESOLVED ? null : time(a.resolvedAt));
            g.writeArrayFieldStart("readings");
            writeReadings(g, a);
            g.writeEndArray();
            g.writeStringField("detected_at", time(a.detectedAt));
            g.writeBooleanField("late", a.late);
            if (a.late) {
                g.writeNumberField("detection_delay_ms", a.detectionDelayMs);
            } else {
                g.writeNullField("detection_delay_ms");
            }
            g.writeStringField("message", a.message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return bytes.toByteArray();
    }

    /** The readings array alone, for the table's jsonb column. */
    public static String readingsJson(Alert a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartArray();
            writeReadings(g, a);
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeReadings(JsonGenerator g, Alert a) throws IOException {
        for (int i = 0; i < a.readingTimes.length; i++) {
            g.writeStartObject();
            g.writeStringField("time", time(a.readingTimes[i]));
            if (Double.isNaN(a.values[i])) {
                g.writeNullField("value");
            } else {
                g.writeNumberField("value", a.values[i]);
            }
            g.writeEndObject();
        }
    }

    static String time(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
