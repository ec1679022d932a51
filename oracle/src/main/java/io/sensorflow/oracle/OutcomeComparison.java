package io.sensorflow.oracle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compares what the job produced with what the oracle expects, and says what differs. Counts,
 * times, min and max must match exactly; averages (and so sums) within a tolerance, since the job
 * may add in another order. Dead letters, late readings and alerts are compared as multisets (order
 * across partitions is not the emission order).
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
            check(diffs, k, "readings_late_for_rules", e.readingsLateForRules(), a.readingsLateForRules());
        }
        byKey.values().forEach(a -> diffs.add("unexpected " + key(a) + ": " + a));
        return diffs;
    }

    /**
     * Differences between dead letters, as multisets of (reason, payload size, payload SHA-256):
     * the job keeps a large payload only in part. The Kafka key is left out: the job records where
     * a dead letter came from (topic, partition, offset), not its key.
     */
    public static List<String> deadLetterDifferences(List<ExpectedDeadLetter> expected, List<ExpectedDeadLetter> actual) {
        return multisetDifferences("dead letter", expected, actual, d -> d.reason() + " " + d.payloadSize()
                + " bytes, sha256 " + d.payloadSha256() + " (" + beginning(d.payload()) + ")");
    }

    /** The first characters of a payload: the same whether the job kept it whole or cut. */
    private static String beginning(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** Differences between late readings, as multisets of (sensor, event time, seq). */
    public static List<String> lateDifferences(List<ExpectedLateReading> expected, List<ExpectedLateReading> actual) {
        return multisetDifferences("late reading", expected, actual,
                l -> l.sensorId() + " @" + l.eventTime() + " seq=" + l.seq());
    }

    /**
     * Differences between alerts, as multisets of every field (id, rule, sensor, status, span,
     * reading times, values, whether late and by how much): an alert the job emitted twice is a difference. Values compare
     * exactly, as both sides parse the same payload text.
     */
    public static List<String> alertDifferences(List<ExpectedAlert> expected, List<ExpectedAlert> actual) {
        return multisetDifferences("alert", expected, actual, OutcomeComparison::describe);
    }

    /**
     * An alert in words, every field: {@code sensor-00003 temperature-extreme-run FIRING
     * [2026-11-21T08:00:01Z .. 2026-11-21T08:00:03Z] readings [2026-11-21T08:00:01Z=80.0, ...] id ...};
     * a silence reading has no value ({@code =-}).
     */
    static String describe(ExpectedAlert a) {
        StringBuilder sb = new StringBuilder().append(a.sensorId()).append(' ').append(a.ruleId()).append(' ')
                .append(a.status()).append(" [").append(Instant.ofEpochMilli(a.spanStartMs())).append(" .. ")
                .append(Instant.ofEpochMilli(a.spanEndMs())).append("] readings [");
        int n = Math.max(a.readingTimes().size(), a.values().size());
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ")
                    .append(i < a.readingTimes().size() ? Instant.ofEpochMilli(a.readingTimes().get(i)) : "(no time)")
                    .append('=').append(i < a.values().size() ? valueText(a.values().get(i)) : "(no value)");
        }
        sb.append("] id ").append(a.alertId());
        if (a.detectionDelayMs() != null) {
            sb.append(" late by ").append(a.detectionDelayMs()).append(" ms");
        }
        return sb.toString();
    }

    private static String valueText(Double v) {
        return v == null ? "-" : v == 0.0 ? "0.0" : v.toString(); // -0.0 and 0.0 are the same reading
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
        Map<Object, Integer> counts = new LinkedHashMap<>(); // differences in the order of the lists
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
