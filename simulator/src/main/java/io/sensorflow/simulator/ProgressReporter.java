package io.sensorflow.simulator;

import java.io.PrintStream;
import java.time.Duration;

/** Every few seconds, prints how many messages have been sent and at what rate. */
final class ProgressReporter {

    private final PrintStream out;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private long nextNanos;
    private long lastNanos = startNanos;
    private long lastCount;

    /** {@code out} null or a zero interval: silent. */
    ProgressReporter(PrintStream out, Duration interval) {
        this.out = interval.isZero() ? null : out;
        this.intervalNanos = interval.toNanos();
        this.nextNanos = startNanos + intervalNanos;
    }

    void maybeReport(long sent) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now < nextNanos) {
            return;
        }
        double current = (sent - lastCount) * 1e9 / Math.max(1, now - lastNanos);
        double average = sent * 1e9 / Math.max(1, now - startNanos);
        out.printf("sensorflow-simulator: %d messages sent, %.0f/s now, %.0f/s on average%n", sent, current, average);
        out.flush();
        lastCount = sent;
        lastNanos = now;
        nextNanos = now + intervalNanos;
    }
}
