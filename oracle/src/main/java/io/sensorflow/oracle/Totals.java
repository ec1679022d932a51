package io.sensorflow.oracle;

/**
 * Counts over the whole stream: messages = deadLetters + validReadings; validReadings = accepted
 * + duplicates + late.
 */
public record Totals(long messages, long validReadings, long accepted, long duplicates, long late,
        long deadLetters) {}
