package io.sensorflow.local;

import java.time.Duration;

/** Counts and durations in words for the banner: "1 minute", "45 minutes", "1 sensor". */
final class Words {

    private Words() {}

    /** {@code n unit}, with an s unless n is 1. */
    static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** In the largest unit that divides it: "15 minutes", "1 hour", "90 seconds", "1500 milliseconds". */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return count(ms / 86_400_000L, "day");
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return count(ms / 3_600_000L, "hour");
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return count(ms / 60_000L, "minute");
        }
        if (ms % 1000L == 0) {
            return count(ms / 1000L, "second");
        }
        return count(ms, "millisecond");
    }
}
