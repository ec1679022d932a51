package io.sensorflow.simulator;

import java.util.concurrent.locks.LockSupport;

/** Holds a sender to a number of messages per second of wall-clock time (0: no limit). */
final class RatePacer {

    private final double nanosPerMessage;
    private final long startNanos = System.nanoTime();

    RatePacer(double perSecond) {
        this.nanosPerMessage = perSecond > 0 ? 1e9 / perSecond : 0;
    }

    boolean limited() {
        return nanosPerMessage > 0;
    }

    /** How many messages may go between two calls to {@link #await}. */
    long batch() {
        return nanosPerMessage == 0 ? 4096 : Math.max(1, Math.min(1000, (long) (5_000_000 / nanosPerMessage)));
    }

    /** Waits until {@code sent} messages are due. */
    void await(long sent) {
        if (nanosPerMessage == 0) {
            return;
        }
        long due = startNanos + (long) (sent * nanosPerMessage);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
