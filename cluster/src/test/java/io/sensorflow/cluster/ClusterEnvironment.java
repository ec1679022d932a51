package io.sensorflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.testkit.LocalFlinkCluster;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalPostgres;
import io.sensorflow.testkit.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One standalone Flink cluster ({@link LocalFlinkCluster}), one Kafka broker and one PostgreSQL for
 * every test class of this module (register with {@code @RegisterExtension}); they are stopped
 * when the last test has run. Each test gets its own database (the job's {@code --db-migrate}
 * creates the schema), topics and consumer group, so the tests do not see each other's output.
 */
final class ClusterEnvironment implements BeforeAllCallback {

    static final String ENTRY_CLASS = "io.sensorflow.job.SensorJob";
    /** The job's timing, as the scenarios' oracle parameters describe it ({@link ClusterScenarios}). */
    static final List<String> TIMING = List.of("--window-size", "1m", "--out-of-orderness", "5s",
            "--watermark-granularity", "1s", "--allowed-lateness", "20s");

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterEnvironment.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Shared shared;

    @Override
    public void beforeAll(ExtensionContext context) {
        shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Shared.class, k -> Shared.start(), Shared.class);
    }

    /** What all test classes share; closed by JUnit after the last of them. */
    static final class Shared implements AutoCloseable {
        final LocalFlinkCluster cluster;
        final LocalKafka kafka;
        final LocalPostgres postgres;
        final Path work;
        final FlinkRest rest;
        private String jarId;

        private Shared(LocalFlinkCluster cluster, LocalKafka kafka, LocalPostgres postgres, Path work) {
            this.cluster = cluster;
            this.kafka = kafka;
            this.postgres = postgres;
            this.work = work;
            this.rest = new FlinkRest(cluster.restUrl());
        }

        static Shared start() {
            String classpath = read(Path.of(property("sensorflow.flink.classpath.file")));
            String logs = System.getProperty("sensorflow.cluster.logs");
            // The cluster's JVMs boot while Kafka and PostgreSQL start here.
            CompletableFuture<LocalFlinkCluster> cluster = CompletableFuture.supplyAsync(() -> {
                LocalFlinkCluster.Builder b = LocalFlinkCluster.builder(classpath);
                // The logs of each run in a folder of their own, named by its start time.
                return (logs == null ? b : b.keepLogsIn(Path.of(logs, LocalDateTime.now().withNano(0).toString()
                        .replace(':', '-')))).start();
            });
            LocalKafka kafka = null;
            LocalPostgres postgres = null;
            try {
                Path work = Files.createTempDirectory("sensorflow-cluster-it-");
                kafka = LocalKafka.start();
                postgres = LocalPostgres.start();
                return new Shared(cluster.join(), kafka, postgres, work);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                closeAll(e, cluster.handle((started, failed) -> started).join(), kafka, postgres);
                throw e;
            }
        }

        @Override
        public void close() {
            RuntimeException failure = new RuntimeException("closing the test environment failed");
            closeAll(failure, cluster, kafka, postgres);
            deleteRecursively(work);
            if (failure.getSuppressed().length > 0) {
                throw failure;
            }
        }

        private static void closeAll(RuntimeException failure, AutoCloseable... all) {
            for (AutoCloseable c : all) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    LocalFlinkCluster cluster() {
        return shared.cluster;
    }

    LocalKafka kafka() {
        return shared.kafka;
    }

    FlinkRest rest() {
        return shared.rest;
    }

    /** The shaded job jar, as users submit it. */
    static Path jobJar() {
        Path jar = Path.of(property("sensorflow.job.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No job jar at " + jar + ": build it first (mvn -pl cluster -am install -DskipTests)");
        }
        return jar;
    }

    /** The job jar uploaded through the REST API, once for all tests. */
    synchronized String uploadedJar() throws IOException {
        if (shared.jarId == null) {
            shared.jarId = shared.rest.uploadJar(jobJar());
        }
        return shared.jarId;
    }

    /** A new directory, deleted with the environment. */
    Path directory(String prefix) throws IOException {
        return Files.createTempDirectory(shared.work, prefix);
    }

    /** The alert rules of these tests (a short silence) in a file the JobManager and the CLI can read. */
    Path rulesFile() throws IOException {
        Path file = shared.work.resolve("cluster-rules.yaml");
        if (!Files.exists(file)) {
            try (InputStream in = ClusterEnvironment.class.getResourceAsStream("/cluster-rules.yaml")) {
                Files.write(file, Objects.requireNonNull(in, "cluster-rules.yaml").readAllBytes());
            }
        }
        return file;
    }

    /**
     * A test's own empty database and readings topic ({@code NAME-readings}, {@code partitions}),
     * with a {@link ClusterScenarios#troubled} scenario sent to it; returns the scenario.
     */
    SimulatorSettings sendScenario(String name, int partitions, int sensors, Duration span, long seed)
            throws SQLException {
        createDatabase(name);
        shared.kafka.createTopic(name + "-readings", partitions);
        SimulatorSettings scenario = ClusterScenarios.troubled(shared.kafka.bootstrapServers(), name + "-readings",
                partitions, sensors, span, seed);
        Simulator.send(scenario, false, null);
        return scenario;
    }

    /** Creates an empty database; the job's --db-migrate gives it the schema. */
    void createDatabase(String database) throws SQLException {
        try (Connection c = shared.postgres.dataSource("postgres").getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
    }

    DataSource database(String database) {
        return shared.postgres.dataSource(database);
    }

    /**
     * The job's arguments for a test named {@code name}: its topics ({@code NAME-readings},
     * {@code NAME-dlq}, {@code NAME-alerts}), database, consumer group and transactional ids, the
     * checkpoints in {@code checkpoints}, the rules of {@link #rulesFile()}, the test timing; then
     * {@code extra} (of an option given twice, the last wins).
     */
    List<String> jobArgs(String name, String database, Path checkpoints, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--kafka-bootstrap-servers", shared.kafka.bootstrapServers(),
                "--jdbc-url", shared.postgres.jdbcUrl(database),
                "--jdbc-user", shared.postgres.user(),
                "--jdbc-password", shared.postgres.password(),
                "--readings-topic", name + "-readings",
                "--dead-letter-topic", name + "-dlq",
                "--alerts-topic", name + "-alerts",
                "--consumer-group", name,
                "--transactional-id-prefix", name,
                "--starting-offsets", "earliest",
                "--rules", rulesFile().toString(),
                "--checkpoint-dir", checkpoints.toUri().toString(),
                "--checkpoint-interval", "1s",
                "--jdbc-flush-interval", "100ms",
                "--idle-timeout", "2s",
                "--job-name", "sensorflow-" + name));
        args.addAll(TIMING);
        args.addAll(List.of(extra));
        return args;
    }

    /** The alerts topic as a read_committed consumer sees it, as the oracle's records. */
    List<ExpectedAlert> alertsOnTopic(String topic) throws IOException {
        List<ExpectedAlert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record :
                TopicReader.readAll(shared.kafka.bootstrapServers(), topic, true, Duration.ofSeconds(10))) {
            JsonNode alert = JSON.readTree(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(alert.get("sensor_id").asText());
            List<Long> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            alert.get("readings").forEach(reading -> {
                times.add(millis(reading.get("time")));
                values.add(reading.get("value").isNull() ? null : reading.get("value").asDouble());
            });
            alerts.add(new ExpectedAlert(alert.get("alert_id").asText(), alert.get("rule_id").asText(),
                    alert.get("sensor_id").asText(), alert.get("status").asText(), millis(alert.get("span_start")),
                    millis(alert.get("span_end")), times, values));
        }
        return alerts;
    }

    private static long millis(JsonNode isoTime) {
        return Instant.parse(isoTime.asText()).toEpochMilli();
    }

    /** Polls {@code done} every half second until it holds; fails with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, Check done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(500);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("System property " + name + " is not set: run the tests through Maven"
                    + " (mvn -pl cluster verify), whose pom sets it");
        }
        return value;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + " (written by the build)", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }
}
