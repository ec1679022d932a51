package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.config.JobConfig;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Everything failing during one run: two TaskManagers killed (one while a checkpoint is in
 * flight), PostgreSQL down, the Kafka broker restarted, then a stop with savepoint and a start from
 * it at another parallelism. At the end the whole output must equal the
 * expected outcome: every aggregate row, dead letter and late reading, every alert on the topic
 * (read_committed) and in the table, and no Kafka transaction left open.
 *
 * <p>The readings arrive at a steady rate during all of it, and the job ends with a stop with
 * savepoint. CI runs a short version; {@code -Dsensorflow.faults.long=true} runs a longer scenario with
 * PostgreSQL down for a minute.
 */
class SensorJobFaultsIT {

    static final boolean LONG = Boolean.getBoolean("sensorflow.faults.long");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(1)
            .setConfiguration(Scenarios.restarting(1_000, Duration.ofMillis(500)))
            .build());

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    @Test
    void theWholeOutputIsExactAfterTaskManagersDiePostgresIsDownAndKafkaRestarts(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String topic = "faults-readings";
        pipeline.kafka.createTopic(topic, 2);
        Path rules = Scenarios.itRules();
        SimulatorSettings scenario = Scenarios.troubled(pipeline.kafka.bootstrapServers(), topic, LONG ? 300 : 100,
                        Duration.ofMinutes(LONG ? 90 : 40), 17)
                .toBuilder()
                .rules(RuleFileLoader.load(rules))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=6"))
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "for=2m,count=4"))
                .build();
        // Unbounded input: the whole fleet stops at the end, so every sensor's last silence fires too.
        ExpectedOutcome expected = Simulator.expectedOutcome(scenario, scenario.rules(), Long.MAX_VALUE / 2);
        assertThat(expected.alerts()).hasSizeGreaterThan(10);
        assertThat(expected.aggregates()).anySatisfy(a -> assertThat(a.readingsLateForRules()).isPositive());

        Path checkpoints = Files.createTempDirectory("faults-checkpoints-");
        String prefix = "faults-" + System.nanoTime();
        // The idle timeout is longer than any outage below: a partition that cannot be read for longer
        // looks quiet, and event time would move on past the readings waiting in Kafka (see README).
        java.util.function.IntFunction<JobConfig> config = parallelism -> pipeline.config(Scenarios.withTiming(
                "--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--alerts-topic", topic + "-alerts", "--rules", rules.toString(), "--idle-timeout", "10s",
                "--starting-offsets", "earliest", "--parallelism", Integer.toString(parallelism),
                "--checkpoint-interval", "200ms", "--jdbc-max-retries", "2",
                // exactly once on both topics (alerts are at least once by default): the output must be the oracle's
                "--alerts-delivery", "exactly-once",
                "--checkpoint-dir", checkpoints.toUri().toString(), "--transactional-id-prefix", prefix));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config.apply(2));
        JobClient job = env.executeAsync("faults");

        // The readings arrive while everything fails, at a steady rate.
        Thread simulator = new Thread(() -> Simulator.send(
                scenario.toBuilder().rate(LONG ? 4_000 : 8_000).build(), false, null), "simulator");
        simulator.start();

        awaitCheckpoints(cluster, job, 2);
        cluster.terminateTaskManager(0).get(); // 1: a TaskManager dies
        cluster.startTaskManager();

        awaitCheckpoints(cluster, job, completed(cluster, job) + 2);
        pipeline.postgres.stopServer(); // 2: PostgreSQL is unreachable for a while
        Thread.sleep(LONG ? 60_000 : 8_000);
        pipeline.postgres.startServer();

        awaitCheckpoints(cluster, job, completed(cluster, job) + 2);
        pipeline.kafka.restart(); // 3: the broker restarts

        awaitCheckpoints(cluster, job, completed(cluster, job) + 2);
        awaitCheckpointInFlight(cluster, job);
        cluster.terminateTaskManager(1).get(); // 4: a TaskManager dies between a checkpoint's start and its end
        cluster.startTaskManager();

        // 5: a stop with savepoint while the readings keep coming, and a start from it at parallelism 1:
        // partition 1 moves to the other subtask, and its sensors' open runs and rises with it.
        awaitCheckpoints(cluster, job, completed(cluster, job) + 2);
        String savepoint = job.stopWithSavepoint(false, Files.createTempDirectory("faults-savepoint-").toUri().toString(),
                org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get();
        assertThat(cluster.getArchivedExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted").isPositive();
        org.apache.flink.configuration.Configuration restore = new org.apache.flink.configuration.Configuration();
        restore.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment resumed = StreamExecutionEnvironment.getExecutionEnvironment(restore);
        PipelineEnvironment.build(resumed, config.apply(1));
        JobClient second = resumed.executeAsync("faults, resumed at parallelism 1");
        assertThat(simulator.isAlive()).as("the readings were still coming during every fault and the rescale").isTrue();
        awaitCheckpoints(cluster, second, 1);
        assertThat(cluster.getExecutionGraph(second.getJobID()).get().getCheckpointStatsSnapshot()
                .getLatestRestoredCheckpoint()).as("restored from the savepoint")
                .satisfies(c -> assertThat(c.getExternalPath()).isEqualTo(savepoint));

        simulator.join();
        SensorJobAlertsIT.awaitAlerts(pipeline, topic + "-alerts", expected.alerts().size(), Duration.ofSeconds(180), second);
        Thread.sleep(2_000); // nothing more may come
        // 6: stop with a savepoint, which commits the last transactions.
        second.stopWithSavepoint(false, Files.createTempDirectory("faults-savepoint-").toUri().toString(),
                org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get();

        assertThat(OutcomeComparison.lateDifferences(expected.lateReadings(),
                JobOutputTables.lateReadings(pipeline.postgres.dataSource()))).isEmpty();
        assertThat(OutcomeComparison.deadLetterDifferences(expected.deadLetters(),
                JobOutputTables.deadLetters(pipeline.postgres.dataSource()))).isEmpty();
        OutcomeComparison.assertAggregatesMatch(expected.aggregates(),
                JobOutputTables.aggregates(pipeline.postgres.dataSource()), OutcomeComparison.DEFAULT_AVG_TOLERANCE);
        assertThat(OutcomeComparison.alertDifferences(expected.alerts(),
                SensorJobAlertsIT.alertsOnTopic(pipeline, topic + "-alerts"))).isEmpty();
        assertThat(pipeline.rows("SELECT count(*) FROM dead_letters")).containsExactly(
                Integer.toString(expected.deadLetters().size()));
        assertThat(pipeline.rows("SELECT count(*) FROM pg_prepared_xacts")).containsExactly("0");
        assertNoOpenTransactions(prefix);
    }

    private static void assertNoOpenTransactions(String prefix) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            List<TransactionListing> ours = admin.listTransactions().all().get().stream()
                    .filter(t -> t.transactionalId().startsWith(prefix)).toList();
            assertThat(ours).as("the job's transactional ids").isNotEmpty();
            assertThat(ours).allSatisfy(t -> assertThat(t.state()).as(t.transactionalId())
                    .isIn(TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT, TransactionState.EMPTY));
        }
    }

    private static void awaitCheckpoints(MiniCluster cluster, JobClient job, long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (completed(cluster, job) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " checkpoints within 120 s; the cluster says: " + rest(cluster, "/taskmanagers")
                        + " " + rest(cluster, "/jobs/" + job.getJobID()));
            }
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job is still running").isFalse();
            Thread.sleep(10);
        }
    }

    /** Waits until a checkpoint has been triggered but not completed. */
    private static void awaitCheckpointInFlight(MiniCluster cluster, JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (checkpoints(cluster, job).getNumberOfInProgressCheckpoints() == 0) {
            assertThat(System.nanoTime()).as("a checkpoint in flight within 120 s").isLessThan(deadline);
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job is still running").isFalse();
            Thread.sleep(1);
        }
    }

    private static String rest(MiniCluster cluster, String path) {
        try (java.io.InputStream in = cluster.getRestAddress().get().resolve(path).toURL().openStream()) {
            String body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return body.length() > 3000 ? body.substring(0, 3000) : body;
        } catch (Exception e) {
            return path + ": " + e;
        }
    }

    private static long completed(MiniCluster cluster, JobClient job) throws Exception {
        return checkpoints(cluster, job).getNumberOfCompletedCheckpoints();
    }

    private static org.apache.flink.runtime.checkpoint.CheckpointStatsCounts checkpoints(MiniCluster cluster, JobClient job)
            throws Exception {
        return cluster.getExecutionGraph(job.getJobID()).get().getCheckpointStatsSnapshot().getCounts();
    }

}
