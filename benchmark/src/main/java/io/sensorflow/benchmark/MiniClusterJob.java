package io.sensorflow.benchmark;

import io.sensorflow.job.SensorJob;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.sink.PipelineSinks;
import io.sensorflow.job.source.KafkaReadingSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The production job, unbounded, on a MiniCluster of its own in this JVM (so its heap and RSS are
 * the job's), driven by the benchmark through stdin, one command a line:
 * <ul>
 *   <li>{@code heap}: a full GC, then prints the heap used and the process's resident memory;
 *   <li>{@code kill}: terminates the oldest live TaskManager, starts a new one in its place, and
 *       prints when the job noticed, when it ran again with every task RUNNING, and when the first
 *       checkpoint after that completed;
 *   <li>{@code drain}: stop with a savepoint and drain (the final watermark closes every window,
 *       as at the end of a bounded input), then exit.
 * </ul>
 * Args: task managers, slots per task manager, REST port, {@code -Dkey=value} Flink settings
 * (those a cluster's config.yaml would hold), {@code --}, then the job's own settings. Lines for
 * the benchmark start with {@value #EVENT}.
 */
final class MiniClusterJob {

    static final String EVENT = "EVENT ";

    private MiniClusterJob() {}

    public static void main(String[] args) throws Exception {
        int taskManagers = Integer.parseInt(args[0]);
        int slots = Integer.parseInt(args[1]);
        int restPort = Integer.parseInt(args[2]);
        Configuration flink = new Configuration();
        int i = 3;
        for (; i < args.length && !args[i].equals("--"); i++) {
            String kv = args[i].substring(2); // -Dkey=value
            flink.setString(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        String[] jobArgs = Arrays.copyOfRange(args, i + 1, args.length);
        JobConfig config = JobConfig.parse(jobArgs, Map.of(), new PrintWriter(new StringWriter()));
        flink.set(RestOptions.BIND_PORT, Integer.toString(restPort));
        flink.set(RestOptions.ADDRESS, "127.0.0.1");

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(flink)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        // The same settings reach the job as `flink run -D` would give them.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        SensorJob.prepareExternalSystems(config);
        SensorJob.configure(env, config);
        new SensorJob(config, KafkaReadingSource.create(config), PipelineSinks.create(config)).build(env);
        JobID job = cluster.submitJob(env.getStreamGraph()).get().getJobID();
        event("STARTED " + job + " " + ProcessHandle.current().pid());

        List<Integer> live = new ArrayList<>();
        for (int t = 0; t < taskManagers; t++) {
            live.add(t);
        }
        int next = taskManagers;
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = commands.readLine()) != null; ) {
            switch (command.trim()) {
                case "heap" -> heap();
                case "kill" -> {
                    kill(cluster, job, live.remove(0));
                    live.add(next++);
                }
                case "drain" -> {
                    long t0 = System.nanoTime();
                    Path dir = Files.createTempDirectory("sensorflow-drain-");
                    cluster.stopWithSavepoint(job, dir.toUri().toString(), true, SavepointFormatType.CANONICAL).get();
                    JobStatus status = cluster.requestJobResult(job).get().getApplicationStatus().deriveJobStatus();
                    event("DRAINED " + (System.nanoTime() - t0) / 1_000_000 + " " + status);
                    System.exit(0); // Flink's and Kafka's non-daemon threads would keep the JVM alive
                }
                default -> throw new IllegalArgumentException("unknown command: " + command);
            }
        }
        System.exit(0);
    }

    /** After a full GC, so what is left is what the job holds: its state, buffers and code. */
    private static void heap() throws Exception {
        long t0 = System.nanoTime();
        System.gc();
        long gcMs = (System.nanoTime() - t0) / 1_000_000;
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        event("HEAP " + used + " " + residentBytes() + " " + gcMs);
    }

    private static long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /**
     * Terminates TaskManager {@code index} and starts a replacement at once (a supervisor restarting
     * it, or a standby). Prints, in ms after the kill: when the job noticed (not every task RUNNING),
     * when it was RUNNING with every task RUNNING again, and when the first checkpoint that completed
     * after the kill did; and the kill's wall-clock time.
     */
    private static void kill(MiniCluster cluster, JobID job, int index) throws Exception {
        long killedAt = System.currentTimeMillis();
        long t0 = System.nanoTime();
        cluster.terminateTaskManager(index).get();
        long terminatedMs = (System.nanoTime() - t0) / 1_000_000;
        cluster.startTaskManager();
        long noticed = -1;
        long running = -1;
        long checkpoint = -1;
        while (checkpoint < 0) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
            if (graph.getState().isGloballyTerminalState()) {
                throw new IllegalStateException("the job ended: " + graph.getState() + " " + graph.getFailureInfo());
            }
            long now = (System.nanoTime() - t0) / 1_000_000;
            boolean allRunning = graph.getState() == JobStatus.RUNNING && allTasksRunning(graph);
            if (noticed < 0 && !allRunning) {
                noticed = now;
            } else if (noticed >= 0 && running < 0 && allRunning) {
                running = now;
            }
            CompletedCheckpointStats latest = graph.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
            if (running >= 0 && latest != null && latest.getTriggerTimestamp() > killedAt) {
                // Completion time on the JobManager's clock, which is this JVM's.
                checkpoint = latest.getTriggerTimestamp() + latest.getEndToEndDuration() - killedAt;
            }
            Thread.sleep(5);
        }
        event("KILLED " + index + " " + killedAt + " " + terminatedMs + " " + noticed + " " + running + " " + checkpoint);
    }

    private static boolean allTasksRunning(AccessExecutionGraph graph) {
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    private static void event(String line) {
        System.out.println(EVENT + line);
        System.out.flush();
    }
}
