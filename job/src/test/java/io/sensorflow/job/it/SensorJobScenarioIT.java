package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.config.JobConfig;
import io.sensorflow.oracle.AcceptedReading;
import io.sensorflow.oracle.ExpectedDeadLetter;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.JobOutputTopics;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.simulator.RunResult;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
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
 * Simulated scenarios through the real job on a MiniCluster with two TaskManagers, a real Kafka
 * and a real PostgreSQL; the whole output is compared with the simulator's expected outcome, the
 * archive (Parquet files in a temporary directory, read with DuckDB) too.
 *
 * <p>The oracle judges lateness on the order of one stream and the job per partition: on one
 * partition the two agree exactly; on several, they agree because every sensor reports each
 * second and the simulator holds late readings back with a margin of two watermark steps.
 */
class SensorJobScenarioIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            // One slot each: a job of parallelism 2 spans both, so killing either one hits the job.
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(1)
            .setConfiguration(Scenarios.restarting(5, Duration.ofMillis(200)))
            .build());

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    @Test
    void producesExactlyTheExpectedRowsDeadLettersLateReadingsAndArchive(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String topic = "scenario-readings";
        pipeline.kafka.createTopic(topic, 1);
        SimulatorSettings scenario = Scenarios.troubled(pipeline.kafka.bootstrapServers(), topic, 40, Duration.ofMinutes(12), 7);
        ExpectedOutcome expected = send(scenario);
        assertThat(expected.lateReadings()).hasSize(15);
        assertThat(expected.deadLetters()).hasSizeGreaterThanOrEqualTo(2 * ExpectedRejectReason.values().length);
        assertThat(expected.aggregates()).extracting(a -> a.duplicateCount()).contains(1L);
        // The held-back readings, and about 14 of each 20 s outage (those queued longer than 5 s and a step)
        assertThat(expected.aggregates().stream().mapToLong(a -> a.readingsLateForRules()).sum())
                .as("readings behind the watermark, counted in their windows").isGreaterThan(Scenarios.LATE_FOR_RULES + 20);

        // The archive on its defaults: hourly folders, zstd, merged at the latest every 10 minutes
        // (here: at the end of the bounded input).
        Path archive = Files.createTempDirectory("scenario-archive-");
        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--bounded", "--starting-offsets", "earliest", "--parallelism", "2",
                "--transactional-id-prefix", "scenario-" + System.nanoTime(), "--archive-dir", archive.toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobID id = env.execute("scenario").getJobID();
        assertThat(cluster.getArchivedExecutionGraph(id).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job never restarted").isZero();

        assertOutputIs(expected, topic + "-dlq");
        List<AcceptedReading> accepted = Simulator.acceptedReadings(scenario);
        ArchiveContents.assertHolds(archive, accepted, false);
        ArchiveContents.assertPerDeviceQuery(archive, accepted, 40);
    }

    @Test
    void producesTheSameOutputWhenATaskManagerDiesMidStreamAndTheJobRestoresItsCheckpoint(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        // A partition per source subtask: with --bounded, a subtask without one finishes at once,
        // and Flink declines checkpoints of a job whose tasks are closing.
        String topic = "failover-readings";
        pipeline.kafka.createTopic(topic, 2);
        SimulatorSettings scenario = Scenarios.troubled(pipeline.kafka.bootstrapServers(), topic, 100, Duration.ofMinutes(40), 11);
        ExpectedOutcome expected = send(scenario);
        assertThat(expected.aggregates()).anySatisfy(a -> assertThat(a.readingsLateForRules()).isPositive());

        Path checkpoints = Files.createTempDirectory("failover-checkpoints-");
        Path archive = Files.createTempDirectory("failover-archive-");
        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--bounded", "--starting-offsets", "earliest", "--parallelism", "2",
                "--checkpoint-interval", "100ms", "--batch-max-buffered", "2000",
                // Small fetches stretch the run over seconds, so the failure lands mid-stream.
                "--kafka-property", "max.partition.fetch.bytes=4096,fetch.max.bytes=4096",
                "--checkpoint-dir", checkpoints.toUri().toString(),
                "--transactional-id-prefix", "failover-" + System.nanoTime(),
                "--archive-dir", archive.toUri().toString(), "--archive-compact-every", "500ms"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("failover");
        JobID id = job.getJobID();

        // Kill a TaskManager once a checkpoint is complete but before the job is done: it must
        // restart from that checkpoint, replay what came after it, and still write exactly the
        // expected output.
        Scenarios.killATaskManagerAfterACheckpoint(cluster, job, checkpoints, pipeline, expected.aggregates().size());

        job.getJobExecutionResult().get();
        assertThat(cluster.getArchivedExecutionGraph(id).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted").isPositive();
        assertOutputIs(expected, topic + "-dlq");
        assertThat(expected.totals().duplicates()).as("the scenario repeats readings").isPositive();
        ArchiveContents.assertHolds(archive, Simulator.acceptedReadings(scenario), true);
    }

    private static ExpectedOutcome send(SimulatorSettings scenario) {
        RunResult sent = Simulator.send(scenario, true, null);
        return sent.expected();
    }

    private static void assertOutputIs(ExpectedOutcome expected, String deadLetterTopic) throws Exception {
        // Late readings first: a reading judged late by mistake also shows up as a missing row.
        assertThat(OutcomeComparison.lateDifferences(expected.lateReadings(),
                JobOutputTables.lateReadings(pipeline.postgres.dataSource()))).isEmpty();
        assertThat(OutcomeComparison.deadLetterDifferences(expected.deadLetters(),
                JobOutputTables.deadLetters(pipeline.postgres.dataSource()))).isEmpty();
        OutcomeComparison.assertAggregatesMatch(expected.aggregates(),
                JobOutputTables.aggregates(pipeline.postgres.dataSource()), OutcomeComparison.DEFAULT_AVG_TOLERANCE);

        // The dead-letter topic, read as a transactional consumer would: each exactly once.
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(
                pipeline.kafka.bootstrapServers(), deadLetterTopic, true, Duration.ofSeconds(30));
        List<ExpectedDeadLetter> fromTopic = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            fromTopic.add(JobOutputTopics.deadLetter(r.value()));
        }
        assertThat(OutcomeComparison.deadLetterDifferences(expected.deadLetters(), fromTopic)).isEmpty();
    }

}
