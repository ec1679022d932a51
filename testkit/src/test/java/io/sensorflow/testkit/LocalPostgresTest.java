package io.sensorflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalPostgresTest {

    private static LocalPostgres postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void closePostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void servesTheSensorflowDatabaseOfPostgres17() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database(), current_setting('server_version_num')::int")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("sensorflow");
            assertThat(rs.getInt(2)).isBetween(170000, 179999);
        }
    }

    @Test
    void storesAndQueriesRows() throws SQLException {
        DataSource ds = postgres.dataSource();
        execute(ds, "CREATE TABLE readings (device_id text NOT NULL, temperature double precision NOT NULL)");
        execute(ds, "INSERT INTO readings VALUES ('device_1', 21.5), ('device_2', 19.25)");

        assertThat(query(ds, "SELECT device_id || '=' || temperature FROM readings ORDER BY device_id"))
                .containsExactly("device_1=21.5", "device_2=19.25");
    }

    @Test
    void keepsItsDataAndPortAcrossAStop() throws SQLException {
        DataSource ds = postgres.dataSource();
        execute(ds, "CREATE TABLE survives (note text)");
        execute(ds, "INSERT INTO survives VALUES ('before the outage')");

        postgres.stopServer();
        assertThat(postgres.isRunning()).isFalse();
        assertThat(Ports.isFree(postgres.port())).as("port while stopped").isTrue();
        assertThatThrownBy(() -> query(ds, "SELECT 1")).isInstanceOf(SQLException.class);

        postgres.startServer();
        assertThat(query(ds, "SELECT note FROM survives")).containsExactly("before the outage");
    }

    @Test
    void refusesAFixedPortThatIsTaken() {
        assertThatThrownBy(() -> LocalPostgres.start(postgres.port()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("port " + postgres.port())
                .hasMessageContaining("already in use");
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> query(DataSource ds, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
