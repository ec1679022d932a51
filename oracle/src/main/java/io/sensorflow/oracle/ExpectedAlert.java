package io.sensorflow.oracle;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An alert the job must emit: {@code alertId} ({@code AlertIds.of(rule, sensor, episode start)}),
 * the rule and sensor, {@code status} ({@link #FIRING} or {@link #RESOLVED}), the span of event
 * time it covers [{@code spanStartMs}, {@code spanEndMs}] and the event times of the readings
 * behind it with their values as the job parses them ({@code values} has null entries for
 * silence alerts, which carry no value). {@code detectionDelayMs} is null for an alert on time; for
 * one made by a reading late for rules that a rule with {@code late: evaluate} took (the job's
 * {@code "late": true}), by how much event time that reading was late.
 */
public record ExpectedAlert(
        String alertId,
        String ruleId,
        String sensorId,
        String status,
        @JsonProperty("span_start") long spanStartMs,
        @JsonProperty("span_end") long spanEndMs,
        List<Long> readingTimes,
        List<Double> values,
        // Left out when null, so an outcome file of alerts on time reads as it did before.
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        @JsonProperty("detection_delay_ms") Long detectionDelayMs) {

    public static final String FIRING = "FIRING";
    public static final String RESOLVED = "RESOLVED";

    /** One record of the job's alerts topic (see the root README, "Alerts"), to compare with the expected. */
    public static ExpectedAlert fromJobJson(com.fasterxml.jackson.databind.JsonNode a) {
        List<Long> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode reading : a.get("readings")) {
            times.add(java.time.Instant.parse(reading.get("time").asText()).toEpochMilli());
            values.add(reading.get("value").isNull() ? null : reading.get("value").asDouble());
        }
        return new ExpectedAlert(a.get("alert_id").asText(), a.get("rule_id").asText(), a.get("sensor_id").asText(),
                a.get("status").asText(), java.time.Instant.parse(a.get("span_start").asText()).toEpochMilli(),
                java.time.Instant.parse(a.get("span_end").asText()).toEpochMilli(), times, values,
                a.path("late").asBoolean(false) ? a.get("detection_delay_ms").asLong() : null);
    }

    /** On time. */
    public ExpectedAlert(String alertId, String ruleId, String sensorId, String status, long spanStartMs, long spanEndMs,
            List<Long> readingTimes, List<Double> values) {
        this(alertId, ruleId, sensorId, status, spanStartMs, spanEndMs, readingTimes, values, null);
    }

    /** This alert made by a reading that was late by {@code delayMs}. */
    public ExpectedAlert late(long delayMs) {
        return new ExpectedAlert(alertId, ruleId, sensorId, status, spanStartMs, spanEndMs, readingTimes, values, delayMs);
    }

    public ExpectedAlert {
        readingTimes = List.copyOf(readingTimes);
        // List.copyOf refuses nulls, and silence alerts have null values.
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }
}
