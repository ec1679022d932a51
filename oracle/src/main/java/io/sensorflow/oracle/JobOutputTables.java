package io.sensorflow.oracle;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads what the job wrote to PostgreSQL ({@code sensor_aggregates}, {@code dead_letters},
 * {@code late_readings}, see sql/migrations) as the oracle's types, so that
 * {@link OutcomeComparison} can hold the two side by side.
 */
public final class JobOutputTables {

    private JobOutputTables() {}

    public static List<WindowAggregate> aggregates(DataSource db) throws SQLException {
        List<WindowAggregate> rows = new ArrayList<>();
        query(db, "SELECT sensor_id, " + millis("window_start") + ", " + millis("window_end") + ", reading_count,"
                + " temperature_count, temperature_min, temperature_max, temperature_avg,"
                + " humidity_count, humidity_min, humidity_max, humidity_avg,"
                + " distance_count, distance_min, distance_max, distance_avg, motion_readings, motion_count, "
                + millis("first_event_time") + ", " + millis("last_event_time") + ", duplicate_count,"
                + " readings_late_for_rules FROM sensor_aggregates ORDER BY sensor_id, window_start", rs -> rows.add(new WindowAggregate(
                        rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        metric(rs, 5), metric(rs, 9), metric(rs, 13), rs.getLong(17), rs.getLong(18),
                        rs.getLong(19), rs.getLong(20), rs.getLong(21), rs.getLong(22))));
        return rows;
    }

    public static List<ExpectedDeadLetter> deadLetters(DataSource db) throws SQLException {
        List<ExpectedDeadLetter> rows = new ArrayList<>();
        query(db, "SELECT coalesce(sensor_id, ''), payload, reason_code, payload_size, payload_sha256 FROM dead_letters"
                + " ORDER BY source_topic, source_partition, source_offset", rs -> rows.add(new ExpectedDeadLetter(
                        rs.getString(1), new String(rs.getBytes(2), StandardCharsets.UTF_8),
                        ExpectedRejectReason.valueOf(rs.getString(3)), rs.getInt(4), rs.getString(5))));
        return rows;
    }

    public static List<ExpectedLateReading> lateReadings(DataSource db) throws SQLException {
        List<ExpectedLateReading> rows = new ArrayList<>();
        query(db, "SELECT sensor_id, " + millis("event_time") + ", " + millis("window_start") + ", "
                + millis("window_end") + ", seq FROM late_readings"
                + " ORDER BY source_topic, source_partition, source_offset", rs -> {
                    long seq = rs.getLong(5);
                    Long seqOrNull = rs.wasNull() ? null : seq; // wasNull is of the column read last
                    rows.add(new ExpectedLateReading(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), seqOrNull, null));
                });
        return rows;
    }

    private static String millis(String column) {
        return "(extract(epoch FROM " + column + ") * 1000)::bigint";
    }

    /** count, min, max, avg at {@code col}; the oracle keeps the sum, so it is count * avg. */
    private static MetricStats metric(ResultSet rs, int col) throws SQLException {
        long count = rs.getLong(col);
        return count == 0 ? null
                : MetricStats.ofAverage(count, rs.getDouble(col + 1), rs.getDouble(col + 2), rs.getDouble(col + 3));
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(DataSource db, String sql, RowReader reader) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // with a fetch size, a cursor instead of the whole table in memory
            try (Statement st = c.createStatement()) {
                st.setFetchSize(10_000);
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            }
            c.commit();
        }
    }
}
