package io.sensorflow.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorflow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard views of V3 over rows like the job writes them, checked number by number. */
class DashboardViewsTest {

    private static final List<String> DASHBOARD_VIEWS = List.of("latest_readings", "sensor_hourly", "sensor_daily",
            "open_alerts", "alert_counts", "pipeline_health", "window_quality");

    private static LocalPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start();
        SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        execute("DELETE FROM sensor_aggregates; DELETE FROM late_readings; DELETE FROM dead_letters;"
                + " DELETE FROM sensor_alerts");
    }

    @Test
    void latestReadingsHasTheNewestWindowOfEachSensor() throws SQLException {
        new Window("greenhouse-01", "2026-11-21T08:00:00Z").temperature(60, 19.0, 21.0, 20.0).insert();
        new Window("greenhouse-01", "2026-11-21T08:15:00Z").temperature(30, 22.0, 24.5, 23.0)
                .lastEventTime("2026-11-21T08:29:58Z").insert();
        new Window("greenhouse-02", "2026-11-21T07:45:00Z").humidity(12, 40.0, 44.0, 42.0)
                .lastEventTime("2026-11-21T07:51:00Z").insert();

        assertThat(rows("SELECT sensor_id, window_start, last_event_time, reading_count, temperature_avg,"
                + " humidity_avg FROM latest_readings ORDER BY sensor_id")).containsExactly(
                "greenhouse-01|2026-11-21 08:15:00+00|2026-11-21 08:29:58+00|30|23|null",
                "greenhouse-02|2026-11-21 07:45:00+00|2026-11-21 07:51:00+00|12|null|42");
    }

    @Test
    void hourlyRollupWeighsAveragesByTheMeasurementsCountNotByWindows() throws SQLException {
        // 08:00-09:00: three windows; the 08:30 one has humidity but no temperature.
        new Window("greenhouse-01", "2026-11-21T08:00:00Z").temperature(60, 19.0, 21.0, 20.0)
                .humidity(60, 45.0, 55.0, 50.0).insert();
        new Window("greenhouse-01", "2026-11-21T08:15:00Z").temperature(30, 22.0, 24.5, 23.0)
                .humidity(10, 38.0, 41.0, 40.0).duplicates(4).insert();
        new Window("greenhouse-01", "2026-11-21T08:30:00Z").humidity(10, 65.0, 75.0, 70.0)
                .motion(10, 3).insert();
        new Window("greenhouse-01", "2026-11-21T09:00:00Z").temperature(20, 25.0, 25.0, 25.0).insert();
        new Window("greenhouse-02", "2026-11-21T08:45:00Z").distance(5, 120.0, 140.0, 130.0).insert();

        Map<String, Object> hour = row("SELECT * FROM sensor_hourly WHERE sensor_id = 'greenhouse-01'"
                + " AND bucket_start = '2026-11-21T08:00:00Z'");
        assertThat(hour.get("bucket_end")).hasToString("2026-11-21 09:00:00+00");
        assertThat(hour.get("windows")).isEqualTo(3L);
        assertThat(hour.get("reading_count")).isEqualTo(100L); // 60 + 30 + 10
        assertThat(hour.get("duplicate_count")).isEqualTo(4L);
        assertThat(hour.get("temperature_count")).isEqualTo(90L);
        // (60 * 20 + 30 * 23) / 90 = 21.0; the plain average of the two window averages would be 21.5
        assertThat((Double) hour.get("temperature_avg")).isCloseTo(21.0, within(1e-9));
        assertThat(hour.get("temperature_min")).isEqualTo(19.0);
        assertThat(hour.get("temperature_max")).isEqualTo(24.5);
        // (60 * 50 + 10 * 40 + 10 * 70) / 80 = 51.25; unweighted it would be 53.33
        assertThat((Double) hour.get("humidity_avg")).isCloseTo(51.25, within(1e-9));
        assertThat(hour.get("humidity_min")).isEqualTo(38.0);
        assertThat(hour.get("humidity_max")).isEqualTo(75.0);
        assertThat(hour.get("distance_count")).isEqualTo(0L);
        assertThat(hour.get("distance_avg")).isNull();
        assertThat(hour.get("motion_readings")).isEqualTo(10L);
        assertThat(hour.get("motion_count")).isEqualTo(3L);
        assertThat(hour.get("first_event_time")).hasToString("2026-11-21 08:00:00+00");
        assertThat(hour.get("last_event_time")).hasToString("2026-11-21 08:44:59+00");

        assertThat(rows("SELECT sensor_id, bucket_start, windows, temperature_avg, distance_avg FROM sensor_hourly"
                + " ORDER BY sensor_id, bucket_start")).containsExactly(
                "greenhouse-01|2026-11-21 08:00:00+00|3|21|null",
                "greenhouse-01|2026-11-21 09:00:00+00|1|25|null",
                "greenhouse-02|2026-11-21 08:00:00+00|1|null|130");
    }

    @Test
    void dailyRollupCutsDaysAtUtcMidnightWhateverTheSessionTimeZone() throws SQLException {
        // 2026-11-01 is the day New York leaves daylight saving time (06:00 UTC).
        new Window("field-07", "2026-10-31T23:45:00Z").temperature(10, 8.0, 9.0, 8.5).insert();
        new Window("field-07", "2026-11-01T00:00:00Z").temperature(30, 6.0, 8.0, 7.0).insert();
        new Window("field-07", "2026-11-01T23:45:00Z").temperature(10, 4.0, 5.0, 4.5).insert();
        new Window("field-07", "2026-11-02T00:00:00Z").temperature(5, 3.0, 3.5, 3.2).insert();

        String days = "SELECT bucket_start AT TIME ZONE 'UTC', extract(epoch FROM bucket_end - bucket_start)::int / 3600, windows,"
                + " temperature_count, round(temperature_avg::numeric, 4), temperature_min, temperature_max"
                + " FROM sensor_daily ORDER BY bucket_start";
        List<String> expected = List.of(
                "2026-10-31 00:00:00|24|1|10|8.5000|8|9",
                // 24 hours although New York's day is 25; (30 * 7 + 10 * 4.5) / 40 = 6.375
                "2026-11-01 00:00:00|24|2|40|6.3750|4|8",
                "2026-11-02 00:00:00|24|1|5|3.2000|3|3.5");
        assertThat(rows(days)).containsExactlyElementsOf(expected);
        assertThat(rows("SET TIME ZONE 'America/New_York'", days)).containsExactlyElementsOf(expected);
        assertThat(rows("SET TIME ZONE 'Asia/Kolkata'", days)).containsExactlyElementsOf(expected);
    }

    @Test
    void theHourlyViewReadsTheAggregatesOnceAndOnlyForTheHourlyBuckets() throws SQLException {
        String plan = String.join("\n", rows("EXPLAIN SELECT * FROM sensor_hourly WHERE sensor_id = 'greenhouse-01'"));

        assertThat(plan.split(" on sensor_aggregates a", -1)).as(plan).hasSize(2);
        assertThat(plan).as("the bucket and sensor filters go below the GROUP BY: %s", plan)
                .contains("column1 = 'hour'").containsPattern("(Cond|Filter): \\(sensor_id = 'greenhouse-01'")
                .doesNotContain("'day'").doesNotContain("sensor_rollups.sensor_id");
    }

    @Test
    void openAlertsAreTheFiringOnesMostSevereFirst() throws SQLException {
        alert("sensor-silence", "silence", "warning", "field-07", "RESOLVED", "2026-11-21T07:00:00Z");
        alert("sensor-silence", "silence", "warning", "field-08", "FIRING", "2026-11-21T07:30:00Z");
        alert("temperature-extreme-run", "sequence", "critical", "oven-01", "FIRING", "2026-11-21T08:02:00Z");
        alert("temperature-rapid-rise", "rise", "warning", "oven-01", "RESOLVED", "2026-11-21T08:00:00Z");

        assertThat(rows("SELECT severity, severity_rank, rule_id, sensor_id, span_start FROM open_alerts"
                + " ORDER BY severity_rank DESC, span_start")).containsExactly(
                "critical|3|temperature-extreme-run|oven-01|2026-11-21 08:02:00+00",
                "warning|2|sensor-silence|field-08|2026-11-21 07:30:00+00");
    }

    @Test
    void alertCountsArePerRuleAndUtcDayOfTheirEventTime() throws SQLException {
        alert("temperature-extreme-run", "sequence", "critical", "oven-01", "FIRING", "2026-11-21T08:02:00Z");
        alert("temperature-extreme-run", "sequence", "critical", "oven-02", "RESOLVED", "2026-11-21T09:10:00Z");
        alert("temperature-extreme-run", "sequence", "critical", "oven-01", "RESOLVED", "2026-11-21T23:59:59Z");
        alert("sensor-silence", "silence", "warning", "field-07", "RESOLVED", "2026-11-21T12:00:00Z");
        // 23:30 on the 21st in New York is the 22nd in UTC
        alert("sensor-silence", "silence", "warning", "field-07", "FIRING", "2026-11-22T04:30:00Z");

        assertThat(rows("SET TIME ZONE 'America/New_York'", "SELECT rule_id, day AT TIME ZONE 'UTC', alerts, firing,"
                + " resolved, critical, warning, info, sensors FROM alert_counts ORDER BY day, rule_id")).containsExactly(
                "sensor-silence|2026-11-21 00:00:00|1|0|1|0|1|0|1",
                "temperature-extreme-run|2026-11-21 00:00:00|3|1|2|3|0|0|2",
                "sensor-silence|2026-11-22 00:00:00|1|1|0|0|1|0|1");
    }

    @Test
    void pipelineHealthAddsReceivedRejectedShareAndAlertsToEachWindow() throws SQLException {
        new Window("greenhouse-01", "2026-11-21T08:00:00Z").temperature(60, 19.0, 21.0, 20.0).duplicates(2).insert();
        new Window("greenhouse-02", "2026-11-21T08:00:00Z").temperature(30, 19.0, 21.0, 20.0).insert();
        new Window("greenhouse-01", "2026-11-21T08:15:00Z").temperature(55, 19.0, 21.0, 20.0).lateForRules(4).insert();
        late("greenhouse-01", "2026-11-21T08:03:00Z", 1);
        deadLetter("2026-11-21T08:00:00Z", 2);
        deadLetter("2026-11-21T08:00:00Z", 3);
        deadLetter("2026-11-21T08:30:00Z", 4); // a window with nothing but a rejected reading
        alert("temperature-extreme-run", "sequence", "critical", "greenhouse-01", "FIRING", "2026-11-21T08:00:00Z");
        alert("sensor-silence", "silence", "warning", "greenhouse-02", "FIRING", "2026-11-21T08:14:59.999Z");
        // exactly at the first window's end: belongs to the second
        alert("temperature-rapid-rise", "rise", "warning", "greenhouse-01", "RESOLVED", "2026-11-21T08:15:00Z");

        assertThat(rows("SELECT window_start, sensors, accepted, duplicates, late, rejected, received,"
                + " rejected_percent, alerts, late_for_rules FROM pipeline_health ORDER BY window_start")).containsExactly(
                // received 90 + 2 + 1 + 2 = 95; rejected 2 / 95 = 2.105 %
                "2026-11-21 08:00:00+00|2|90|2|1|2|95|2.11|2|0",
                // 4 of the 55 accepted came behind the watermark: counted, seen by no rule
                "2026-11-21 08:15:00+00|1|55|0|0|0|55|0.00|1|4",
                "2026-11-21 08:30:00+00|0|0|0|0|1|1|100.00|0|0");
    }

    @Test
    void aLoginWithSelectOnTheViewsAloneCanReadEveryDashboardView() throws SQLException {
        new Window("greenhouse-01", "2026-11-21T08:00:00Z").temperature(60, 19.0, 21.0, 20.0).insert();
        alert("sensor-silence", "silence", "warning", "field-08", "FIRING", "2026-11-21T08:05:00Z");
        // the grants sql/README.md gives for Grafana
        execute("DROP ROLE IF EXISTS dashboard_reader; CREATE ROLE dashboard_reader NOLOGIN;"
                + " GRANT USAGE ON SCHEMA public TO dashboard_reader;"
                + " GRANT SELECT ON " + String.join(", ", DASHBOARD_VIEWS) + " TO dashboard_reader");

        for (String view : DASHBOARD_VIEWS) {
            assertThat(rows("SET ROLE dashboard_reader", "SELECT count(*) FROM " + view)).as(view)
                    .containsExactly("1");
        }
    }

    /** A row of sensor_aggregates; measurements left out are absent (count 0, values null). */
    private static final class Window {
        private final Map<String, Object> columns = new LinkedHashMap<>();

        Window(String sensorId, String windowStart) {
            columns.put("sensor_id", "'" + sensorId + "'");
            columns.put("window_start", "'" + windowStart + "'::timestamptz");
            columns.put("window_end", "'" + windowStart + "'::timestamptz + interval '15 minutes'");
            columns.put("duplicate_count", 0);
            for (String m : List.of("temperature", "humidity", "distance")) {
                columns.put(m + "_count", 0);
            }
            columns.put("motion_readings", 0);
            columns.put("motion_count", 0);
            columns.put("first_event_time", columns.get("window_start"));
            columns.put("last_event_time", "'" + windowStart + "'::timestamptz + interval '14 minutes 59 seconds'");
        }

        Window temperature(int count, double min, double max, double avg) {
            return measurement("temperature", count, min, max, avg);
        }

        Window humidity(int count, double min, double max, double avg) {
            return measurement("humidity", count, min, max, avg);
        }

        Window distance(int count, double min, double max, double avg) {
            return measurement("distance", count, min, max, avg);
        }

        Window motion(int readings, int detections) {
            columns.put("motion_readings", readings);
            columns.put("motion_count", detections);
            return this;
        }

        Window duplicates(int count) {
            columns.put("duplicate_count", count);
            return this;
        }

        Window lateForRules(int count) {
            columns.put("readings_late_for_rules", count);
            return this;
        }

        Window lastEventTime(String time) {
            columns.put("last_event_time", "'" + time + "'");
            return this;
        }

        private Window measurement(String name, int count, double min, double max, double avg) {
            columns.put(name + "_count", count);
            columns.put(name + "_min", min);
            columns.put(name + "_max", max);
            columns.put(name + "_avg", avg);
            return this;
        }

        void insert() throws SQLException {
            int readings = 0;
            for (String m : List.of("temperature_count", "humidity_count", "distance_count", "motion_readings")) {
                readings = Math.max(readings, (Integer) columns.get(m));
            }
            columns.put("reading_count", readings);
            execute("INSERT INTO sensor_aggregates (" + String.join(", ", columns.keySet()) + ") VALUES ("
                    + String.join(", ", columns.values().stream().map(String::valueOf).toList()) + ")");
        }
    }

    /** An alert whose span starts at {@code start} and lasts a minute; a RESOLVED one ended a minute later. */
    private static void alert(String rule, String kind, String severity, String sensor, String status, String start)
            throws SQLException {
        String spanStart = "'" + start + "'::timestamptz";
        String resolvedAt = status.equals("RESOLVED") ? spanStart + " + interval '2 minutes'" : "NULL";
        execute("INSERT INTO sensor_alerts (alert_id, rule_id, rule_kind, severity, sensor_id, status, span_start,"
                + " span_end, resolved_at, readings, message, detected_at) VALUES (gen_random_uuid(), '" + rule
                + "', '" + kind + "', '" + severity + "', '" + sensor + "', '" + status + "', " + spanStart + ", "
                + spanStart + " + interval '1 minute', " + resolvedAt + ", '[]', '" + rule + " on " + sensor
                + "', now())");
    }

    private static void late(String sensor, String eventTime, long offset) throws SQLException {
        execute("INSERT INTO late_readings (source_topic, source_partition, source_offset, sensor_id, event_time,"
                + " window_start, window_end, watermark, temperature) VALUES ('sensor-readings', 0, " + offset + ", '"
                + sensor + "', '" + eventTime + "', date_bin('15 minutes', '" + eventTime + "'::timestamptz,"
                + " '2000-01-01'), date_bin('15 minutes', '" + eventTime + "'::timestamptz, '2000-01-01')"
                + " + interval '15 minutes', '" + eventTime + "'::timestamptz + interval '30 minutes', 20.5)");
    }

    private static void deadLetter(String windowStart, long offset) throws SQLException {
        execute("INSERT INTO dead_letters (source_topic, source_partition, source_offset, reason_code, reason,"
                + " received_at, window_start, window_end, payload, payload_size, payload_sha256, payload_truncated)"
                + " VALUES ('sensor-readings', 1, " + offset
                + ", 'OUT_OF_RANGE', 'temperature 300 is outside -40..125', now(), '" + windowStart + "', '"
                + windowStart + "'::timestamptz + interval '15 minutes', '\\x7b7d', 2, '', false)");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'; " + sql);
        }
    }

    /** Each row's columns joined by '|', after the setup statements; the session starts in UTC. */
    private static List<String> rows(String... setupThenQuery) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            for (int i = 0; i < setupThenQuery.length - 1; i++) {
                st.execute(setupThenQuery[i]);
            }
            try (ResultSet rs = st.executeQuery(setupThenQuery[setupThenQuery.length - 1])) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        values.add(String.valueOf(rs.getString(i)));
                    }
                    rows.add(String.join("|", values));
                }
            }
        }
        return rows;
    }

    /** The only row of a query, column name to value (timestamps as PostgreSQL prints them in UTC). */
    private static Map<String, Object> row(String sql) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rs = st.executeQuery(sql)) {
                assertThat(rs.next()).as("a row from %s", sql).isTrue();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String type = rs.getMetaData().getColumnTypeName(i);
                    row.put(rs.getMetaData().getColumnName(i),
                            type.startsWith("timestamp") ? rs.getString(i) : rs.getObject(i));
                }
                assertThat(rs.next()).as("only one row from %s", sql).isFalse();
            }
        }
        return row;
    }
}
