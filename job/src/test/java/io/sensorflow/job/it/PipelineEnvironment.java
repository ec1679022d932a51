package io.sensorflow.job.it;

import io.sensorflow.job.SensorJob;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.sink.PipelineSinks;
import io.sensorflow.job.source.KafkaReadingSource;
import io.sensorflow.sql.SchemaMigrator;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka broker and a real PostgreSQL with the schema, for the integration tests of one
 * class (register it with {@code @RegisterExtension}), emptied before each test; and the job
 * wired to them.
 */
final class PipelineEnvironment implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    LocalKafka kafka;
    LocalPostgres postgres;
    Path checkpointDir;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        kafka = LocalKafka.start();
        postgres = LocalPostgres.start();
        SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
        checkpointDir = Files.createTempDirectory("sensorflow-checkpoints-");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        execute("TRUNCATE sensor_aggregates, dead_letters, late_readings, sensor_alerts");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        kafka.close();
        postgres.close();
        // Each test class's checkpoints, not needed once its jobs have ended.
        try (java.util.stream.Stream<Path> files = Files.walk(checkpointDir)) {
            for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The job's settings for this environment, plus the test's own. */
    JobConfig config(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--kafka-bootstrap-servers", kafka.bootstrapServers(),
                "--jdbc-url", postgres.jdbcUrl(),
                "--jdbc-user", postgres.user(),
                "--jdbc-password", postgres.password(),
                "--no-db-migrate",
                "--checkpoint-interval", "1s",
                "--checkpoint-dir", checkpointDir.toUri().toString(),
                "--jdbc-flush-interval", "100ms"));
        all.addAll(List.of(args));
        return JobConfig.parse(all.toArray(new String[0]), Map.of(), new PrintWriter(new StringWriter()));
    }

    /** The production pipeline, built on {@code env}; the caller executes it. */
    static void build(StreamExecutionEnvironment env, JobConfig config) throws InterruptedException {
        SensorJob.prepareExternalSystems(config);
        SensorJob.configure(env, config);
        new SensorJob(config, KafkaReadingSource.create(config), PipelineSinks.create(config)).build(env);
    }

    void produce(String topic, List<byte[]> payloads, Function<byte[], String> keyOf) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] payload : payloads) {
                String key = keyOf.apply(payload);
                producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), payload));
            }
            producer.flush();
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Each row of {@code sql} as its columns joined by '|', NULL as "null". */
    List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = postgres.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }
}
