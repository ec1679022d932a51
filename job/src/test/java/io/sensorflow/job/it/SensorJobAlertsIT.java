package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Silences (one sensor, and the whole fleet), runs of extreme readings, near misses, rises, stuck, outliers
 * (spikes) and rules with a scope through the real job; the alerts topic, read with read_committed, and the sensor_alerts table
 * must hold exactly the alerts the simulator's oracle expects, also after a TaskManager died.
 */
class SensorJobAlertsIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(1)
            .setConfiguration(Scenarios.restarting(5, Duration.ofMillis(200)))
            .build());

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    static final Duration SILENCE = Duration.ofSeconds(20);

    /** Readings each second from every sensor, with everything the rules look for and some noise. */
    private static SimulatorSettings scenario(String topic, int sensors, Duration span, long seed) {
        SimulatorSettings.Builder b = Scenarios.readings(pipeline.kafka.bootstrapServers(), topic, sensors, span, seed,
                        Duration.ofHours(2))
                // runs of 4 over 70 °C (an alert each), runs of 2 (near misses), rises, distance runs
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=4"))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=75,readings=2,count=4"))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=distance_cm,value=5,readings=6,count=3"))
                .fault(FaultSpecParser.parseOption(FaultKind.RISE, "metric=temperature,step=3,readings=5,count=3"))
                // distance stuck at one value for 12 readings (distance-stuck alerts at the 8th)
                .fault(FaultSpecParser.parseOption(FaultKind.STUCK, "metric=distance_cm,readings=12,count=4"))
                // one sensor quiet for a minute in the middle
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "sensor=sensor-00003,at=2m,for=1m"))
                // noise the job must see through: disorder within the bound, duplicates
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=3s,probability=0.02"))
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "max-delay=2s,count=20"));
        return b.build();
    }

    @Test
    void aScenarioWithSilencesRunsAndNearMissesGivesExactlyTheExpectedAlertsUpToTheWholeFleetGoingQuiet(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String topic = "alerts-readings";
        pipeline.kafka.createTopic(topic, 1);
        Path rules = Scenarios.itRulesWithStuckAndScopes();
        RuleSet ruleSet = RuleFileLoader.load(rules);
        SimulatorSettings scenario = scenario(topic, 20, Duration.ofMinutes(5), 3);
        Simulator.send(scenario, false, null);
        // The fleet stops at the end: the job's watermark moves on with the wall clock, and every
        // sensor's last silence fires too.
        List<ExpectedAlert> expected = Simulator.expectedOutcome(scenario, ruleSet, Long.MAX_VALUE / 2).alerts();
        assertThat(expected).extracting(ExpectedAlert::ruleId).contains("temperature-extreme-run",
                "obstacle-close-run", "sensor-silence", "distance-stuck", "humidity-stuck", "first-five-warm-run",
                "listed-silence", "temperature-spike", "humidity-jump");
        // The scenario's temperature spikes are outliers: their first reading fires, the readings after them resolve.
        assertThat(expected).filteredOn(a -> a.ruleId().equals("temperature-spike") && a.status().equals("FIRING"))
                .extracting(a -> a.values().get(0)).contains(80.0, 75.0);
        assertThat(expected).filteredOn(a -> a.ruleId().equals("temperature-spike") && a.status().equals("RESOLVED"))
                .isNotEmpty();
        assertThat(expected).filteredOn(a -> a.ruleId().equals("humidity-jump")).extracting(ExpectedAlert::sensorId)
                .allMatch(id -> id.matches("sensor-0001[0-9]"));
        // The scoped rules alert on their sensors only, which other sensors would have alerted too.
        assertThat(expected).filteredOn(a -> a.ruleId().equals("first-five-warm-run")).extracting(ExpectedAlert::sensorId)
                .allMatch(id -> id.matches("sensor-0000[1-5]"));
        assertThat(expected).filteredOn(a -> a.ruleId().equals("listed-silence")).extracting(ExpectedAlert::sensorId)
                .allMatch(id -> id.equals("sensor-00003") || id.equals("sensor-00004"));
        assertThat(expected).filteredOn(a -> a.ruleId().equals("sensor-silence") && a.status().equals("FIRING"))
                .extracting(ExpectedAlert::sensorId).contains("sensor-00010");
        assertThat(expected).filteredOn(a -> a.status().equals(ExpectedAlert.RESOLVED)).isNotEmpty();
        assertThat(expected).filteredOn(a -> a.ruleId().equals("sensor-silence") && a.status().equals("FIRING"))
                .hasSizeGreaterThan(20);

        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--alerts-topic", topic + "-alerts", "--rules", rules.toString(), "--starting-offsets", "earliest",
                "--parallelism", "2", "--idle-timeout", "1s", "--transactional-id-prefix", "alerts-" + System.nanoTime()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("alerts");
        try {
            List<ExpectedAlert> actual = awaitAlerts(pipeline, topic + "-alerts", expected.size(), Duration.ofSeconds(120), job);
            Thread.sleep(3_000); // a few more checkpoints: nothing more may come
            actual = alertsOnTopic(topic + "-alerts");
            assertThat(OutcomeComparison.alertDifferences(expected, actual)).isEmpty();
            assertTableMatches(expected);
            // Nothing is killed here: the alerts must have come without a restart (the cluster allows them).
            assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job never restarted").isZero();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void theSameAlertsExactlyOnceWhenATaskManagerDiesMidStream(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String topic = "alerts-failover-readings";
        pipeline.kafka.createTopic(topic, 2);
        Path rules = Scenarios.itRulesWithStuckAndScopes();
        SimulatorSettings scenario = scenario(topic, 60, Duration.ofMinutes(12), 5);
        Simulator.send(scenario, false, null);
        // Bounded: the end of the input is no silence, so only the silences the data itself shows.
        List<ExpectedAlert> expected = Simulator.expectedOutcome(scenario, RuleFileLoader.load(rules)).alerts();
        assertThat(expected).hasSizeGreaterThan(10);

        Path checkpoints = Files.createTempDirectory("alerts-failover-checkpoints-");
        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--alerts-topic", topic + "-alerts", "--rules", rules.toString(), "--bounded",
                "--starting-offsets", "earliest", "--parallelism", "2", "--checkpoint-interval", "100ms",
                "--alerts-delivery", "exactly-once", // not the default: at least once repeats alerts after the kill
                "--batch-max-buffered", "2000",
                "--kafka-property", "max.partition.fetch.bytes=4096,fetch.max.bytes=4096",
                "--checkpoint-dir", checkpoints.toUri().toString(),
                "--transactional-id-prefix", "alerts-failover-" + System.nanoTime()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("alerts-failover");

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Scenarios.completedCheckpoints(checkpoints) < 2) {
            assertThat(System.nanoTime()).as("checkpoints within 60 s").isLessThan(deadline);
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job is still running").isFalse();
            Thread.sleep(5);
        }
        assertThat(alertsOnTopic(topic + "-alerts").size()).as("killed mid-stream").isLessThan(expected.size());
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();

        job.getJobExecutionResult().get();
        assertThat(cluster.getArchivedExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted").isPositive();
        assertThat(OutcomeComparison.alertDifferences(expected, alertsOnTopic(topic + "-alerts"))).isEmpty();
        assertTableMatches(expected);
    }

    @Test
    void atLeastOnceNothingIsLostAndARepeatIsTheSameAlertWhenATaskManagerDies(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String topic = "alerts-at-least-once-readings";
        pipeline.kafka.createTopic(topic, 2);
        Path rules = Scenarios.itRulesWithStuckAndScopes();
        SimulatorSettings scenario = scenario(topic, 60, Duration.ofMinutes(12), 7);
        Simulator.send(scenario, false, null);
        // Unbounded, so the kill always finds the job running: the fleet's final silences fire too.
        List<ExpectedAlert> expected =
                Simulator.expectedOutcome(scenario, RuleFileLoader.load(rules), Long.MAX_VALUE / 2).alerts();
        assertThat(expected).hasSizeGreaterThan(10);

        Path checkpoints = Files.createTempDirectory("alerts-at-least-once-checkpoints-");
        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--alerts-topic", topic + "-alerts", "--rules", rules.toString(), "--alerts-delivery", "at-least-once",
                "--starting-offsets", "earliest", "--parallelism", "2", "--idle-timeout", "1s",
                "--checkpoint-interval", "100ms", "--checkpoint-dir", checkpoints.toUri().toString(),
                "--kafka-property", "max.partition.fetch.bytes=4096,fetch.max.bytes=4096",
                "--transactional-id-prefix", "alerts-at-least-once-" + System.nanoTime()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("alerts-at-least-once");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Scenarios.completedCheckpoints(checkpoints) < 1) {
                assertThat(System.nanoTime()).as("a checkpoint within 60 s").isLessThan(deadline);
                Thread.sleep(5);
            }
            cluster.terminateTaskManager(1).get(); // the other test of this class kills the first
            cluster.startTaskManager();

            List<ExpectedAlert> actual = awaitDistinctAlerts(topic + "-alerts", expected.size(), Duration.ofSeconds(120));
            Thread.sleep(3_000); // a few more checkpoints: nothing more may come
            actual = alertsOnTopic(topic + "-alerts");
            assertThat(cluster.getArchivedExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job restarted").isPositive();
            // A repeat is the same record, alert_id included: a consumer that keeps the (alert_id, status) pairs it
            // saw and drops a record whose pair it has seen (the default delivery's promise) sees each alert once.
            java.util.Map<String, ExpectedAlert> firstOfEach = new java.util.LinkedHashMap<>();
            for (ExpectedAlert a : actual) {
                firstOfEach.putIfAbsent(a.alertId() + " " + a.status(), a);
            }
            assertThat(actual).allSatisfy(a -> assertThat(a).isEqualTo(firstOfEach.get(a.alertId() + " " + a.status())));
            assertThat(OutcomeComparison.alertDifferences(expected, List.copyOf(firstOfEach.values()))).isEmpty();
            assertTableMatches(expected);
        } finally {
            job.cancel().get();
        }
    }

    private static List<ExpectedAlert> awaitDistinctAlerts(String topic, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ExpectedAlert> alerts = alertsOnTopic(topic);
        while (alerts.stream().distinct().count() < count && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            alerts = alertsOnTopic(topic);
        }
        return alerts;
    }

    /**
     * The alerts on {@code topic} once there are {@code count} of them, or what there is after {@code timeout};
     * {@code job} must not end meanwhile.
     */
    static List<ExpectedAlert> awaitAlerts(PipelineEnvironment pipeline, String topic, int count, Duration timeout,
            JobClient job) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ExpectedAlert> alerts = alertsOnTopic(pipeline, topic);
        while (alerts.size() < count && System.nanoTime() < deadline) {
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job runs").isFalse();
            Thread.sleep(1_000);
            alerts = alertsOnTopic(pipeline, topic);
        }
        return alerts;
    }

    /** The alerts topic as a read_committed consumer sees it, as the oracle's records. */
    static List<ExpectedAlert> alertsOnTopic(String topic) throws Exception {
        return alertsOnTopic(pipeline, topic);
    }

    static List<ExpectedAlert> alertsOnTopic(PipelineEnvironment pipeline, String topic) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records =
                TopicReader.readAll(pipeline.kafka.bootstrapServers(), topic, true, Duration.ofSeconds(2));
        ObjectMapper json = new ObjectMapper();
        List<ExpectedAlert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode a = json.readTree(r.value());
            assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(a.get("sensor_id").asText());
            assertThat(r.timestamp()).as("a Kafka timestamp near now").isBetween(
                    System.currentTimeMillis() - 600_000, System.currentTimeMillis() + 1_000);
            alerts.add(ExpectedAlert.fromJobJson(a));
        }
        return alerts;
    }

    private static void assertTableMatches(List<ExpectedAlert> expected) throws Exception {
        assertTableMatches(pipeline, expected);
    }

    /** One row per episode: the last status of each alert id. */
    static void assertTableMatches(PipelineEnvironment pipeline, List<ExpectedAlert> expected) throws Exception {
        List<String> want = new ArrayList<>();
        for (ExpectedAlert a : expected) {
            boolean resolved = expected.stream().anyMatch(
                    b -> b.alertId().equals(a.alertId()) && b.status().equals(ExpectedAlert.RESOLVED));
            String row = a.alertId() + "|" + a.ruleId() + "|" + a.sensorId() + "|"
                    + (resolved ? ExpectedAlert.RESOLVED : ExpectedAlert.FIRING);
            if (!want.contains(row)) {
                want.add(row);
            }
        }
        List<String> rows = pipeline.rows("SELECT alert_id, rule_id, sensor_id, status FROM sensor_alerts");
        assertThat(rows).containsExactlyInAnyOrderElementsOf(want);
    }

}
