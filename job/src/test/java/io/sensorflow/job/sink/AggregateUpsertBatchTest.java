package io.sensorflow.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.job.aggregate.SensorWindowAggregate;
import io.sensorflow.sql.SchemaMigrator;
import io.sensorflow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A window's row and its late update in one batch of the aggregates sink, on a real PostgreSQL,
 * with the connection the sink uses: the later row wins. With multi-row inserts the same batch is
 * refused, which is why that sink goes without.
 */
class AggregateUpsertBatchTest {

    private static LocalPostgres postgres;
    private static JdbcSettings jdbc;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start();
        SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        jdbc = new JdbcSettings(postgres.jdbcUrl(), postgres.user(), postgres.password(), 100, 200, 0);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void aWindowsRowAndItsLateUpdateInOneBatchLeaveTheUpdate() throws SQLException {
        writeInOneBatch(jdbc.connectionOptions(false), row("s1", 10, 0), row("s1", 11, 1));
        assertThat(countAndLateForRules("s1")).isEqualTo("11 1");
    }

    @Test
    void multiRowInsertsRefuseTheSameWindowTwiceInOneBatch() {
        assertThatThrownBy(() -> writeInOneBatch(jdbc.connectionOptions(true), row("s2", 10, 0), row("s2", 11, 1)))
                .hasStackTraceContaining("cannot affect row a second time");
    }

    private static SensorWindowAggregate row(String sensor, int readings, int lateForRules) {
        SensorWindowAggregate a = new SensorWindowAggregate();
        a.sensorId = sensor;
        a.windowStart = 0;
        a.windowEnd = 60_000;
        a.readingCount = readings;
        a.readingsLateForRules = lateForRules;
        a.temperatureMin = a.temperatureMax = a.temperatureAvg = Double.NaN;
        a.humidityMin = a.humidityMax = a.humidityAvg = Double.NaN;
        a.distanceMin = a.distanceMax = a.distanceAvg = Double.NaN;
        a.firstEventTime = 1_000;
        a.lastEventTime = 59_000;
        return a;
    }

    private static void writeInOneBatch(JdbcConnectionOptions options, SensorWindowAggregate... rows)
            throws SQLException {
        Properties p = new Properties();
        p.putAll(options.getProperties());
        p.setProperty("user", postgres.user());
        p.setProperty("password", postgres.password());
        try (Connection c = DriverManager.getConnection(options.getDbURL(), p);
                PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_AGGREGATE)) {
            for (SensorWindowAggregate a : rows) {
                PostgresSinks.bindAggregate(ps, a);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String countAndLateForRules(String sensor) throws SQLException {
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT reading_count || ' ' || readings_late_for_rules"
                        + " FROM sensor_aggregates WHERE sensor_id = '" + sensor + "'")) {
            assertThat(rs.next()).isTrue();
            String row = rs.getString(1);
            assertThat(rs.next()).as("one row").isFalse();
            return row;
        }
    }
}
