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
    void migratesAnEmptyDatabaseAndIsANoOpTheSecondTime() throws SQLException {
        String first = SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        String second = SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());

        assertThat(first).isEqualTo("3");
        assertThat(second).isEqualTo("3");
        assertThat(query("SELECT count(*) FROM flyway_schema_history WHERE success")).containsExactly("3");
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
    void windowQualityCountsAcceptedDuplicateLateAndRejectedReadingsPerWindow() throws SQLException {
        SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        execute("DELETE FROM sensor_aggregates; DELETE FROM late_readings; DELETE FROM dead_letters");
        String w1 = "'2026-11-21T08:00:00Z', '2026-11-21T08:15:00Z'";
        String w2 = "'2026-11-21T08:15:00Z', '2026-11-21T08:30:00Z'";
        execute("INSERT INTO sensor_aggregates VALUES ('a', " + w1 + ", 10, 2, 10, 1, 2, 1.5, 0, NULL, NULL, NULL,"
                + " 0, NULL, NULL, NULL, 0, 0, '2026-11-21T08:00:00Z', '2026-11-21T08:10:00Z')");
        execute("INSERT INTO sensor_aggregates VALUES ('b', " + w1 + ", 5, 0, 5, 1, 2, 1.5, 0, NULL, NULL, NULL,"
                + " 0, NULL, NULL, NULL, 0, 0, '2026-11-21T08:00:00Z', '2026-11-21T08:10:00Z')");
        execute("INSERT INTO late_readings (source_topic, source_partition, source_offset, sensor_id, event_time,"
                + " window_start, window_end, watermark) VALUES ('t', 0, 1, 'a', '2026-11-21T08:01:00Z', " + w1
                + ", '2026-11-21T08:25:00Z')");
        execute("INSERT INTO dead_letters (source_topic, source_partition, source_offset, reason_code, reason,"
                + " received_at, window_start, window_end, payload) VALUES"
                + " ('t', 0, 2, 'NOT_JSON', 'x', now(), " + w1 + ", '\\x00'),"
                + " ('t', 0, 3, 'NOT_JSON', 'x', now(), " + w2 + ", '\\x00'),"
                + " ('t', 0, 4, 'OUT_OF_RANGE', 'x', now(), " + w2 + ", '\\x00')");

        assertThat(query("SELECT window_start || ' ' || sensors || ' ' || accepted || ' ' || duplicates || ' ' || late"
                        + " || ' ' || rejected FROM window_quality ORDER BY window_start"))
                .containsExactly("2026-11-21 08:00:00+00 2 15 2 1 1", "2026-11-21 08:15:00+00 0 0 0 0 2");
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
