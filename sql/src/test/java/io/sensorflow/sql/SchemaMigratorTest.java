package io.sensorflow.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {

    private static LocalPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void deadLettersWrittenBeforeVersion4GetTheirPayloadsSizeAndHash() throws SQLException {
        String url = databaseAt("before_v4", "3", "INSERT INTO dead_letters (source_topic, source_partition,"
                + " source_offset, reason_code, reason, received_at, window_start, window_end, payload) VALUES"
                + " ('t', 0, 1, 'NOT_JSON', 'x', now(), now(), now(), 'hello'::bytea)");
        assertThat(SchemaMigrator.migrate(url, postgres.user(), postgres.password())).isEqualTo("9");
        try (Connection c = java.sql.DriverManager.getConnection(url, postgres.user(), postgres.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT payload_size, payload_sha256, payload_truncated FROM dead_letters")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(5);
            // SHA-256 of "hello"
            assertThat(rs.getString(2)).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
            assertThat(rs.getBoolean(3)).isFalse();
        }
    }

    @Test
    void aggregatesWrittenBeforeVersion5CountNoReadingLateForRules() throws SQLException {
        String url = databaseAt("before_v5", "4", "INSERT INTO sensor_aggregates VALUES ('s1', '2026-11-21T08:00:00Z',"
                + " '2026-11-21T08:15:00Z', 3, 0, 3, 20.0, 22.5, 21.0, 0, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, 0,"
                + " '2026-11-21T08:00:01Z', '2026-11-21T08:14:59Z')");
        assertThat(SchemaMigrator.migrate(url, postgres.user(), postgres.password())).isEqualTo("9");
        try (Connection c = java.sql.DriverManager.getConnection(url, postgres.user(), postgres.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT a.readings_late_for_rules, q.late_for_rules"
                        + " FROM sensor_aggregates a JOIN window_quality q USING (window_start)")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getLong(2)).isZero();
        }
    }

    @Test
    void migratesAnEmptyDatabaseAndIsANoOpTheSecondTime() throws SQLException {
        String first = SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        String second = SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());

        assertThat(first).isEqualTo("9");
        assertThat(second).isEqualTo("9");
        assertThat(query("SELECT count(*) FROM flyway_schema_history WHERE success")).containsExactly("9");
    }

    @Test
    void sensorAlertsTakesTheKindsOfRulesThereAre() throws SQLException {
        SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        String row = "INSERT INTO sensor_alerts (alert_id, rule_id, rule_kind, severity, sensor_id, status, span_start,"
                + " span_end, readings, message, detected_at) VALUES (gen_random_uuid(), 'r', '%s', 'info', 's', 'FIRING',"
                + " now(), now(), '[]', 'm', now())";
        execute(String.format(row, "stuck"));
        execute(String.format(row, "outlier"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> execute(String.format(row, "sulk")))
                .hasMessageContaining("sensor_alerts_rule_kind_check");
        execute("DELETE FROM sensor_alerts");
    }

    @Test
    void alertsWrittenBeforeVersion9AreOnTimeAndADelayIsNeverNegative() throws SQLException {
        String url = databaseAt("before_v9", "8", "INSERT INTO sensor_alerts (alert_id, rule_id, rule_kind, severity,"
                + " sensor_id, status, span_start, span_end, readings, message, detected_at) VALUES"
                + " ('0b5c0d7e-0000-0000-0000-000000000001', 'r', 'stuck', 'info', 's', 'FIRING', now(), now(), '[]',"
                + " 'm', now())");
        assertThat(SchemaMigrator.migrate(url, postgres.user(), postgres.password())).isEqualTo("9");
        try (Connection c = java.sql.DriverManager.getConnection(url, postgres.user(), postgres.password());
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT late, detection_delay_ms, resolved_late,"
                    + " resolved_detection_delay_ms FROM sensor_alerts")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isFalse();
                assertThat(rs.getObject(2)).isNull();
                assertThat(rs.getBoolean(3)).isFalse();
                assertThat(rs.getObject(4)).isNull();
            }
            st.execute("UPDATE sensor_alerts SET late = true, detection_delay_ms = 12345");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> st.execute(
                    "UPDATE sensor_alerts SET detection_delay_ms = -1")).hasMessageContaining("detection_delay_ms");
        }
    }

    @Test
    void sensorTemperaturesHasTheInspirationProjectsColumnsAndRoundsToTwoDecimals() throws SQLException {
        SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        execute("DELETE FROM sensor_aggregates");
        execute("INSERT INTO sensor_aggregates VALUES ('s1', '2026-11-21T08:00:00Z', '2026-11-21T08:15:00Z', 3, 0,"
                + " 3, 20.0, 22.5, 21.166666666, 0, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, 0,"
                + " '2026-11-21T08:00:01Z', '2026-11-21T08:14:59Z')");
        execute("INSERT INTO sensor_aggregates VALUES ('s2', '2026-11-21T08:00:00Z', '2026-11-21T08:15:00Z', 1, 0,"
                + " 0, NULL, NULL, NULL, 1, 50, 50, 50, 0, NULL, NULL, NULL, 0, 0,"
                + " '2026-11-21T08:00:01Z', '2026-11-21T08:00:01Z')");

        try (Connection c = postgres.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM sensor_temperatures")) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnName(i) + ":" + md.getColumnTypeName(i));
            }
            assertThat(columns).containsExactly("sensor_id:text", "window_start:timestamptz", "window_end:timestamptz",
                    "avg_temperature:numeric", "min_temperature:numeric", "max_temperature:numeric");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("sensor_id")).isEqualTo("s1"); // s2 has no temperature
            assertThat(rs.getBigDecimal("avg_temperature")).hasToString("21.17");
            assertThat(rs.getBigDecimal("max_temperature")).hasToString("22.50");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void windowQualityCountsAcceptedDuplicateLateRejectedAndLateForRulesReadingsPerWindow() throws SQLException {
        SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        execute("DELETE FROM sensor_aggregates; DELETE FROM late_readings; DELETE FROM dead_letters");
        String w1 = "'2026-11-21T08:00:00Z', '2026-11-21T08:15:00Z'";
        String w2 = "'2026-11-21T08:15:00Z', '2026-11-21T08:30:00Z'";
        execute("INSERT INTO sensor_aggregates VALUES ('a', " + w1 + ", 10, 2, 10, 1, 2, 1.5, 0, NULL, NULL, NULL,"
                + " 0, NULL, NULL, NULL, 0, 0, '2026-11-21T08:00:00Z', '2026-11-21T08:10:00Z', now(), 3)");
        execute("INSERT INTO sensor_aggregates VALUES ('b', " + w1 + ", 5, 0, 5, 1, 2, 1.5, 0, NULL, NULL, NULL,"
                + " 0, NULL, NULL, NULL, 0, 0, '2026-11-21T08:00:00Z', '2026-11-21T08:10:00Z', now(), 1)");
        execute("INSERT INTO late_readings (source_topic, source_partition, source_offset, sensor_id, event_time,"
                + " window_start, window_end, watermark) VALUES ('t', 0, 1, 'a', '2026-11-21T08:01:00Z', " + w1
                + ", '2026-11-21T08:25:00Z')");
        execute("INSERT INTO dead_letters (source_topic, source_partition, source_offset, reason_code, reason,"
                + " received_at, window_start, window_end, payload, payload_size, payload_sha256, payload_truncated) VALUES"
                + " ('t', 0, 2, 'NOT_JSON', 'x', now(), " + w1 + ", '\\x00', 1, '', false),"
                + " ('t', 0, 3, 'NOT_JSON', 'x', now(), " + w2 + ", '\\x00', 1, '', false),"
                + " ('t', 0, 4, 'OUT_OF_RANGE', 'x', now(), " + w2 + ", '\\x00', 1, '', false)");

        assertThat(query("SELECT window_start || ' ' || sensors || ' ' || accepted || ' ' || duplicates || ' ' || late"
                        + " || ' ' || rejected || ' ' || late_for_rules FROM window_quality ORDER BY window_start"))
                .containsExactly("2026-11-21 08:00:00+00 2 15 2 1 1 4", "2026-11-21 08:15:00+00 0 0 0 0 2 0");
    }

    /** A new database {@code name} migrated up to {@code version}, with {@code rows} (SQL) written then; its URL. */
    private static String databaseAt(String name, String version, String rows) throws SQLException {
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String url = postgres.jdbcUrl(name);
        org.flywaydb.core.Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(url, postgres.user(),
                postgres.password()).locations(SchemaMigrator.LOCATION).target(version).load().migrate();
        try (Connection c = java.sql.DriverManager.getConnection(url, postgres.user(), postgres.password());
                Statement st = c.createStatement()) {
            st.execute(rows);
        }
        return url;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'; " + sql);
        }
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }
}
