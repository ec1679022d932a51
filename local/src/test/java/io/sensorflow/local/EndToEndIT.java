package io.sensorflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorflow.bridge.Bridge;
import io.sensorflow.bridge.BridgeSettings;
import io.sensorflow.job.SensorJob;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.sink.PipelineSinks;
import io.sensorflow.job.source.KafkaReadingSource;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalMosquitto;
import io.sensorflow.testkit.LocalPostgres;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way, with nothing simulated: the firmware core's host build ({@code firmware/host/publish_readings.cpp},
 * the node's own reading → JSON → QoS 1 PUBLISH code) publishes readings of two sensors to a real mosquitto; the
 * bridge takes them to a real Kafka; the job, on a MiniCluster, aggregates them into a real PostgreSQL; and every
 * row of {@code sensor_aggregates} is checked against values worked out here from the publisher's formula.
 *
 * <p>The readings' event times lie a few minutes in the past, so the last window of each sensor closes only by event
 * time advancing with the wall clock once the input has gone quiet ({@code --idle-timeout 2s}).
 *
 * <p>Needs mosquitto, make and g++: without them the test is skipped, saying why; with CI=true it fails instead.
 */
class EndToEndIT {

    private static final int READINGS_PER_SENSOR = 180; // three one-minute windows of one reading a second
    private static final long INTERVAL_MS = 1000;
    private static final long WINDOW_MS = 60_000;
    private static final int WINDOWS = (int) (READINGS_PER_SENSOR * INTERVAL_MS / WINDOW_MS);
    /** Sensor id → the publisher's first index (its values and seq start there), in the order of the rows. */
    private static final Map<String, Integer> SENSORS = new LinkedHashMap<>();

    static {
        SENSORS.put("e2e-node-a", 0);
        SENSORS.put("e2e-node-b", 1000);
    }

    @TempDir
    Path checkpoints;

    @Test
    void readingsFromTheFirmwareCoreEndAsAggregatesInPostgres() throws Exception {
        LocalMosquitto mqtt = LocalMosquitto.start(); // skips (or fails on CI) if mosquitto is missing
        Deque<AutoCloseable> toClose = new ArrayDeque<>();
        toClose.push(mqtt);
        Throwable failure = null;
        try {
            Path publisher = buildHostPublisher();

            LocalKafka kafka = LocalKafka.start();
            toClose.push(kafka);
            LocalPostgres postgres = LocalPostgres.start();
            toClose.push(postgres);
            kafka.createTopic("sensor-readings", 2);
            kafka.createTopic("sensor-status", 1);

            Bridge bridge = new Bridge(BridgeSettings.of("--mqtt-broker", mqtt.uri(), "--mqtt-client-id", "e2e-bridge",
                    "--kafka-bootstrap-servers", kafka.bootstrapServers(), "--readings-topic", "sensor-readings",
                    "--status-topic", "sensor-status", "--shutdown-timeout", "5s")).start();
            toClose.push(() -> {
                if (!bridge.stop()) {
                    throw new IllegalStateException("the bridge did not stop in time");
                }
            });
            await(bridge::isConnected, Duration.ofSeconds(30), "the bridge connected to mosquitto");

            JobConfig config = JobConfig.parse(new String[] {
                "--kafka-bootstrap-servers", kafka.bootstrapServers(),
                "--jdbc-url", postgres.jdbcUrl(), "--jdbc-user", postgres.user(), "--jdbc-password", postgres.password(),
                "--readings-topic", "sensor-readings", "--dead-letter-topic", "sensor-readings-dlq",
                "--window-size", "1m", "--idle-timeout", "2s", "--no-bounded", "--parallelism", "2",
                "--checkpoint-interval", "1s", "--checkpoint-dir", checkpoints.toUri().toString(),
                "--transactional-id-prefix", "e2e-" + System.nanoTime(), "--jdbc-flush-interval", "100ms"},
                    Map.of(), new PrintWriter(new StringWriter()));
            SensorJob.prepareExternalSystems(config); // the schema (Flyway) and the dead-letter topic
            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failure fails the test, not a retry loop
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, flink);
            SensorJob.configure(env, config);
            new SensorJob(config, KafkaReadingSource.create(config), PipelineSinks.create(config)).build(env);
            JobClient job = env.executeAsync("sensorflow-end-to-end");
            toClose.push(() -> cancel(job));

            // Three whole one-minute windows that ended minutes ago: within --allowed-lateness and --max-future.
            long start = (System.currentTimeMillis() - 5 * WINDOW_MS) / WINDOW_MS * WINDOW_MS;
            List<Process> publishers = new ArrayList<>();
            for (Map.Entry<String, Integer> sensor : SENSORS.entrySet()) {
                publishers.add(new ProcessBuilder(publisher.toString(), "--host", "127.0.0.1",
                        "--port", Integer.toString(mqtt.port()), "--sensor-id", sensor.getKey(),
                        "--count", Integer.toString(READINGS_PER_SENSOR), "--start-ms", Long.toString(start),
                        "--interval-ms", Long.toString(INTERVAL_MS), "--first-index", sensor.getValue().toString(),
                        "--timeout-ms", "30000")
                        .redirectErrorStream(true).start());
                Process started = publishers.get(publishers.size() - 1);
                toClose.push(started::destroyForcibly);
            }
            List<String> sensorIds = new ArrayList<>(SENSORS.keySet());
            for (int s = 0; s < publishers.size(); s++) {
                Process p = publishers.get(s);
                boolean exited = p.waitFor(45, TimeUnit.SECONDS);
                if (!exited) {
                    p.destroyForcibly();
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                System.out.print(out);
                assertThat(exited).as("publisher of %s exited:\n%s", sensorIds.get(s), out).isTrue();
                assertThat(p.exitValue()).as("publisher of %s:\n%s", sensorIds.get(s), out).isZero();
                assertThat(out).contains("published: " + sensorIds.get(s) + ": " + READINGS_PER_SENSOR + " readings, "
                        + READINGS_PER_SENSOR + " published, " + READINGS_PER_SENSOR + " acknowledged by PUBACK");
            }

            // Every window of every sensor, once the last ones closed by event time going on with the wall clock.
            int expectedRows = SENSORS.size() * WINDOWS;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            List<Map<String, Object>> rows;
            while ((rows = aggregates(postgres)).size() < expectedRows) {
                JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                assertThat(status.isGloballyTerminalState()).as("the job ended early (%s)", status).isFalse();
                assertThat(System.nanoTime()).as("%d rows in sensor_aggregates within 90 s, have %s", expectedRows, rows)
                        .isLessThan(deadline);
                Thread.sleep(250);
            }

            List<Map<String, Object>> expected = new ArrayList<>();
            for (Map.Entry<String, Integer> sensor : SENSORS.entrySet()) {
                for (int w = 0; w < WINDOWS; w++) {
                    expected.add(expectedRow(sensor.getKey(), sensor.getValue(), start, w));
                }
            }
            assertThat(rows).hasSize(expected.size());
            for (int r = 0; r < rows.size(); r++) {
                assertRow(rows.get(r), expected.get(r));
            }
            assertThat(count(postgres, "SELECT count(*) FROM dead_letters")).as("dead letters").isZero();
            assertThat(count(postgres, "SELECT count(*) FROM late_readings")).as("late readings").isZero();
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            closeAll(toClose, failure);
        }
    }

    /**
     * What the job must write for window {@code w} of a sensor, worked out from the publisher's formula: reading k
     * (index i = first + k) at {@code start + k s} has temperature 20 + i % 5, humidity 40 + i % 7, distance
     * 100.5 + i % 11 and motion (i % 4 == 0), every measurement present.
     */
    static Map<String, Object> expectedRow(String sensor, int first, long start, int w) {
        int from = (int) (w * WINDOW_MS / INTERVAL_MS);
        int to = (int) ((w + 1) * WINDOW_MS / INTERVAL_MS); // exclusive
        int n = to - from;
        double tSum = 0, hSum = 0, dSum = 0;
        double tMin = Double.MAX_VALUE, hMin = Double.MAX_VALUE, dMin = Double.MAX_VALUE;
        double tMax = -Double.MAX_VALUE, hMax = -Double.MAX_VALUE, dMax = -Double.MAX_VALUE;
        int motion = 0;
        for (int k = from; k < to; k++) {
            int i = first + k;
            double t = 20 + i % 5;
            double h = 40 + i % 7;
            double d = 100.5 + i % 11;
            tSum += t;
            hSum += h;
            dSum += d;
            tMin = Math.min(tMin, t);
            tMax = Math.max(tMax, t);
            hMin = Math.min(hMin, h);
            hMax = Math.max(hMax, h);
            dMin = Math.min(dMin, d);
            dMax = Math.max(dMax, d);
            motion += i % 4 == 0 ? 1 : 0;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sensor_id", sensor);
        row.put("window_start", Instant.ofEpochMilli(start + w * WINDOW_MS));
        row.put("window_end", Instant.ofEpochMilli(start + (w + 1) * WINDOW_MS));
        row.put("reading_count", n);
        row.put("duplicate_count", 0);
        row.put("temperature_count", n);
        row.put("temperature_min", tMin);
        row.put("temperature_max", tMax);
        row.put("temperature_avg", tSum / n);
        row.put("humidity_count", n);
        row.put("humidity_min", hMin);
        row.put("humidity_max", hMax);
        row.put("humidity_avg", hSum / n);
        row.put("distance_count", n);
        row.put("distance_min", dMin);
        row.put("distance_max", dMax);
        row.put("distance_avg", dSum / n);
        row.put("motion_readings", n);
        row.put("motion_count", motion);
        row.put("first_event_time", Instant.ofEpochMilli(start + from * INTERVAL_MS));
        row.put("last_event_time", Instant.ofEpochMilli(start + (to - 1) * INTERVAL_MS));
        return row;
    }

    /** The formula worked out by hand for one window, so that expectedRow itself is checked too. */
    @Test
    void expectedRowMatchesTheFormulaWorkedOutByHand() {
        // e2e-node-a, first window: i = 0..59. i % 5 runs 12 whole cycles of 20..24; i % 7 runs 8 cycles of 0..6
        // (sum 168) plus 0..3 (6); i % 11 runs 5 cycles of 0..10 (275) plus 0..4 (10); i % 4 == 0 for 15 of them.
        Map<String, Object> a0 = expectedRow("e2e-node-a", 0, 0, 0);
        assertThat(a0).containsEntry("reading_count", 60).containsEntry("motion_count", 15)
                .containsEntry("temperature_min", 20.0).containsEntry("temperature_max", 24.0)
                .containsEntry("humidity_min", 40.0).containsEntry("humidity_max", 46.0)
                .containsEntry("distance_min", 100.5).containsEntry("distance_max", 110.5)
                .containsEntry("last_event_time", Instant.ofEpochSecond(59));
        assertThat((double) a0.get("temperature_avg")).isCloseTo(22.0, within(1e-9));
        assertThat((double) a0.get("humidity_avg")).isCloseTo(40 + 174 / 60.0, within(1e-9)); // 42.9
        assertThat((double) a0.get("distance_avg")).isCloseTo(100.5 + 285 / 60.0, within(1e-9)); // 105.25
        // e2e-node-b, third window: i = 1120..1179; 1120 % 4 == 0, so 15 with motion; i % 7 starts at 0 (1120 = 160 * 7).
        Map<String, Object> b2 = expectedRow("e2e-node-b", 1000, 0, 2);
        assertThat(b2).containsEntry("motion_count", 15).containsEntry("first_event_time", Instant.ofEpochSecond(120));
        assertThat((double) b2.get("humidity_avg")).isCloseTo(40 + 174 / 60.0, within(1e-9));
    }

    static void assertRow(Map<String, Object> actual, Map<String, Object> expected) {
        assertThat(actual.keySet()).as("columns").containsExactlyElementsOf(expected.keySet());
        String which = expected.get("sensor_id") + " " + expected.get("window_start");
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Object value = actual.get(e.getKey());
            if (e.getValue() instanceof Double d) {
                assertThat(value).as("%s %s", which, e.getKey()).isInstanceOf(Double.class);
                assertThat((Double) value).as("%s %s", which, e.getKey()).isCloseTo(d, within(1e-9));
            } else {
                assertThat(value).as("%s %s", which, e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    /** Every row of sensor_aggregates, ordered by sensor and window, without updated_at. */
    static List<Map<String, Object>> aggregates(LocalPostgres postgres) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sensor_id, window_start, window_end, reading_count,"
                        + " duplicate_count, temperature_count, temperature_min, temperature_max, temperature_avg,"
                        + " humidity_count, humidity_min, humidity_max, humidity_avg, distance_count, distance_min,"
                        + " distance_max, distance_avg, motion_readings, motion_count, first_event_time, last_event_time"
                        + " FROM sensor_aggregates ORDER BY sensor_id, window_start")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    String name = rs.getMetaData().getColumnName(i);
                    Object value = rs.getObject(i);
                    if (value instanceof java.sql.Timestamp ts) {
                        value = ts.toInstant();
                    } else if (value == null) {
                        value = "null";
                    }
                    row.put(name, value);
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return rows; // the job has not created the schema yet
            }
            throw e;
        }
        return rows;
    }

    static long count(LocalPostgres postgres, String sql) throws SQLException {
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * {@code make -C firmware host-publisher}; the program it built. Without make or g++ the test is skipped (saying
     * why), or fails with CI=true.
     */
    private static Path buildHostPublisher() throws IOException, InterruptedException {
        Path firmware = repositoryRoot().resolve("firmware");
        for (String tool : List.of("make", "g++")) {
            if (!onPath(tool)) {
                String why = tool + " is not installed (Debian: apt-get install make g++): the end-to-end test builds"
                        + " the firmware core's host publisher with it";
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new IllegalStateException(why + "; CI=true, so this is a failure (.ci/run installs it)");
                }
                System.err.println("SKIPPED: " + why);
                Assumptions.abort(why);
            }
        }
        Process make = new ProcessBuilder("make", "-C", firmware.toString(), "host-publisher")
                .redirectErrorStream(true).start();
        boolean done = make.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            make.destroyForcibly();
        }
        String out = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("make host-publisher finished within 5 minutes:\n%s", out).isTrue();
        assertThat(make.exitValue()).as("make -C %s host-publisher:\n%s", firmware, out).isZero();
        Path program = firmware.resolve("build/host/publish_readings");
        assertThat(Files.isExecutable(program)).as("%s was built", program).isTrue();
        return program;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("firmware/Makefile"))) {
                return p;
            }
        }
        throw new IllegalStateException("no firmware/Makefile above " + Path.of("").toAbsolutePath());
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, timeout).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void cancel(JobClient job) throws Exception {
        JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
        if (!status.isGloballyTerminalState()) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Closes in reverse order of start. A failure to close is added to the test's own failure, if there is one, and
     * thrown otherwise (after all were tried).
     */
    private static void closeAll(Deque<AutoCloseable> toClose, Throwable testFailure) throws Exception {
        Exception first = null;
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                if (testFailure != null) {
                    testFailure.addSuppressed(e);
                } else if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
