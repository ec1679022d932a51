package io.sensorflow.benchmark;

import io.sensorflow.simulator.oracle.ExpectedOutcome;
import io.sensorflow.simulator.oracle.MetricStats;
import io.sensorflow.simulator.oracle.WindowAggregate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/** Compares the job's {@code sensor_aggregates} with the simulator's expected outcome, row by row. */
final class AggregateTableCheck {

    /** Sums differ in the last bits when added in another order. */
    static final double AVG_TOLERANCE = 1e-9;

    record Result(int expectedRows, int actualRows, List<String> mismatches) {
        boolean ok() {
            return mismatches.isEmpty();
        }
    }

    private AggregateTableCheck() {}

    static Result compare(DataSource db, ExpectedOutcome expected) throws SQLException {
        Map<String, WindowAggregate> want = new HashMap<>();
        for (WindowAggregate a : expected.aggregates()) {
            want.put(a.sensorId() + "@" + a.windowStart(), a);
        }
        List<String> mismatches = new ArrayList<>();
        int actualRows = 0;
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.setFetchSize(10_000);
            c.setAutoCommit(false); // a cursor, not the whole table in memory
            try (ResultSet rs = st.executeQuery("SELECT sensor_id, (extract(epoch FROM window_start) * 1000)::bigint,"
                    + " (extract(epoch FROM window_end) * 1000)::bigint, reading_count, duplicate_count,"
                    + " temperature_count, temperature_min, temperature_max, temperature_avg,"
                    + " humidity_count, humidity_min, humidity_max, humidity_avg,"
                    + " distance_count, distance_min, distance_max, distance_avg, motion_readings, motion_count,"
                    + " (extract(epoch FROM first_event_time) * 1000)::bigint,"
                    + " (extract(epoch FROM last_event_time) * 1000)::bigint FROM sensor_aggregates")) {
                while (rs.next()) {
                    actualRows++;
                    String key = rs.getString(1) + "@" + rs.getLong(2);
                    WindowAggregate w = want.remove(key);
                    if (w == null) {
                        note(mismatches, "unexpected row " + key);
                        continue;
                    }
                    List<String> diffs = new ArrayList<>();
                    same(diffs, "window_end", w.windowEnd(), rs.getLong(3));
                    same(diffs, "reading_count", w.readingCount(), rs.getLong(4));
                    same(diffs, "duplicate_count", w.duplicateCount(), rs.getLong(5));
                    metric(diffs, "temperature", w.temperature(), rs, 6);
                    metric(diffs, "humidity", w.humidity(), rs, 10);
                    metric(diffs, "distance", w.distanceCm(), rs, 14);
                    same(diffs, "motion_readings", w.motionReadings(), rs.getLong(18));
                    same(diffs, "motion_count", w.motionCount(), rs.getLong(19));
                    same(diffs, "first_event_time", w.firstEventTime(), rs.getLong(20));
                    same(diffs, "last_event_time", w.lastEventTime(), rs.getLong(21));
                    if (!diffs.isEmpty()) {
                        note(mismatches, key + ": " + String.join(", ", diffs));
                    }
                }
            }
        }
        for (String missing : want.keySet()) {
            note(mismatches, "missing row " + missing);
        }
        return new Result(expected.aggregates().size(), actualRows, mismatches);
    }

    private static void metric(List<String> diffs, String name, MetricStats want, ResultSet rs, int col)
            throws SQLException {
        long count = rs.getLong(col);
        if (want == null) {
            same(diffs, name + "_count", 0L, count);
            return;
        }
        same(diffs, name + "_count", want.count(), count);
        same(diffs, name + "_min", want.min(), rs.getDouble(col + 1));
        same(diffs, name + "_max", want.max(), rs.getDouble(col + 2));
        double avg = rs.getDouble(col + 3);
        if (Math.abs(avg - want.avg()) > AVG_TOLERANCE * Math.max(1.0, Math.abs(want.avg()))) {
            diffs.add(name + "_avg " + avg + " != " + want.avg());
        }
    }

    private static void same(List<String> diffs, String what, Object want, Object got) {
        if (!Objects.equals(want, got)) {
            diffs.add(what + " " + got + " != " + want);
        }
    }

    private static void same(List<String> diffs, String what, double want, double got) {
        if (Double.compare(want, got) != 0) {
            diffs.add(what + " " + got + " != " + want);
        }
    }

    private static void note(List<String> mismatches, String m) {
        if (mismatches.size() < 1000) {
            mismatches.add(m);
        }
    }
}
