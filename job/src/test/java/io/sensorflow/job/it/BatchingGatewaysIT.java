package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.Measurement;
import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.oracle.OutcomeOracle;
import io.sensorflow.oracle.SensorIds;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.testkit.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code late: evaluate} against a producer nobody on the team wrote the job for (issue 13 part
 * 4b): gateways that queue their devices' readings and send them every 10 s, out of step, one of
 * them offline for 40 s (src/test/resources/batching_gateways.py, kafka-python, the inspiration
 * project's payload). Readings of a gateway that sends after another are late for rules; those of
 * the offline one's first seconds are too late for their window. One late reading, the last of a
 * hot run, is a message as large as the producer may send. The job (its rules evaluating late
 * readings beside a twin that skips them) must write exactly what the oracle works out from the
 * messages the script printed, in the order sent: every aggregate, late reading and alert (late
 * marks and delays included); the large reading must count and its alert be as small as any; the
 * job never restarts (the cluster would not restart it).
 */
class BatchingGatewaysIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(Scenarios.noRestarts())
            .build());

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    static final String RULES = """
            version: 1
            rules:
              - id: hot-late
                kind: sequence
                severity: critical
                metric: temperature
                above: 70
                count: 3
                within: 1m
                resolve: {readings: 2}
                late: evaluate
              - id: hot
                kind: sequence
                severity: critical
                metric: temperature
                above: 70
                count: 3
                within: 1m
                resolve: {readings: 2}
              - id: jump-late
                kind: rise
                severity: warning
                metric: temperature
                by: 40
                within: 30s
                late: evaluate
            """;

    @Test
    void batchedReadingsAreEvaluatedLateExactlyAsTheOracleExpectsAndTheLargestOneCounts(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        SeedProducerIT.requireKafkaPython();
        String topic = "gateway-readings";
        pipeline.kafka.createTopic(topic, 1);
        Path rules = Files.createTempFile("gateway-rules-", ".yaml");
        Files.writeString(rules, RULES);
        RuleSet ruleSet = RuleFileLoader.load(rules);
        long start = (System.currentTimeMillis() / 1000 - 7200) / 60 * 60; // two hours ago, on a minute
        List<String> sent = runScript(topic, start);

        // The oracle, from what was sent, in the order sent (one partition).
        SensorIds ids = new SensorIds(12, "device_", 0);
        OutcomeOracle oracle = new OutcomeOracle(OracleParameters.of(Scenarios.WINDOW, Scenarios.OUT_OF_ORDERNESS,
                Scenarios.GRANULARITY, Scenarios.LATENESS), ids, ruleSet);
        ObjectMapper json = new ObjectMapper();
        MessageFacts facts = new MessageFacts();
        JsonNode large = null;
        for (String line : sent) {
            JsonNode m = json.readTree(line);
            int sensor = ids.find(m.get("device_id").asText());
            assertThat(sensor).as(line).isNotNegative();
            facts.reading(sensor, m.get("timestamp").asLong() * 1000, MessageFacts.NO_SEQ)
                    .value(Measurement.TEMPERATURE, tenths(m.get("temperature")))
                    .value(Measurement.HUMIDITY, tenths(m.get("humidity")));
            byte[] payload = line.getBytes(StandardCharsets.UTF_8);
            oracle.onMessage(facts, new byte[0], payload, payload.length);
            if (m.has("message_bytes")) {
                large = m;
            }
        }
        ExpectedOutcome expected = oracle.outcome(Long.MAX_VALUE / 2);

        // The script does what it is for: late alerts of both rules that evaluate late readings,
        // fewer alerts for the twin that skips them, readings too late for their window, and the
        // large message within a few hundred bytes of Kafka's default limit, deciding a late FIRING.
        assertThat(large).as("the large message").isNotNull();
        assertThat(large.get("message_bytes").asInt()).isBetween(1_048_576 - 512, 1_048_576);
        long largeAt = large.get("timestamp").asLong() * 1000;
        List<ExpectedAlert> alerts = expected.alerts();
        assertThat(alerts).filteredOn(a -> a.detectionDelayMs() != null).extracting(ExpectedAlert::ruleId)
                .contains("hot-late", "jump-late").doesNotContain("hot");
        assertThat(alerts).filteredOn(a -> a.ruleId().equals("hot")).hasSizeLessThan(
                (int) alerts.stream().filter(a -> a.ruleId().equals("hot-late")).count());
        assertThat(alerts).anySatisfy(a -> {
            assertThat(a.ruleId()).isEqualTo("hot-late");
            assertThat(a.status()).isEqualTo(ExpectedAlert.FIRING);
            assertThat(a.sensorId()).isEqualTo("device_5");
            assertThat(a.spanEndMs()).isEqualTo(largeAt);
            assertThat(a.detectionDelayMs()).isPositive();
        });
        assertThat(expected.lateReadings()).as("readings too late for their window").isNotEmpty();
        System.out.printf("batching gateways: %d messages, %d alerts (%d late), %d late for rules, %d too late,"
                + " the large message %d bytes%n", sent.size(), alerts.size(),
                alerts.stream().filter(a -> a.detectionDelayMs() != null).count(),
                expected.aggregates().stream().mapToLong(a -> a.readingsLateForRules()).sum(),
                expected.lateReadings().size(), large.get("message_bytes").asInt());

        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic",
                topic + "-dlq", "--alerts-topic", topic + "-alerts", "--rules", rules.toString(), "--bounded",
                "--starting-offsets", "earliest", "--parallelism", "2", "--transactional-id-prefix",
                "gateways-" + System.nanoTime()));
        Scenarios.runToTheEnd(cluster, config, "batching-gateways");

        OutcomeComparison.assertAggregatesMatch(expected.aggregates(),
                JobOutputTables.aggregates(pipeline.postgres.dataSource()), OutcomeComparison.DEFAULT_AVG_TOLERANCE);
        assertThat(OutcomeComparison.lateDifferences(expected.lateReadings(),
                JobOutputTables.lateReadings(pipeline.postgres.dataSource()))).isEmpty();
        assertThat(OutcomeComparison.alertDifferences(alerts,
                SensorJobAlertsIT.alertsOnTopic(pipeline, topic + "-alerts"))).isEmpty();
        SensorJobAlertsIT.assertTableMatches(pipeline, alerts);
        assertThat(pipeline.rows("SELECT count(*) FROM sensor_alerts WHERE late")).containsExactly(
                Long.toString(alerts.stream().filter(a -> a.status().equals(ExpectedAlert.FIRING)
                        && a.detectionDelayMs() != null).count()));
        // Every alert record is small, the one the large reading decided too: an alert carries the
        // readings' times and values, never their payload.
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(pipeline.kafka.bootstrapServers(),
                topic + "-alerts", true, Duration.ofSeconds(2));
        assertThat(records).isNotEmpty().allSatisfy(r -> assertThat(r.value().length).isLessThan(2048));
        System.out.printf("batching gateways: %d alert records, the largest %d bytes%n", records.size(),
                records.stream().mapToInt(r -> r.value().length).max().orElse(0));
        assertThat(pipeline.rows("SELECT count(*) FROM dead_letters")).containsExactly("0");
    }

    private static int tenths(JsonNode value) {
        return new BigDecimal(value.asText()).movePointRight(1).intValueExact();
    }

    /** Runs the script; the messages it printed it sent, in the order sent. */
    private static List<String> runScript(String topic, long start) throws IOException, InterruptedException {
        Path script = Files.createTempFile("batching_gateways", ".py");
        try (InputStream in = BatchingGatewaysIT.class.getResourceAsStream("/batching_gateways.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(SeedProducerIT.PYTHON, script.toString(), pipeline.kafka.bootstrapServers(),
                topic, Long.toString(start), "13").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the script's exit code").isZero();
        List<String> sent = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                sent.add(line);
            }
        }
        return sent;
    }
}
