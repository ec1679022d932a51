package io.sensorflow.rules;

import java.time.Duration;

/** {@code metric} up by at least {@code by} within {@code within}. */
public record RiseRule(String id, Severity severity, String description, Metric metric, double by, Duration within)
        implements Rule {}
