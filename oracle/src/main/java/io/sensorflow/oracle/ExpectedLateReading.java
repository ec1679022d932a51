package io.sensorflow.oracle;

/**
 * A valid reading that arrives after its window has closed for good: the job must count it as
 * too late, not aggregate it. {@code seq} is null when the payload has none.
 */
public record ExpectedLateReading(String sensorId, long eventTime, long windowStart, long windowEnd, Long seq,
        String payload) {}
