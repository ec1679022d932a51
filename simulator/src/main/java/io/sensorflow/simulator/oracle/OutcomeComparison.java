package io.sensorflow.simulator.oracle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compares what the job produced with what the oracle expects, and says what differs. Counts,
 * times, min and max must match exactly; averages (and so sums) within a tolerance, since the job
 * may add in another order. Dead letters and late readings are compared as multisets (order across
 * partitions is not the emission order).
 */
public final class OutcomeComparison {

    /** A tolerance for averages of one-decimal values over up to millions of readings. */
    public static final double DEFAULT_AVG_TOLERANCE = 1e-6;

    private OutcomeComparison() {}

    /** Every difference between expected and actual aggregates, keyed by (sensor, window start); empty if none. */
    public static List<String> aggregateDifferences(List<WindowAggregate> expected, List<WindowAggregate> actual,
            double avgTolerance) {
        Map<String, WindowAggregate> byKey = new LinkedHashMap<>();
        for (WindowAggregate a : actual) {
            if (byKey.put(key(a), a) != null) {
                return List.of("actual has " + key(a) + " more than once");
            }
        }
        List<String> diffs = new ArrayList<>();
        for (WindowAggregate e : expected) {
            WindowAggregate a = byKey.remove(key(e));
            if (a == null) {
                diffs.add("missing " + key(e) + ": expected " + e);
                continue;
            }
            String k = key(e);
            check(diffs, k, "window_end", e.windowEnd(), a.windowEnd());
            check(diffs, k, "reading_count", e.readingCount(), a.readingCount());
            metric(diffs, k, "temperature", e.temperature(), a.temperature(), avgTolerance);
            metric(diffs, k, "humidity", e.humidity(), a.humidity(), avgTolerance);
            metric(diffs, k, "distance_cm", e.distanceCm(), a.distanceCm(), avgTolerance);
            check(diffs, k, "motion_readings", e.motionReadings(), a.motionReadings());
            check(diffs, k, "motion_count", e.motionCount(), a.motionCount());
            check(diffs, k, "first_event_time", e.firstEventTime(), a.firstEventTime());
            check(diffs, k, "last_event_time", e.lastEventTime(), a.lastEventTime());
            check(diffs, k, "duplicate_count", e.duplicateCount(), a.duplicateCount());
        }
        byKey.values().forEach(a -> diffs.add("unexpected " + key(a) + ": " + a));
        return diffs;
    }

    /**
     * Differences between dead letters, as multisets of (reason, payload). The Kafka key is left
     * out: the job records where a dead letter came from (topic, partition, offset), not its key.
     */
    public static List<String> deadLetterDifferences(List<DeadLetter> expected, List<DeadLetter> actual) {
        return multisetDifferences("dead letter", expected, actual, d -> d.reason() + " " + d.payload());
    }

    /** Differences between late readings, as multisets of (sensor, event time, seq). */
    public static List<String> lateDifferences(List<LateReading> expected, List<LateReading> actual) {
        return multisetDifferences("late reading", expected, actual,
                l -> l.sensorId() + " @" + l.eventTime() + " seq=" + l.seq());
    }

    /** Throws an AssertionError listing the differences (at most 50) between expected and actual aggregates. */
    public static void assertAggregatesMatch(List<WindowAggregate> expected, List<WindowAggregate> actual,
            double avgTolerance) {
        List<String> diffs = aggregateDifferences(expected, actual, avgTolerance);
        if (!diffs.isEmpty()) {
            throw new AssertionError(diffs.size() + " aggregate difference(s):\n  "
                    + String.join("\n  ", diffs.subList(0, Math.min(50, diffs.size()))));
        }
    }

    private static <T> List<String> multisetDifferences(String what, List<T> expected, List<T> actual,
            Function<T, ?> identity) {
        Map<Object, Integer> counts = new HashMap<>();
        expected.forEach(e -> counts.merge(identity.apply(e), 1, Integer::sum));
        actual.forEach(a -> counts.merge(identity.apply(a), -1, Integer::sum));
        List<String> diffs = new ArrayList<>();
        counts.forEach((k, n) -> {
            if (n > 0) {
                diffs.add("missing " + n + " " + what + "(s): " + k);
            } else if (n < 0) {
                diffs.add("unexpected " + (-n) + " " + what + "(s): " + k);
            }
        });
        return diffs;
    }

    private static String key(WindowAggregate a) {
        return a.sensorId() + "@" + a.windowStart();
    }

    private static void check(List<String> diffs, String key, String field, long expected, long actual) {
        if (expected != actual) {
            diffs.add(key + " " + field + ": expected " + expected + ", was " + actual);
        }
    }

    private static void metric(List<String> diffs, String key, String field, MetricStats e, MetricStats a, double tol) {
        if (e == null || a == null || e.count() == 0 || a.count() == 0) {
            boolean eNone = e == null || e.count() == 0;
            boolean aNone = a == null || a.count() == 0;
            if (eNone != aNone) {
                diffs.add(key + " " + field + ": expected " + e + ", was " + a);
            }
            return;
        }
        if (!e.matches(a, tol)) {
            diffs.add(key + " " + field + ": expected " + e + ", was " + a);
        }
    }
}
