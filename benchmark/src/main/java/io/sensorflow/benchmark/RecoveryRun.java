package io.sensorflow.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.oracle.WindowAggregate;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.RunResult;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Recovery after a TaskManager dies: the job runs unbounded on a MiniCluster of two TaskManagers
 * (one slot each, parallelism 2) while the simulator sends readings in real time; a TaskManager is
 * terminated and a new one started in its place, several times. Per kill: when the job noticed,
 * when it was running again with every task RUNNING, when the first checkpoint after the kill
 * completed (which commits the alerts topic's transaction: output resumes), and when the first
 * alert detected after the kill was readable (read_committed). At the end the job drains and the
 * whole output is checked against the simulator's oracle: exactly once across the kills.
 */
final class RecoveryRun {

    record Settings(int sensors, int kills, Duration warmUp, Duration between, String checkpointInterval,
            int partitions) {}

    /**
     * The restart strategy and heartbeats of deploy/flink-k8s (base/flinkdeployment.yaml), what the
     * job runs with when deployed, read from that file so the two cannot drift apart.
     * {@code --recovery-flink heartbeat.interval=10s --recovery-flink heartbeat.timeout=50s}
     * measures Flink's default heartbeats instead.
     */
    static final Map<String, String> RESTART = deploySettings(Path.of("deploy/flink-k8s/base/flinkdeployment.yaml"));

    private static Map<String, String> deploySettings(Path manifest) {
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            new YAMLMapper().readTree(manifest.toFile()).path("spec").path("flinkConfiguration").fields()
                    .forEachRemaining(e -> {
                        if (e.getKey().startsWith("restart-strategy.") || e.getKey().startsWith("heartbeat.")) {
                            settings.put(e.getKey(), e.getValue().asText());
                        }
                    });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(manifest + " (run from the repository's root, as benchmark/run.sh does)", e);
        }
        if (!settings.containsKey("restart-strategy.type")) {
            throw new IllegalStateException(manifest + ": no restart-strategy.type in spec.flinkConfiguration");
        }
        return settings;
    }

    private static final Duration MAX_RUN = Duration.ofMinutes(30);

    private RecoveryRun() {}

    /**
     * {@code processes}: the job on a standalone cluster of JVMs, a TaskManager killed with SIGKILL;
     * else on a MiniCluster, a TaskManager terminated. {@code flinkSettings}: more cluster settings
     * (heartbeats).
     */
    static void run(List<String> report, List<Figure> figures, LocalKafka kafka, LocalPostgres postgres,
            List<String> baseJobArgs, Settings s, boolean processes, Map<String, String> flinkSettings,
            List<String> differences) throws Exception {
        try (java.sql.Connection c = postgres.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("TRUNCATE sensor_aggregates, dead_letters, late_readings, sensor_alerts");
        }
        String topic = "recovery-" + System.nanoTime();
        kafka.createTopic(topic, s.partitions(), Map.of("retention.ms", "-1"));
        kafka.createTopic(topic + "-alerts", s.partitions(), Map.of());
        Path rules = Files.createTempFile("recovery-rules-", ".yaml");
        Files.writeString(rules, AlertLatency.RULES);
        long seconds = MAX_RUN.toSeconds();
        // The readings start 20 s from now, while the job starts up; then one a second per sensor, live.
        SimulatorSettings settings = SimulatorSettings.builder()
                .sensors(s.sensors())
                .duration(MAX_RUN)
                .start(Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS))
                .seed(13)
                .format(PayloadFormat.SENSORFLOW)
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=" + seconds))
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "for=50s,count=" + seconds / 4))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=2s,probability=0.01"))
                .rules(RuleFileLoader.load(rules))
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topic)
                .build();
        String name = processes ? "recovery, TaskManager processes, SIGKILL" : "recovery, MiniCluster";
        line(report, String.format("%s: %,d sensors, one reading a second each (%,d readings/s) in real time;"
                        + " two TaskManagers of one slot, parallelism 2; %s, and a new TaskManager started at once;"
                        + " checkpoint every %s; restart strategy and heartbeats of deploy/flink-k8s: %s; %s; %d kills",
                name, s.sensors(), s.sensors(), processes
                        ? "a TaskManager JVM killed with SIGKILL (it tells no one)"
                        : "a TaskManager terminated (MiniCluster.terminateTaskManager: it disconnects from the JobManager as it stops)",
                s.checkpointInterval(), String.join(", ", RESTART.entrySet().stream()
                        .map(e -> e.getKey().replace("restart-strategy.", "") + ": " + e.getValue()).toList()),
                flinkSettings.isEmpty() ? "nothing else" : "then " + flinkSettings, s.kills()));

        Map<String, String> flink = new LinkedHashMap<>(RESTART);
        // The REST API serves metrics at most this old (10 s by default): the benchmark polls them.
        flink.put("metrics.fetcher.update-interval", "500");
        flink.putAll(flinkSettings);
        List<String> jobArgs = new ArrayList<>(baseJobArgs);
        jobArgs.addAll(List.of("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--alerts-topic", topic + "-alerts", "--rules", rules.toString(),
                "--transactional-id-prefix", "recovery-" + System.nanoTime(),
                "--checkpoint-dir", Files.createTempDirectory("sensorflow-recovery-checkpoints-").toUri().toString(),
                "--checkpoint-interval", s.checkpointInterval(), "--parallelism", "2",
                // What this run measures: output exactly once across the kills, resuming with the first checkpoint
                // (alerts are at least once by default, and then repeat after a kill).
                "--alerts-delivery", "exactly-once"));
        AlertArrivals arrivals = new AlertArrivals(kafka.bootstrapServers(), topic + "-alerts");
        LiveFeed feed = new LiveFeed(settings);
        List<long[]> kills = new ArrayList<>();
        RunResult run;
        try (Target job = processes ? new ProcessCluster(flink, jobArgs) : new MiniClusterTarget(flink, jobArgs)) {
            String source = job.rest().vertex(job.jobId(), "Source: Kafka readings");
            long warmUntil = System.nanoTime() + Duration.ofSeconds(20).plus(s.warmUp()).toNanos();
            awaitCheckpoints(job, 2, warmUntil);
            for (int k = 0; k < s.kills(); k++) {
                Kill r = job.kill();
                long alert = arrivals.firstDetectedAfter(r.killedAt(), Duration.ofMinutes(3)) - r.killedAt();
                long[] kill = {r.terminated(), r.noticed(), r.running(), r.checkpoint(), alert, r.lost()};
                kills.add(kill);
                line(report, String.format("  kill %d (TaskManager %s): terminated in %,d ms; the job noticed by %,d ms,"
                                + " ran again with every task RUNNING at %,d ms, completed its first checkpoint at"
                                + " %,d ms, and the first alert detected after the kill was readable at %,d ms%s",
                        k + 1, r.taskManager(), kill[0], kill[1], kill[2], kill[3], kill[4], r.lost() < 0 ? ""
                                : String.format("; the JobManager dropped the dead TaskManager at %,d ms", r.lost())));
                awaitCheckpoints(job, 2, System.nanoTime() + s.between().toNanos());
            }
            run = feed.stop();
            // Everything read: the source's own lag (records counters start again at each restart).
            for (int zero = 0; zero < 3; ) {
                zero = job.rest().subtaskSum(job.jobId(), source, "Source__Kafka_readings.pendingRecords") == 0 ? zero + 1 : 0;
                if (!job.isAlive()) {
                    throw new IllegalStateException("the job ended");
                }
                Thread.sleep(500);
            }
            job.drain();
            if (job instanceof ProcessCluster cluster) {
                fencedCommits(report, kafka, cluster.fencedCommits(), differences);
            }
        } finally {
            arrivals.close();
        }

        ExpectedOutcome expected = run.expected();
        List<WindowAggregate> rows = JobOutputTables.aggregates(postgres.dataSource());
        List<String> d = OutcomeComparison.aggregateDifferences(expected.aggregates(), rows, OutcomeComparison.DEFAULT_AVG_TOLERANCE);
        List<ExpectedAlert> alerts = AlertsTopic.read(kafka.bootstrapServers(), topic + "-alerts");
        List<String> a = OutcomeComparison.alertDifferences(expected.alerts(), alerts);
        line(report, String.format("  output after %d kills: %,d readings; %,d rows expected, %,d rows, %s; %,d alerts"
                        + " expected, %,d on the alerts topic (read_committed), %s", s.kills(), run.messages(),
                expected.aggregates().size(), rows.size(), verdict(d), expected.alerts().size(), alerts.size(), verdict(a)));
        differences.addAll(d);
        differences.addAll(a);

        String exact = d.isEmpty() && a.isEmpty() ? "output exactly once" : "OUTPUT DIFFERS";
        figures.add(new Figure(name + ": running again (every task RUNNING)", ms(kills, 2) + "; " + exact,
                "within 30 s", Figure.atMost(max(kills, 2) / 1e3, 30, "s")));
        figures.add(new Figure(name + ": output resumes (first checkpoint after the kill)", ms(kills, 3),
                "within 30 s", Figure.atMost(max(kills, 3) / 1e3, 30, "s")));
        figures.add(Figure.reported(name + ": first new alert readable", ms(kills, 4)));
        if (processes) {
            figures.add(Figure.reported(name + ": dead TaskManager dropped by the JobManager", ms(kills, 5)));
        }
    }

    /** What a kill took, in ms after it; {@code lost}: when the JobManager dropped the TaskManager, -1 if not known. */
    record Kill(String taskManager, long killedAt, long terminated, long noticed, long running, long checkpoint, long lost) {}

    /** Where the job runs, and how one of its TaskManagers dies. */
    interface Target extends AutoCloseable {
        FlinkRest rest();

        String jobId();

        /** Kills a TaskManager, starts a new one in its place, and times the recovery. */
        Kill kill() throws Exception;

        /** Stop with a savepoint and drain: the final watermark writes the last windows' rows. */
        void drain() throws Exception;

        boolean isAlive() throws Exception;
    }

    /** The job on a MiniCluster in a JVM of its own, which terminates TaskManagers and times the recovery itself. */
    private static final class MiniClusterTarget implements Target {
        private final JobProcess job;

        MiniClusterTarget(Map<String, String> flink, List<String> jobArgs) throws Exception {
            job = JobProcess.start("2g", 2, 1, flink, PipelineBenchmark.profilerAgent("recovery"), jobArgs);
        }

        @Override
        public FlinkRest rest() {
            return job.rest;
        }

        @Override
        public String jobId() {
            return job.jobId;
        }

        @Override
        public Kill kill() throws Exception {
            String[] r = job.command("kill", "KILLED", Duration.ofMinutes(5));
            return new Kill(r[0], Long.parseLong(r[1]), Long.parseLong(r[2]), Long.parseLong(r[3]), Long.parseLong(r[4]),
                    Long.parseLong(r[5]), -1);
        }

        @Override
        public void drain() throws Exception {
            job.command("drain", "DRAINED", Duration.ofMinutes(5));
        }

        @Override
        public boolean isAlive() {
            return job.isAlive();
        }

        @Override
        public void close() throws Exception {
            job.close();
        }
    }

    /**
     * After a restore the committer commits the restored transactions again, and Kafka (transaction
     * protocol 2) refuses those committed before the failure: KafkaCommitter logs them as fenced, with
     * "data loss". What Kafka reports for each says whether it was: CompleteCommit, nothing lost.
     */
    private static void fencedCommits(List<String> report, LocalKafka kafka, List<String> ids, List<String> differences)
            throws Exception {
        List<String> states = new ArrayList<>();
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            for (String id : ids) {
                TransactionDescription t = admin.describeTransactions(List.of(id)).description(id).get(30, TimeUnit.SECONDS);
                states.add(id + " " + t.state());
                if (t.state() != TransactionState.COMPLETE_COMMIT) {
                    differences.add("transaction " + id + ", reported fenced at a recovery, is " + t.state() + ": its records are lost");
                }
            }
        }
        line(report, String.format("  commits KafkaCommitter logged as fenced (\"most likely signals data loss\"): %d; what Kafka"
                + " reports of each: %s", ids.size(), states.isEmpty() ? "-" : String.join(", ", states)));
    }

    private static String ms(List<long[]> kills, int i) {
        List<String> each = new ArrayList<>();
        for (long[] k : kills) {
            each.add(String.format("%.1f", k[i] / 1e3));
        }
        return String.join(" / ", each) + " s";
    }

    private static long max(List<long[]> kills, int i) {
        return kills.stream().mapToLong(k -> k[i]).max().orElse(0);
    }

    /** Waits until {@code count} more checkpoints have completed and {@code untilNanos} has passed. */
    private static void awaitCheckpoints(Target job, int count, long untilNanos) throws Exception {
        long start = completed(job);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (completed(job) < start + count || System.nanoTime() < untilNanos) {
            if (System.nanoTime() > deadline || !job.isAlive()) {
                throw new IllegalStateException("the job did not complete " + count + " checkpoints within 5 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static long completed(Target job) throws Exception {
        return job.rest().get("/jobs/" + job.jobId() + "/checkpoints").get("counts").get("completed").asLong();
    }

    private static String verdict(List<String> d) {
        return d.isEmpty() ? "all equal to the expected outcome"
                : d.size() + " DIFFERENCES, first: " + d.subList(0, Math.min(5, d.size()));
    }

    private static void line(List<String> report, String line) {
        report.add(line);
        System.out.println(line);
    }

    /** A read_committed consumer of the alerts topic noting when each alert became readable. */
    private static final class AlertArrivals implements AutoCloseable {

        /** {arrival ms, detected_at ms} */
        private final List<long[]> seen = new ArrayList<>();
        private final Thread thread;
        private volatile boolean closed;

        AlertArrivals(String bootstrap, String topic) {
            thread = new Thread(() -> consume(bootstrap, topic), "alert-arrivals");
            thread.setDaemon(true);
            thread.start();
        }

        /** The arrival time of the first alert detected after {@code wallMs}. */
        long firstDetectedAfter(long wallMs, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (seen) {
                    for (long[] s : seen) {
                        if (s[1] > wallMs) {
                            return s[0];
                        }
                    }
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("no alert detected after the kill was readable within " + timeout);
        }

        private void consume(String bootstrap, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "recovery-" + System.nanoTime());
            ObjectMapper json = new ObjectMapper();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(topic));
                while (!closed) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                        long now = System.currentTimeMillis();
                        JsonNode a = json.readTree(r.value());
                        long detected = Instant.parse(a.get("detected_at").asText()).toEpochMilli();
                        synchronized (seen) {
                            seen.add(new long[] {now, detected});
                        }
                    }
                }
            } catch (Exception e) {
                if (!closed) {
                    System.err.println("alert consumer: " + e);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            thread.join(5_000);
        }
    }
}
