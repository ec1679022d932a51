package io.sensorflow.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real standalone Flink session cluster, as {@code start-cluster.sh} would start it, but from the
 * Maven jars instead of a flink-dist download: one JobManager JVM
 * ({@code StandaloneSessionClusterEntrypoint}) and one TaskManager JVM ({@code TaskManagerRunner}),
 * sharing a generated {@code config.yaml} in {@link #confDir()}: loopback only, free ports for REST,
 * RPC, blob server and the Prometheus reporter of each process, small memory sizes, and the JVM
 * memory flags Flink's own scripts get from {@code BashJavaUtils}.
 *
 * <p>The classpath (what flink-dist's {@code lib/} holds) comes from the caller: the runtime
 * classpath of flink-runtime, flink-streaming-java, flink-clients, flink-runtime-web,
 * flink-metrics-prometheus and a log4j 2 binding. {@link #start()} returns once the REST API reports
 * the TaskManager with all its slots. {@link #close()} stops both JVMs (and the CLI processes it
 * started) and deletes the cluster's directory, after copying the logs to {@code keepLogsIn} if set.
 * If this JVM dies without closing, a watchdog process kills the cluster's JVMs.
 */
public final class LocalFlinkCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkCluster.class);

    private static final String HOST = "127.0.0.1";
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    /** The --add-opens/--add-exports Flink's config.yaml passes every JVM (env.java.opts.all), for Java 17. */
    public static final List<String> JAVA_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final String classpath;
    private final int slots;
    private final Path keepLogsIn;
    private final Duration startTimeout;
    private final Path baseDir;
    private final Path confDir;
    private final Path logDir;
    private final int restPort;
    private final int rpcPort;
    private final int blobPort;
    private final int jobManagerPrometheusPort;
    private final int taskManagerPrometheusPort;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeOnShutdown, "localflinkcluster-shutdown");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Process jobManager;
    private Process taskManager;
    private boolean closed;

    private LocalFlinkCluster(Builder b) throws IOException {
        this.classpath = b.classpath;
        this.slots = b.slots;
        this.keepLogsIn = b.keepLogsIn;
        this.startTimeout = b.startTimeout;
        this.baseDir = Files.createTempDirectory("localflink-");
        this.confDir = Files.createDirectories(baseDir.resolve("conf"));
        this.logDir = Files.createDirectories(baseDir.resolve("log"));
        this.restPort = Ports.freePort();
        this.rpcPort = Ports.freePort();
        this.blobPort = Ports.freePort();
        this.jobManagerPrometheusPort = Ports.freePort();
        this.taskManagerPrometheusPort = Ports.freePort();
        writeConfig(b);
    }

    /** @param classpath the cluster's classpath, entries separated by {@link File#pathSeparator} */
    public static Builder builder(String classpath) {
        return new Builder(classpath);
    }

    /** Settings of a cluster; {@link #start()} starts it. */
    public static final class Builder {
        private final String classpath;
        private int slots = 2;
        private String jobManagerMemory = "1024m";
        private String taskManagerMemory = "2048m";
        private Path keepLogsIn;
        private Duration startTimeout = Duration.ofSeconds(90);
        private final Map<String, String> extra = new LinkedHashMap<>();
        private final Map<String, String> logLevels = new LinkedHashMap<>();

        private Builder(String classpath) {
            if (classpath == null || classpath.isBlank()) {
                throw new IllegalArgumentException("the Flink cluster needs a classpath");
            }
            this.classpath = classpath.strip();
        }

        /** Task slots of the TaskManager; 2 unless set. */
        public Builder slots(int slots) {
            this.slots = slots;
            return this;
        }

        /** {@code jobmanager.memory.process.size} and {@code taskmanager.memory.process.size}; 1024m and 2048m unless set. */
        public Builder memory(String jobManager, String taskManager) {
            this.jobManagerMemory = jobManager;
            this.taskManagerMemory = taskManager;
            return this;
        }

        /** Where {@link #close()} copies the logs (the directory is created; existing files are replaced). */
        public Builder keepLogsIn(Path dir) {
            this.keepLogsIn = dir;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Any other config.yaml setting, e.g. {@code execution.checkpointing.dir}. */
        public Builder config(String key, String value) {
            extra.put(key, value);
            return this;
        }

        /** The log level of a logger (a class or package name) in the cluster's log4j.properties, e.g. DEBUG. */
        public Builder logLevel(String logger, String level) {
            logLevels.put(logger, level);
            return this;
        }

        public LocalFlinkCluster start() {
            LocalFlinkCluster cluster;
            try {
                cluster = new LocalFlinkCluster(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not prepare the Flink cluster's directory", e);
            }
            try {
                cluster.startProcesses();
                return cluster;
            } catch (RuntimeException | Error e) {
                try {
                    cluster.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** {@code http://127.0.0.1:PORT}: the REST API and the web UI. */
    public URI restUrl() {
        return URI.create("http://" + HOST + ":" + restPort);
    }

    public int restPort() {
        return restPort;
    }

    /** The directory with config.yaml: what {@code FLINK_CONF_DIR} points to for the CLI. */
    public Path confDir() {
        return confDir;
    }

    /** Where the JobManager, the TaskManager and CLI runs log ({@code *.log}, their stdout and stderr {@code *.out}). */
    public Path logDir() {
        return logDir;
    }

    public String classpath() {
        return classpath;
    }

    /** The JobManager's Prometheus endpoint: {@code http://127.0.0.1:PORT/metrics}. */
    public URI jobManagerPrometheusUrl() {
        return URI.create("http://" + HOST + ":" + jobManagerPrometheusPort + "/metrics");
    }

    /** The TaskManager's Prometheus endpoint, with the job's operator metrics. */
    public URI taskManagerPrometheusUrl() {
        return URI.create("http://" + HOST + ":" + taskManagerPrometheusPort + "/metrics");
    }

    /** The JVM command line that starts {@code mainClass} on the cluster's classpath, with Flink's JVM options. */
    public List<String> javaCommand(String logName, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(jvmOptions);
        cmd.addAll(JAVA_OPENS);
        cmd.add("-Dlog.file=" + logDir.resolve(logName + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        cmd.add("-classpath");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** What a CLI run printed, and how it exited. */
    public record CliResult(int exitCode, String output) {}

    /**
     * Runs Flink's command line client ({@code flink ARGS}: {@code CliFrontend} with
     * {@code FLINK_CONF_DIR} = {@link #confDir()}) in a JVM of its own and waits for it.
     *
     * @throws IllegalStateException if it does not end within {@code timeout} (it is killed)
     */
    public CliResult runCli(Duration timeout, String... args) {
        String name = "cli-" + System.nanoTime();
        Path out = logDir.resolve(name + ".out");
        int exitCode = runToEnd(javaCommand(name, List.of("-Xmx256m"), "org.apache.flink.client.cli.CliFrontend",
                List.of(args)), out, "flink " + String.join(" ", args), timeout);
        return new CliResult(exitCode, read(out));
    }

    /** The last {@code lines} lines of each log file, for a test's failure message. */
    public String logTails(int lines) {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path f : files.sorted().collect(Collectors.toList())) {
                List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
                sb.append("==> ").append(f.getFileName()).append(" <==\n");
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> sb.append(l).append('\n'));
            }
        } catch (IOException | UncheckedIOException e) {
            sb.append("(could not read the logs: ").append(e).append(")\n");
        }
        return sb.toString();
    }

    /** Whether both the JobManager and the TaskManager are alive. */
    public synchronized boolean isRunning() {
        return jobManager != null && jobManager.isAlive() && taskManager != null && taskManager.isAlive();
    }

    /** Stops the JobManager and the TaskManager, copies the logs if asked to, deletes the cluster's directory. */
    @Override
    public void close() {
        List<Process> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = new ArrayList<>(processes);
            processes.clear();
        }
        // TaskManager first, as stop-cluster.sh does: the JobManager then sees it leave instead of losing it.
        running.sort(Comparator.comparing(p -> p == jobManager));
        try {
            for (Process p : running) {
                stop(p);
            }
        } finally {
            copyLogs();
            deleteRecursively(baseDir);
            removeShutdownHook();
        }
    }

    private void startProcesses() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long started = System.nanoTime();
        ResourceParams jm = resourceParams("GET_JM_RESOURCE_PARAMS");
        ResourceParams tm = resourceParams("GET_TM_RESOURCE_PARAMS");

        List<String> jmArgs = new ArrayList<>(List.of("--configDir", confDir.toString()));
        jmArgs.addAll(jm.dynamicConfig);
        jobManager = startDaemon("jobmanager", jm.jvmOptions, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", jmArgs);

        List<String> tmArgs = new ArrayList<>(List.of("--configDir", confDir.toString()));
        tmArgs.addAll(tm.dynamicConfig);
        // Both read the one config.yaml; the TaskManager's reporter needs a port of its own.
        tmArgs.addAll(List.of("-D", "metrics.reporter.prom.port=" + taskManagerPrometheusPort));
        taskManager = startDaemon("taskmanager", tm.jvmOptions, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", tmArgs);

        awaitSlots(started);
        LOG.info("Flink cluster up in {} ms: web UI and REST {}, {} task slots, logs in {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), restUrl(), slots, logDir);
    }

    private Process startDaemon(String name, List<String> jvmOptions, String mainClass, List<String> args) {
        return startProcess(javaCommand(name, jvmOptions, mainClass, args), logDir.resolve(name + ".out"), name);
    }

    /** Starts {@code command} with Flink's environment, its stdout and stderr to {@code output}. */
    private synchronized Process startProcess(List<String> command, Path output, String what) {
        ensureOpen();
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("FLINK_CONF_DIR", confDir.toString());
        pb.environment().put("FLINK_LOG_DIR", logDir.toString());
        try {
            Process p = pb.start();
            processes.add(p);
            watch(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + what, e);
        }
    }

    /** Runs {@code command} to its end and returns its exit code; kills it and throws after {@code timeout}. */
    private int runToEnd(List<String> command, Path output, String what, Duration timeout) {
        Process p = startProcess(command, output, what);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(p);
                throw new IllegalStateException(what + " did not end within " + timeout + "; it printed:\n" + read(output));
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(p);
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } finally {
            synchronized (this) {
                processes.remove(p);
            }
        }
    }

    /** The JVM options and {@code -D} settings Flink's scripts start a process with, from {@code BashJavaUtils}. */
    private ResourceParams resourceParams(String command) {
        Path out = logDir.resolve("bash-java-utils-" + command + ".out");
        int exitCode = runToEnd(javaCommand("bash-java-utils", List.of("-Xmx128m"),
                "org.apache.flink.runtime.util.bash.BashJavaUtils", List.of(command, "--configDir", confDir.toString())),
                out, "BashJavaUtils " + command, Duration.ofSeconds(60));
        String output = read(out);
        List<String> results = output.lines().filter(l -> l.startsWith(RESULT_PREFIX))
                .map(l -> l.substring(RESULT_PREFIX.length()).strip()).collect(Collectors.toList());
        if (exitCode != 0 || results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " failed (exit code " + exitCode
                    + "); it printed:\n" + output);
        }
        return new ResourceParams(split(results.get(0)), split(results.get(1)));
    }

    private record ResourceParams(List<String> jvmOptions, List<String> dynamicConfig) {}

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.split("\\s+"));
    }

    private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
    private static final Pattern SLOTS_TOTAL = Pattern.compile("\"slots-total\"\\s*:\\s*(\\d+)");

    private void awaitSlots(long startedNanos) {
        long deadline = startedNanos + startTimeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!jobManager.isAlive() || !taskManager.isAlive()) {
                throw new IllegalStateException("The Flink " + (jobManager.isAlive() ? "TaskManager" : "JobManager")
                        + " exited while starting:\n" + logTails(40));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(restUrl().resolve("/overview"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && number(TASK_MANAGERS, r.body()) == 1 && number(SLOTS_TOTAL, r.body()) == slots) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Flink cluster", e);
            }
            sleep(200);
        }
        throw new IllegalStateException("The Flink cluster did not report 1 TaskManager with " + slots + " slots within "
                + startTimeout + "; GET /overview: " + last + "\n" + logTails(40));
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private void writeConfig(Builder b) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", HOST);
        c.put("jobmanager.rpc.port", String.valueOf(rpcPort));
        c.put("jobmanager.bind-host", HOST);
        c.put("taskmanager.bind-host", HOST);
        c.put("taskmanager.host", HOST);
        c.put("rest.address", HOST);
        c.put("rest.bind-address", HOST);
        c.put("rest.port", String.valueOf(restPort));
        c.put("blob.server.port", String.valueOf(blobPort));
        c.put("jobmanager.memory.process.size", b.jobManagerMemory);
        c.put("taskmanager.memory.process.size", b.taskManagerMemory);
        // The job keeps its state on the heap (hashmap backend): managed memory would sit unused.
        c.put("taskmanager.memory.managed.size", "64m");
        c.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
        c.put("parallelism.default", "1");
        c.put("io.tmp.dirs", baseDir.resolve("tmp").toString());
        c.put("web.tmpdir", baseDir.resolve("web").toString());
        c.put("web.upload.dir", baseDir.resolve("web-upload").toString());
        // A failing job fails, instead of restarting forever while a test waits.
        c.put("restart-strategy.type", "none");
        // The REST API's metrics are at most this old.
        c.put("metrics.fetcher.update-interval", "1 s");
        c.put("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.put("metrics.reporter.prom.port", String.valueOf(jobManagerPrometheusPort));
        c.put("env.java.opts.all", String.join(" ", JAVA_OPENS));
        c.putAll(b.extra);
        StringBuilder yaml = new StringBuilder("# Written by io.sensorflow.testkit.LocalFlinkCluster\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), yaml.toString());
        List<String> log4j = new ArrayList<>(List.of(
                "monitorInterval = 0",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                // Flink 2.2's sink committers register a metric twice per subtask: a quarter of the log.
                "logger.metricgroup.name = org.apache.flink.metrics.MetricGroup",
                "logger.metricgroup.level = ERROR",
                "appender.main.name = MainAppender",
                "appender.main.type = File",
                "appender.main.append = true",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n"));
        int n = 0;
        for (Map.Entry<String, String> level : b.logLevels.entrySet()) {
            log4j.add("logger.level" + n + ".name = " + level.getKey());
            log4j.add("logger.level" + n++ + ".level = " + level.getValue());
        }
        log4j.add("");
        Files.writeString(confDir.resolve("log4j.properties"), String.join("\n", log4j));
        Files.createDirectories(baseDir.resolve("tmp"));
    }

    private static String quote(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    /**
     * Kills {@code p} when this JVM dies without closing the cluster (e.g. a build timeout's SIGKILL,
     * where shutdown hooks do not run).
     */
    private void watch(Process p) throws IOException {
        String script = "while kill -0 \"$1\" 2>/dev/null && kill -0 \"$2\" 2>/dev/null; do sleep 1; done;"
                + " if kill -0 \"$2\" 2>/dev/null; then kill -9 \"$2\"; rm -rf \"$3\"; fi";
        Process watchdog = new ProcessBuilder(List.of("sh", "-c", script, "localflink-watchdog",
                String.valueOf(ProcessHandle.current().pid()), String.valueOf(p.pid()), baseDir.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        // The watchdog ends by itself once p has exited (within a second).
        p.onExit().thenRun(() -> watchdog.destroy());
    }

    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy(); // SIGTERM: Flink's shutdown hooks run
        try {
            if (!p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Flink process {} did not stop within {}, killing it", p.pid(), STOP_WAIT);
                p.destroyForcibly();
                p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private void copyLogs() {
        if (keepLogsIn == null) {
            return;
        }
        try {
            Files.createDirectories(keepLogsIn);
            try (Stream<Path> files = Files.list(logDir)) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.copy(f, keepLogsIn.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.copy(confDir.resolve("config.yaml"), keepLogsIn.resolve("config.yaml"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Could not copy the Flink logs to {}", keepLogsIn, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete the Flink cluster's directory {}", dir, e);
        }
    }

    private void closeOnShutdown() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.error("Closing the Flink cluster at JVM shutdown failed", e);
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: this may be the hook itself running.
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("LocalFlinkCluster on port " + restPort + " is closed");
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
