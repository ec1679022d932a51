package io.sensorflow.job.it;

import io.sensorflow.oracle.ExpectedRejectReason;
import io.sensorflow.oracle.OracleParameters;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Simulator scenarios for the integration tests, with the job settings they assume. */
final class Scenarios {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    static final Duration GRANULARITY = Duration.ofSeconds(1);
    static final Duration LATENESS = Duration.ofSeconds(20);

    /** The job settings the oracle's parameters describe. */
    static final String[] JOB_TIMING = {
        "--window-size", "1m", "--out-of-orderness", "5s", "--watermark-granularity", "1s", "--allowed-lateness", "20s"
    };

    /** Readings of {@link #troubled} that arrive behind the watermark but in time for their window. */
    static final int LATE_FOR_RULES = 12;

    private Scenarios() {}

    /** The oracle's timing settings, then {@code args}. */
    static String[] withTiming(String... args) {
        String[] all = java.util.Arrays.copyOf(JOB_TIMING, JOB_TIMING.length + args.length);
        System.arraycopy(args, 0, all, JOB_TIMING.length, args.length);
        return all;
    }

    /** A MiniCluster configuration that does not restart a failed job: for a test that kills nothing. */
    static org.apache.flink.configuration.Configuration noRestarts() {
        org.apache.flink.configuration.Configuration c = new org.apache.flink.configuration.Configuration();
        c.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "none");
        return c;
    }

    /** Runs the job of {@code config} (a bounded one) to its end, within three minutes, and checks that it never restarted. */
    static void runToTheEnd(org.apache.flink.runtime.minicluster.MiniCluster cluster, io.sensorflow.job.config.JobConfig config,
            String name) throws Exception {
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        org.apache.flink.core.execution.JobClient job = env.executeAsync(name);
        job.getJobExecutionResult().get(3, java.util.concurrent.TimeUnit.MINUTES);
        org.apache.flink.runtime.executiongraph.AccessExecutionGraph graph =
                cluster.getArchivedExecutionGraph(job.getJobID()).get();
        org.assertj.core.api.Assertions.assertThat(graph.getStatusTimestamp(org.apache.flink.api.common.JobStatus.RESTARTING))
                .as("the job never restarted").isZero();
    }

    /** A MiniCluster configuration that restarts a failed job {@code attempts} times. */
    static org.apache.flink.configuration.Configuration restarting(int attempts, Duration delay) {
        org.apache.flink.configuration.Configuration c = new org.apache.flink.configuration.Configuration();
        c.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        c.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        return c;
    }

    /** Checkpoints completed so far under {@code dir} (their _metadata files; only the retained ones). */
    static long completedCheckpoints(java.nio.file.Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata")).count();
        }
    }

    /**
     * Kills a TaskManager of {@code cluster} once {@code job} has completed a checkpoint under
     * {@code checkpoints} and has written fewer than {@code rowsAtTheEnd} aggregate rows, and starts
     * a new one: the job must restart from that checkpoint and replay what came after it.
     */
    static void killATaskManagerAfterACheckpoint(org.apache.flink.runtime.minicluster.MiniCluster cluster,
            org.apache.flink.core.execution.JobClient job, java.nio.file.Path checkpoints, PipelineEnvironment pipeline,
            int rowsAtTheEnd) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (completedCheckpoints(checkpoints) == 0) {
            org.assertj.core.api.Assertions.assertThat(System.nanoTime()).as("a checkpoint within 60 s").isLessThan(deadline);
            org.assertj.core.api.Assertions.assertThat(job.getJobStatus().get().isGloballyTerminalState())
                    .as("the job is still running").isFalse();
            Thread.sleep(5);
        }
        org.assertj.core.api.Assertions.assertThat(pipeline.rows("SELECT 1 FROM sensor_aggregates").size())
                .as("killed mid-stream").isLessThan(rowsAtTheEnd);
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
    }

    /** it-rules.yaml (the default rules with a 20 s silence) as a file, for --rules. */
    static java.nio.file.Path itRules() throws java.io.IOException {
        return rulesFile("/it-rules.yaml");
    }

    /** it-rules.yaml with it-rules-stuck-and-scopes.yaml: two stuck rules, two scoped ones and two outlier rules more. */
    static java.nio.file.Path itRulesWithStuckAndScopes() throws java.io.IOException {
        return rulesFile("/it-rules.yaml", "/it-rules-stuck-and-scopes.yaml");
    }

    private static java.nio.file.Path rulesFile(String... resources) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("it-rules-", ".yaml");
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        for (String resource : resources) {
            try (java.io.InputStream in = Scenarios.class.getResourceAsStream(resource)) {
                content.write(java.util.Objects.requireNonNull(in, resource).readAllBytes());
            }
        }
        java.nio.file.Files.write(file, content.toByteArray());
        return file;
    }

    /**
     * {@code sensors} sensors in sensorflow's payload reading each second for {@code span} from a whole
     * minute {@code ago} on, onto one partition of {@code topic}, judged by the oracle with the job
     * settings of {@link #JOB_TIMING}; the test adds its faults.
     */
    static SimulatorSettings.Builder readings(String bootstrapServers, String topic, int sensors, Duration span, long seed,
            Duration ago) {
        return SimulatorSettings.builder()
                .sensors(sensors)
                .duration(span)
                .seed(seed)
                .format(PayloadFormat.SENSORFLOW)
                .start(Instant.now().minus(ago).truncatedTo(ChronoUnit.MINUTES))
                .bootstrapServers(bootstrapServers)
                .topic(topic)
                .partitions(1)
                .oracle(OracleParameters.of(WINDOW, OUT_OF_ORDERNESS, GRANULARITY, LATENESS));
    }

    /**
     * Several windows and sensors with every kind of trouble the job must handle: readings out of
     * order, too late, delivered twice, malformed in every way, out of range, a silent sensor, and
     * readings behind the watermark but in time for their windows (counted there, seen by no rule):
     * {@link #LATE_FOR_RULES} held back beyond the out-of-orderness, and two sensors offline for 20 s
     * that send what they queued when back, as the firmware does.
     */
    static SimulatorSettings troubled(String bootstrapServers, String topic, int sensors, Duration span, long seed) {
        SimulatorSettings.Builder b = readings(bootstrapServers, topic, sensors, span, seed, Duration.ofHours(3))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=3s,probability=0.02"))
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "max-delay=2s,count=40"))
                .fault(FaultSpecParser.parseOption(FaultKind.LATE, "count=15"))
                // 8 s: three watermark steps behind the partition's own watermark when it arrives, so on
                // any partition it is behind the watermark (the oracle judges by one stream).
                .fault(FaultSpecParser.parseOption(FaultKind.LATE, "hold=8s,count=" + LATE_FOR_RULES))
                .fault(FaultSpecParser.parseOption(FaultKind.BATCHED, "for=20s,count=2"))
                .fault(FaultSpecParser.parseOption(FaultKind.ECHO, "count=5"))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=3"))
                .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "sensor=sensor-00003,at=4m,for=3m"));
        for (ExpectedRejectReason reason : ExpectedRejectReason.values()) {
            b.fault(FaultSpecParser.parseOption(FaultKind.MALFORMED, "reason=" + reason.name() + ",count=2"));
        }
        return b.build();
    }
}
