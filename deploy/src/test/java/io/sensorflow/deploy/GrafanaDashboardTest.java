package io.sensorflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.sql.SchemaMigrator;
import io.sensorflow.testkit.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/grafana: the provisioning files, and every query of the dashboard run against the
 * schema the migrations make, on a real PostgreSQL holding a few hours of realistic rows, with
 * Grafana's macros and variables put in as Grafana would.
 */
class GrafanaDashboardTest {

    /** The views a dashboard may read (sql/migrations/V3__dashboard_views.sql). */
    static final Set<String> DASHBOARD_VIEWS = Set.of("latest_readings", "sensor_hourly", "sensor_daily",
            "open_alerts", "alert_counts", "pipeline_health");
    static final String SENSOR = "greenhouse-01";

    private static final Pattern FROM_OR_JOIN = Pattern.compile("(?i)\\b(?:from|join)\\s+([a-z_][a-z0-9_.]*)");
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(\\s*([^)]+?)\\s*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{sensor(?::[a-z]+)?}|\\[\\[sensor]]|\\$sensor\\b");

    private static LocalPostgres postgres;

    /** A query of the dashboard: where it is (panel title and refId, or variable) and its SQL. */
    record Query(String where, String format, String sql) {
        @Override
        public String toString() {
            return where;
        }
    }

    static JsonNode dashboard() {
        return DeployFiles.json(DeployFiles.grafana().resolve("dashboards/sensorflow.json"));
    }

    static JsonNode datasource() {
        return DeployFiles.yaml(DeployFiles.grafana().resolve("datasources/postgres.yaml")).path("datasources").get(0);
    }

    static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode p : dashboard().path("panels")) {
            panels.add(p);
            p.path("panels").forEach(panels::add); // panels of a collapsed row
        }
        return panels.stream().filter(p -> !p.path("type").asText().equals("row")).toList();
    }

    static Stream<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("format").asText(), target.path("rawSql").asText()));
            }
        }
        for (JsonNode variable : dashboard().at("/templating/list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                queries.add(new Query("variable " + variable.path("name").asText(), "table",
                        query.isTextual() ? query.asText() : query.path("rawSql").asText()));
            }
        }
        return queries.stream();
    }

    /**
     * The SQL Grafana would send: $__timeFilter(col) as the last day, $__timeFrom() and
     * $__timeTo(), the sensor variable as one quoted sensor. Anything else starting with $ fails.
     */
    static String substitute(String sql) {
        String s = TIME_FILTER.matcher(sql).replaceAll("$1 BETWEEN now() - interval '1 day' AND now()");
        s = s.replace("$__timeFrom()", "(now() - interval '1 day')").replace("$__timeTo()", "now()");
        s = VARIABLE.matcher(s).replaceAll("'" + SENSOR + "'");
        Matcher left = Pattern.compile("\\$\\w+|\\[\\[\\w+]]").matcher(s);
        if (left.find()) {
            throw new IllegalArgumentException("the test does not know the macro or variable " + left.group() + " in: " + sql);
        }
        return s;
    }

    /** The relations a query reads, from its FROM and JOIN clauses. */
    static Set<String> relations(String sql) {
        Set<String> names = new TreeSet<>();
        Matcher m = FROM_OR_JOIN.matcher(sql);
        while (m.find()) {
            names.add(m.group(1).toLowerCase());
        }
        return names;
    }

    /** What a query reads that is not a dashboard view. */
    static Set<String> notDashboardViews(String sql) {
        Set<String> others = relations(sql);
        others.removeAll(DASHBOARD_VIEWS);
        return others;
    }

    @BeforeAll
    static void startPostgresWithAFewHoursOfData() throws SQLException {
        postgres = LocalPostgres.start();
        SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        execute("""
                INSERT INTO sensor_aggregates (sensor_id, window_start, window_end, reading_count, duplicate_count,
                    temperature_count, temperature_min, temperature_max, temperature_avg,
                    humidity_count, humidity_min, humidity_max, humidity_avg,
                    distance_count, distance_min, distance_max, distance_avg,
                    motion_readings, motion_count, first_event_time, last_event_time)
                SELECT s, w, w + interval '15 minutes', 900, 3, 900, 18.5, 24.0, 21.2, 900, 40, 55, 48.5,
                       900, 80, 140, 120.5, 900, 12, w, w + interval '14 minutes 59 seconds'
                FROM unnest(ARRAY['greenhouse-01', 'greenhouse-02', 'field-07']) AS s,
                     generate_series(date_bin('15 minutes', now() - interval '6 hours', '2000-01-01'),
                                     now() - interval '15 minutes', interval '15 minutes') AS w;
                INSERT INTO late_readings (source_topic, source_partition, source_offset, sensor_id, event_time,
                    window_start, window_end, watermark, temperature)
                SELECT 'sensor-readings', 0, 1, 'greenhouse-01', w + interval '1 minute', w, w + interval '15 minutes',
                       w + interval '25 minutes', 21.0
                FROM date_bin('15 minutes', now() - interval '2 hours', '2000-01-01') AS w;
                INSERT INTO dead_letters (source_topic, source_partition, source_offset, reason_code, reason, sensor_id,
                    event_time, received_at, window_start, window_end, payload, payload_size, payload_sha256,
                    payload_truncated)
                SELECT 'sensor-readings', 1, 7, 'OUT_OF_RANGE', 'temperature 300.0 is outside -40..125', 'field-07',
                       w + interval '3 minutes', now(), w, w + interval '15 minutes', '\\x7b7d', 2, '', false
                FROM date_bin('15 minutes', now() - interval '1 hour', '2000-01-01') AS w;
                INSERT INTO sensor_alerts (alert_id, rule_id, rule_kind, severity, sensor_id, status, span_start,
                    span_end, resolved_at, readings, message, detected_at) VALUES
                  (gen_random_uuid(), 'temperature-extreme-run', 'sequence', 'critical', 'greenhouse-01', 'FIRING',
                   now() - interval '40 minutes', now() - interval '39 minutes', NULL, '[]', 'above 70 three times', now()),
                  (gen_random_uuid(), 'sensor-silence', 'silence', 'warning', 'greenhouse-01', 'RESOLVED',
                   now() - interval '3 hours', now() - interval '170 minutes', now() - interval '2 hours', '[]',
                   'no reading for 5 minutes', now() - interval '170 minutes');
                """);
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theDataSourceTakesAddressLoginAndPasswordFromGrafanasEnvironment() {
        JsonNode ds = datasource();
        Pattern env = Pattern.compile("(\\$\\{[A-Z_]+}:?)+");

        assertThat(ds.path("type").asText()).isEqualTo("grafana-postgresql-datasource");
        for (String field : List.of("/url", "/user", "/jsonData/database", "/secureJsonData/password")) {
            assertThat(ds.at(field).asText()).as(field).matches(env);
        }
        assertThat(ds.has("password")).as("a password outside secureJsonData would be stored in the open").isFalse();
    }

    @Test
    void everyPanelReadsTheProvisionedDataSource() {
        String uid = datasource().path("uid").asText();

        assertThat(panels()).hasSizeGreaterThanOrEqualTo(10).allSatisfy(p -> {
            assertThat(p.at("/datasource/uid").asText()).as(p.path("title").asText()).isEqualTo(uid);
            assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.at("/datasource/uid").asText()).isEqualTo(uid));
        });
    }

    @Test
    void theProviderLoadsTheFolderTheDashboardIsIn() {
        JsonNode provider = DeployFiles.yaml(DeployFiles.grafana().resolve("dashboards/provider.yaml"))
                .path("providers").get(0);

        assertThat(provider.path("type").asText()).isEqualTo("file");
        // deploy/grafana is mounted at /etc/grafana/provisioning (deploy/README.md)
        String mounted = "/etc/grafana/provisioning/";
        assertThat(provider.at("/options/path").asText()).startsWith(mounted);
        Path folder = DeployFiles.grafana().resolve(provider.at("/options/path").asText().substring(mounted.length()));
        assertThat(folder.resolve("sensorflow.json")).exists();
        assertThat(dashboard().path("uid").asText()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("queries")
    void everyQueryReadsOnlyTheDashboardViews(Query query) {
        assertThat(relations(query.sql())).as(query.where()).isNotEmpty();
        assertThat(notDashboardViews(query.sql())).as(query.where()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("queries")
    void everyQueryRunsOnTheMigratedSchemaAndFindsTheRows(Query query) throws SQLException {
        try (Connection c = postgres.dataSource().getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true); // a dashboard only reads
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(substitute(query.sql()))) {
                ResultSetMetaData md = rs.getMetaData();
                if (query.format().equals("time_series")) {
                    assertThat(md.getColumnLabel(1)).as(query.where()).isEqualTo("time");
                    assertThat(md.getColumnTypeName(1)).as(query.where()).isEqualTo("timestamptz");
                }
                int rows = 0;
                Timestamp previous = null;
                while (rs.next()) {
                    rows++;
                    if (query.format().equals("time_series")) {
                        Timestamp time = rs.getTimestamp(1);
                        assertThat(previous == null || !time.before(previous)).as("%s: sorted by time", query.where()).isTrue();
                        previous = time;
                    }
                }
                assertThat(rows).as("%s returns rows from the test data", query.where()).isPositive();
            } finally {
                c.rollback();
            }
        }
    }

    // The checks above can fail:

    @Test
    void aQueryOnAColumnTheViewsDoNotHaveFails() {
        Query broken = new Query("broken", "table", "SELECT temperature FROM latest_readings WHERE $__timeFilter(window_start)");

        assertThatThrownBy(() -> everyQueryRunsOnTheMigratedSchemaAndFindsTheRows(broken))
                .isInstanceOf(SQLException.class).hasMessageContaining("temperature");
    }

    @Test
    void aMacroTheTestDoesNotKnowFailsInsteadOfReachingPostgres() {
        assertThatThrownBy(() -> substitute("SELECT $__timeGroup(window_start, '1h') FROM pipeline_health"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$__timeGroup");
        assertThat(substitute("SELECT 1 FROM open_alerts WHERE sensor_id IN ($sensor) AND $__timeFilter(span_start)"))
                .isEqualTo("SELECT 1 FROM open_alerts WHERE sensor_id IN ('greenhouse-01')"
                        + " AND span_start BETWEEN now() - interval '1 day' AND now()");
    }

    @Test
    void aQueryOnATableIsNotOnTheViews() {
        assertThat(notDashboardViews("SELECT * FROM sensor_aggregates a JOIN open_alerts o USING (sensor_id)"))
                .containsExactly("sensor_aggregates");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
