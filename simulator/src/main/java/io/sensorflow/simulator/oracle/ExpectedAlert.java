package io.sensorflow.simulator.oracle;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An alert the job must emit: {@code alertId} ({@code AlertIds.of(rule, sensor, episode start)}),
 * the rule and sensor, {@code status} ({@link #FIRING} or {@link #RESOLVED}), the span of event
 * time it covers [{@code spanStartMs}, {@code spanEndMs}] and the event times of the readings
 * behind it with their values as the job parses them ({@code values} has null entries for
 * silence alerts, which carry no value).
 */
public record ExpectedAlert(
        String alertId,
        String ruleId,
        String sensorId,
        String status,
        @JsonProperty("span_start") long spanStartMs,
        @JsonProperty("span_end") long spanEndMs,
        List<Long> readingTimes,
        List<Double> values) {

    public static final String FIRING = "FIRING";
    public static final String RESOLVED = "RESOLVED";

    public ExpectedAlert {
        readingTimes = List.copyOf(readingTimes);
        // List.copyOf refuses nulls, and silence alerts have null values.
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }
}
