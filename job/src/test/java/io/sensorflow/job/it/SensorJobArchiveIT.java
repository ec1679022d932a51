package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.archive.ArchiveWorkFiles;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.oracle.AcceptedReading;
import io.sensorflow.simulator.oracle.ExpectedOutcome;
import io.sensorflow.simulator.oracle.JobOutputTables;
import io.sensorflow.simulator.oracle.OutcomeComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The archive through the real job, a real Kafka and PostgreSQL, into a temporary directory: after
 * disorder, duplicates, malformed and late readings, and a TaskManager killed after a checkpoint,
 * the archive's Parquet files hold exactly the readings the oracle accepts, each once, in the
 * documented layout (sql/README.md, "The archive"), read with DuckDB as a user would.
 */
class SensorJobArchiveIT {

    /** The archive's files, as sql/README.md says to read them: hidden work files left out. */
    private static final String ARCHIVE_GLOB = "/**/[!.]*.parquet";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(1)
            .setConfiguration(Scenarios.restarting(5, Duration.ofMillis(200)))
            .build());

    @RegisterExtension
    static final PipelineEnvironment pipeline = new PipelineEnvironment();

    @Test
    void holdsEveryAcceptedReadingOnceAfterATaskManagerDied(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String topic = "archive-failover-readings";
        pipeline.kafka.createTopic(topic, 2);
        SimulatorSettings scenario = Scenarios.troubled(pipeline.kafka.bootstrapServers(), topic, 100, Duration.ofMinutes(40), 11);
        ExpectedOutcome expected = Simulator.send(scenario, true, null).expected();
        List<AcceptedReading> accepted = Simulator.acceptedReadings(scenario);
        assertThat(expected.totals().duplicates()).as("the scenario repeats readings").isPositive();
        assertThat(expected.lateReadings()).as("and has late ones").isNotEmpty();

        Path archive = Files.createTempDirectory("archive-failover-");
        Path checkpoints = Files.createTempDirectory("archive-failover-checkpoints-");
        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--bounded", "--starting-offsets", "earliest", "--parallelism", "2",
                "--checkpoint-interval", "100ms", "--batch-max-buffered", "2000",
                "--kafka-property", "max.partition.fetch.bytes=4096,fetch.max.bytes=4096",
                "--checkpoint-dir", checkpoints.toUri().toString(),
                "--transactional-id-prefix", "archive-failover-" + System.nanoTime(),
                "--archive-dir", archive.toUri().toString(), "--archive-compact-every", "500ms"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("archive failover");
        JobID id = job.getJobID();

        // A TaskManager dies after a checkpoint, before the end; the job restores the checkpoint
        // and replays what came after it.
        Scenarios.killATaskManagerAfterACheckpoint(cluster, job, checkpoints, pipeline, expected.aggregates().size());
        job.getJobExecutionResult().get();
        assertThat(cluster.getArchivedExecutionGraph(id).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted").isPositive();

        OutcomeComparison.assertAggregatesMatch(expected.aggregates(),
                JobOutputTables.aggregates(pipeline.postgres.dataSource()), OutcomeComparison.DEFAULT_AVG_TOLERANCE);
        assertArchiveHolds(archive, accepted, true);
    }

    @Test
    void thePerDeviceQueryOfTheInspirationProjectRunsOverTheArchive(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String topic = "archive-query-readings";
        pipeline.kafka.createTopic(topic, 1);
        SimulatorSettings scenario = Scenarios.troubled(pipeline.kafka.bootstrapServers(), topic, 40, Duration.ofMinutes(12), 7);
        Simulator.send(scenario, false, null);
        List<AcceptedReading> accepted = Simulator.acceptedReadings(scenario);

        Path archive = Files.createTempDirectory("archive-query-");
        // The archive's defaults: hourly folders, zstd, merged at the latest every 10 minutes (here:
        // at the end of the bounded input).
        JobConfig config = pipeline.config(Scenarios.withTiming("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--bounded", "--starting-offsets", "earliest", "--parallelism", "2",
                "--transactional-id-prefix", "archive-query-" + System.nanoTime(),
                "--archive-dir", archive.toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        JobClient job = env.executeAsync("archive query");
        job.getJobExecutionResult().get();
        assertThat(cluster.getArchivedExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job never restarted").isZero();

        // SELECT device_id, AVG(temperature), MAX(humidity) ... GROUP BY device_id, as the Delta Lake
        // project runs it; the reading's id is sensor_id here.
        Map<String, String> fromArchive = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sensor_id AS device_id, AVG(temperature) AS avg_temp,"
                        + " MAX(humidity) AS max_humidity FROM read_parquet('" + archive + ARCHIVE_GLOB + "')"
                        + " GROUP BY sensor_id")) {
            while (rs.next()) {
                fromArchive.put(rs.getString(1), String.format(Locale.ROOT, "%.9f %s", rs.getDouble(2), rs.getObject(3)));
            }
        }
        Map<String, double[]> sums = new TreeMap<>(); // temperature sum, count, humidity max
        for (AcceptedReading r : accepted) {
            double[] s = sums.computeIfAbsent(r.sensorId(), k -> new double[] {0, 0, Double.NEGATIVE_INFINITY});
            if (r.temperature() != null) {
                s[0] += r.temperature();
                s[1]++;
            }
            if (r.humidity() != null) {
                s[2] = Math.max(s[2], r.humidity());
            }
        }
        Map<String, String> fromReadings = new TreeMap<>();
        sums.forEach((sensor, s) -> fromReadings.put(sensor, String.format(Locale.ROOT, "%.9f %s", s[0] / s[1],
                s[2] == Double.NEGATIVE_INFINITY ? "null" : Double.toString(s[2]))));
        assertThat(fromArchive).hasSize(40).isEqualTo(fromReadings);
        assertArchiveHolds(archive, accepted, false);
    }

    /**
     * Every accepted reading once, nothing else, read through the documented glob; each file in its
     * rows' hour folder; no work file left, but for the in-progress files of a killed attempt
     * ({@code afterAKill}), which {@link ArchiveWorkFiles} removes.
     */
    private static void assertArchiveHolds(Path archive, List<AcceptedReading> accepted, boolean afterAKill)
            throws Exception {
        List<String> expected = new ArrayList<>();
        for (AcceptedReading r : accepted) {
            expected.add(row(r.sensorId(), r.eventTime(), r.temperature(), r.humidity(), r.distanceCm(), r.motion(), r.seq(),
                    folderOf(r.eventTime())));
        }
        List<String> archived = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sensor_id, epoch_ms(ts), temperature, humidity, distance_cm, motion,"
                        + " seq, 'day=' || CAST(day AS VARCHAR) || '/hour=' || lpad(CAST(hour AS VARCHAR), 2, '0')"
                        + " FROM read_parquet('" + archive + ARCHIVE_GLOB + "', hive_partitioning = true)")) {
            while (rs.next()) {
                archived.add(row(rs.getString(1), rs.getLong(2), (Double) rs.getObject(3), (Double) rs.getObject(4),
                        (Double) rs.getObject(5), (Boolean) rs.getObject(6), (Long) rs.getObject(7), rs.getString(8)));
            }
        }
        assertThat(archived).hasSameSizeAs(expected).containsExactlyInAnyOrderElementsOf(expected);

        List<String> workFiles = files(archive).stream().filter(f -> f.contains("/.")).toList();
        if (afterAKill) {
            assertThat(workFiles).as("hidden files: the killed attempt's in-progress files only")
                    .allMatch(f -> ArchiveWorkFiles.isInProgress(f.substring(f.lastIndexOf('/') + 1)));
            ArchiveWorkFiles.removeOrphans(new org.apache.flink.core.fs.Path(archive.toUri()), Duration.ZERO, Instant.now());
        }
        assertThat(files(archive)).as("only merged files, in day=/hour= folders, no work file").isNotEmpty()
                .allMatch(f -> f.matches("day=\\d{4}-\\d\\d-\\d\\d/hour=\\d\\d/compacted-part-[0-9a-f-]+\\.parquet"));
    }

    private static List<String> files(Path root) throws java.io.IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static String row(String sensor, long ts, Double t, Double h, Double d, Boolean motion, Long seq, String folder) {
        return sensor + " " + Instant.ofEpochMilli(ts) + " t=" + t + " h=" + h + " d=" + d + " m=" + motion + " seq=" + seq
                + " in " + folder;
    }

    private static String folderOf(long ts) {
        var at = Instant.ofEpochMilli(ts).atZone(ZoneOffset.UTC);
        return String.format("day=%s/hour=%02d", at.toLocalDate(), at.getHour());
    }
}
