package io.sensorflow.rules;

import java.time.Duration;

/** No reading from a sensor for {@code after}: one alert per silence, resolved when the sensor reports again. */
public record SilenceRule(String id, Severity severity, String description, Duration after, SensorScope scope)
        implements Rule {

    public SilenceRule {
        java.util.Objects.requireNonNull(scope, "scope");
    }

    /** For all sensors. */
    public SilenceRule(String id, Severity severity, String description, Duration after) {
        this(id, severity, description, after, SensorScope.ALL);
    }

    @Override
    public String kind() {
        return "silence";
    }
}
