package io.sensorflow.local;

import io.sensorflow.bridge.Bridge;
import io.sensorflow.bridge.BridgeSettings;
import io.sensorflow.job.SensorJob;
import io.sensorflow.job.config.ConfigException;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.sink.PipelineSinks;
import io.sensorflow.job.source.KafkaReadingSource;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.simulator.output.EventTimePacedSink;
import io.sensorflow.simulator.output.KafkaMessageSink;
import io.sensorflow.simulator.output.MessageSink;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalMqttBroker;
import io.sensorflow.testkit.LocalPostgres;
import io.sensorflow.testkit.Ports;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The whole pipeline on one machine: a real Kafka broker, a real PostgreSQL and an MQTT broker (all from Maven
 * artifacts), the MQTT to Kafka bridge, the job in a local Flink with its web UI, and the simulator's sensors
 * publishing over MQTT as the firmware does. Or the same against an existing Kafka and PostgreSQL. Ctrl-C stops
 * everything.
 */
@Command(name = "run-local", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = {
            "Runs the sensorflow pipeline locally: an MQTT broker, the bridge, Kafka, PostgreSQL, Flink with its web UI,",
            "and the simulator's sensors publishing over MQTT as the firmware does.",
            "Every option of the job works here too (listed below), e.g. --window-size 1m. Every setting is checked",
            "before anything starts."
        })
public final class LocalPipeline implements Callable<Integer> {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the local Kafka broker (another free one if taken). Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--postgres-port", defaultValue = "5432", description = "Port of the local PostgreSQL (another free one if taken). Default: ${DEFAULT-VALUE}.")
    int postgresPort;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "Port of the local MQTT broker (another free one if taken). Default: ${DEFAULT-VALUE}.")
    int mqttPort;

    @Option(names = "--no-mqtt", description = "No MQTT broker, bridge or virtual nodes: the simulator writes to Kafka directly.")
    boolean noMqtt;

    @Option(names = "--web-ui-port", defaultValue = "8081", description = "Port of the Flink web UI. Default: ${DEFAULT-VALUE}.")
    int webUiPort;

    @Option(names = "--sensors", defaultValue = "50", description = "Simulated sensors, one reading a second each; over MQTT"
            + " at most " + VirtualSensorNodes.MAX_NODES + " (each is a connection). Default: ${DEFAULT-VALUE}.")
    int sensors;

    @Option(names = "--history", defaultValue = "45m", converter = io.sensorflow.durations.DurationConverter.class,
            description = "Event time the simulator starts in the past, sent at once so the first windows close right away. Default: ${DEFAULT-VALUE}.")
    Duration history;

    @Option(names = "--no-simulator", description = "Do not start the simulator (feed the readings topic yourself).")
    boolean noSimulator;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the job. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--keep-checkpoints", description = "Keep the job's checkpoints after the stop (they go to a"
            + " sensorflow-checkpoints-* directory in the temporary directory; otherwise they are deleted with everything"
            + " else run-local wrote). Not with --checkpoint-dir, whose checkpoints are always kept.")
    boolean keepCheckpoints;

    @Unmatched
    List<String> jobArgs = new ArrayList<>();

    /** Kafka topic the bridge writes the nodes' status messages to. */
    static final String STATUS_TOPIC = "sensor-status";
    /** How often the status line is printed (tests shorten it). */
    static long STATUS_INTERVAL_MS = 30_000;

    /** Where the banner and the status lines go, and where problems go (tests read them). */
    java.io.PrintStream out = System.out;
    java.io.PrintStream err = System.err;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private volatile JobClient job;
    private volatile LocalKafka kafka;
    private volatile LocalPostgres postgres;
    private volatile Path runDir;
    private volatile Path keptCheckpoints;
    private volatile LocalMqttBroker mqtt;
    private volatile Bridge bridge;

    public static void main(String[] args) {
        LocalPipeline local = new LocalPipeline();
        stopOn("INT", local);
        stopOn("TERM", local);
        System.exit(commandLine(local).execute(args));
    }

    /**
     * The first Ctrl-C or SIGTERM stops everything in order (the simulator, the bridge, the job, then the brokers and
     * PostgreSQL) before the JVM shuts down; the JVM's own handling of the signal would start every shutdown hook at
     * once, the PostgreSQL library's among them, and stop the database under a job still writing to it. A second
     * signal exits at once.
     */
    @SuppressWarnings("restriction")
    private static void stopOn(String signal, LocalPipeline local) {
        sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
            if (local.stopping) {
                System.exit(128 + s.getNumber());
            }
            local.stop();
        });
    }

    /** run-local's command line, whose --help lists the job's settings after its own. */
    static CommandLine commandLine(LocalPipeline local) {
        CommandLine cli = new CommandLine(local);
        cli.setOut(new PrintWriter(local.out, true));
        cli.setErr(new PrintWriter(local.err, true));
        cli.getHelpSectionMap().put(JOB_SETTINGS, help -> jobSettingsHelp());
        List<String> sections = new ArrayList<>(cli.getHelpSectionKeys());
        sections.add(sections.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), JOB_SETTINGS);
        cli.setHelpSectionKeys(sections);
        return cli;
    }

    private static final String JOB_SETTINGS = "jobSettings";

    /** The job's options (all but --parallelism, which run-local has itself), with how else they can be given. */
    static String jobSettingsHelp() {
        CommandLine job = new CommandLine(new JobConfig());
        job.setUsageHelpWidth(110);
        List<CommandLine.Model.OptionSpec> options = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : job.getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp() && !o.longestName().equals("--parallelism")) {
                options.add(o);
            }
        }
        CommandLine.Help help = job.getHelp();
        return String.format("%nThe job's settings (each also as an environment variable SENSORFLOW_<NAME>, e.g."
                + " SENSORFLOW_WINDOW_SIZE=1m,%nor in a --config file as name=value; the command line wins)."
                + " --kafka-bootstrap-servers and --jdbc-url%nmean: use that Kafka / PostgreSQL instead of starting one"
                + " (their defaults below are the job's, not run-local's).%n")
                + help.optionListExcludingGroups(options, help.createDefaultLayout(), null,
                        help.createDefaultParamLabelRenderer());
    }

    @Override
    public Integer call() throws Exception {
        // Ctrl-C runs the hook; a normal end (job failed, or stop()) runs the finally.
        Thread hook = new Thread(this::stopAll, "sensorflow-local-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run();
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running
            }
        }
    }

    /** What Ctrl-C does: {@link #call()} then stops everything, in order, and returns. */
    public void stop() {
        if (!stopping) {
            out.println("Stopping the simulator, the bridge, the job, the MQTT broker, PostgreSQL and Kafka...");
        }
        stopping = true;
    }

    private int run() throws Exception {
        String problem = checkOwnSettings();
        if (problem != null) {
            err.println("run-local: " + problem);
            return 2;
        }
        String givenKafka = given("--kafka-bootstrap-servers");
        String givenJdbc = given("--jdbc-url");
        int kafkaAt = givenKafka != null ? 0 : Ports.isFree(kafkaPort) ? kafkaPort : Ports.freePort();
        int postgresAt = givenJdbc != null ? 0 : Ports.isFree(postgresPort) ? postgresPort : Ports.freePort();
        int mqttAt = noMqtt ? 0 : Ports.isFree(mqttPort) ? mqttPort : Ports.freePort();

        // Every setting, the job's too, is checked before anything starts, with the addresses it will get.
        try {
            if (parseJobConfig(givenKafka != null ? givenKafka : "127.0.0.1:" + kafkaAt,
                    givenJdbc != null ? givenJdbc : LocalPostgres.jdbcUrlOn(postgresAt), "file:///checked-before-start", "/checked-before-start") == null) {
                return 0;
            }
        } catch (ConfigException e) {
            err.println("run-local: " + e.getMessage());
            return 2;
        }

        runDir = Files.createTempDirectory("sensorflow-local-");
        String kafkaAddress = givenKafka != null ? givenKafka : LocalKafka.bootstrapServersOn(kafkaAt);
        String jdbcUrl = givenJdbc != null ? givenJdbc : LocalPostgres.jdbcUrlOn(postgresAt);
        String checkpointDir = given("--checkpoint-dir");
        if (checkpointDir == null) {
            Path checkpoints = keepCheckpoints
                    ? Files.createTempDirectory(Path.of(System.getProperty("sensorflow.local.keep-dir",
                            System.getProperty("java.io.tmpdir"))), "sensorflow-checkpoints-")
                    : Files.createDirectory(runDir.resolve("checkpoints"));
            checkpointDir = checkpoints.toUri().toString();
            if (keepCheckpoints) {
                keptCheckpoints = checkpoints;
            }
        }
        // The archive is the run's too, deleted at the end, unless --archive-dir names one to keep.
        String archiveDir = given("--archive-dir") != null ? given("--archive-dir") : runDir.resolve("archive").toString();
        JobConfig config = parseJobConfig(kafkaAddress, jdbcUrl, checkpointDir, archiveDir);

        // Everything starts at once, each step as soon as what it needs is up: Flink, PostgreSQL (then its schema) and
        // the MQTT broker while Kafka starts (then the topics); then the bridge while the job is submitted. One after
        // the other they took 20 s on two cores, mostly waiting.
        CompletableFuture<MiniCluster> flinkStarted = CompletableFuture.supplyAsync(this::startFlink);
        CompletableFuture<LocalPostgres> postgresStarted = givenJdbc != null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> LocalPostgres.start(postgresAt).withoutShutdownHook());
        CompletableFuture<Void> schemaMigrated = postgresStarted.thenAcceptAsync(pg -> SensorJob.migrateSchema(config));
        CompletableFuture<LocalMqttBroker> mqttStarted = noMqtt ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> LocalMqttBroker.start(mqttAt).withoutShutdownHook());
        try {
            if (givenKafka == null) {
                kafka = LocalKafka.start(kafkaAt).withoutShutdownHook();
                running.push(kafka);
            }
        } finally {
            // Whatever started is stopped at the end, even when something else failed to start.
            postgres = startedOrNull(postgresStarted);
            if (postgres != null) {
                running.push(postgres);
            }
            mqtt = startedOrNull(mqttStarted);
            if (mqtt != null) {
                running.push(mqtt);
            }
            MiniCluster flink = startedOrNull(flinkStarted);
            if (flink != null) {
                running.push(flink);
            }
        }
        join(postgresStarted);
        join(mqttStarted);
        MiniCluster flink = join(flinkStarted);
        if (stopping) {
            return 0;
        }
        SensorJob.createTopics(config);
        if (!noMqtt) {
            createTopic(config, STATUS_TOPIC);
            bridge = startBridge(config); // it connects while the job is submitted
        }
        try {
            join(schemaMigrated);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(
                    "localhost", flink.getRestAddress().get().getPort(), new Configuration());
            SensorJob.configure(env, config);
            new SensorJob(config, KafkaReadingSource.create(config), PipelineSinks.create(config)).build(env);
            JobClient job = env.executeAsync(config.jobName);
            this.job = job;
            running.push(() -> cancel(job));
        } finally {
            Bridge b = bridge;
            if (b != null) {
                running.push(() -> {
                    if (!b.stop()) {
                        err.println("run-local: the bridge did not stop in time");
                    }
                });
            }
        }
        if (bridge != null) {
            awaitConnected(bridge);
        }

        Thread simulator = noSimulator || stopping ? null : startSimulator(config);
        if (simulator != null) {
            running.push(() -> {
                simulator.interrupt();
                simulator.join(10_000);
            });
        }
        printWhereToLook(config, jdbcUrl, postgres == null ? null : postgres.password());
        Thread status = new Thread(() -> reportStatus(config.jdbcUrl, config.jdbcUser, config.jdbcPassword),
                "sensorflow-local-status");
        status.setDaemon(true);
        status.start();

        // Runs until Ctrl-C (stop()), or the job fails.
        while (!stopping) {
            try {
                job.getJobExecutionResult().get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
                return 0;
            } catch (java.util.concurrent.TimeoutException e) {
                // still running
            } catch (Exception e) {
                if (!stopping) {
                    err.println("run-local: the job stopped: " + rootMessage(e));
                    return 1;
                }
            }
        }
        return 0;
    }

    /** run-local's own settings; null if they are right, else what is wrong. */
    private String checkOwnSettings() {
        for (Map.Entry<String, Integer> port : Map.of("--kafka-port", kafkaPort, "--postgres-port", postgresPort,
                "--mqtt-port", mqttPort, "--web-ui-port", webUiPort).entrySet()) {
            if (port.getValue() < 1 || port.getValue() > 65535) {
                return port.getKey() + " must be between 1 and 65535, not " + port.getValue();
            }
        }
        if (sensors < 1) {
            return "--sensors must be at least 1, not " + sensors;
        }
        if (!noMqtt && !noSimulator && sensors > VirtualSensorNodes.MAX_NODES) {
            return "--sensors " + sensors + ": over MQTT at most " + VirtualSensorNodes.MAX_NODES
                    + " virtual nodes (each is a connection of its own, as each board is); use --no-mqtt for more";
        }
        if (history.isNegative()) {
            return "--history must not be negative, not " + io.sensorflow.durations.Durations.format(history);
        }
        if (parallelism < 1) {
            return "--parallelism must be at least 1, not " + parallelism;
        }
        return null;
    }

    /**
     * The job's settings: the user's (command line, environment, --config file) over the addresses of what run-local
     * started. Null after --help (not reached: run-local's own --help answers first).
     *
     * @throws ConfigException naming the setting that is wrong
     */
    private JobConfig parseJobConfig(String kafkaAddress, String jdbcUrl, String checkpointDir, String archiveDir) {
        List<String> args = new ArrayList<>(List.of("--kafka-bootstrap-servers", kafkaAddress, "--jdbc-url", jdbcUrl,
                "--checkpoint-dir", checkpointDir, "--parallelism", Integer.toString(parallelism),
                "--archive-dir", archiveDir, "--archive-compact-every", "30s")); // readings queryable within a minute
        if (given("--jdbc-url") == null) {
            args.addAll(List.of("--jdbc-user", LocalPostgres.USER, "--jdbc-password", LocalPostgres.PASSWORD));
        }
        args.addAll(jobArgs); // the user's own come last, and the last of a repeated option wins
        return JobConfig.parse(args.toArray(new String[0]), System.getenv(), new PrintWriter(out, true));
    }

    /**
     * The local Flink: the web UI on {@code --web-ui-port}, every port on the loopback address only, and its files in
     * this run's directory, deleted at the end.
     */
    private MiniCluster startFlink() {
        MiniCluster flink = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(flinkConfiguration())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .build());
        try {
            flink.start();
        } catch (Exception e) {
            flink.closeAsync();
            throw new IllegalStateException("Flink did not start: " + rootMessage(e), e);
        }
        return flink;
    }

    private Configuration flinkConfiguration() {
        Configuration flink = new Configuration();
        flink.set(RestOptions.PORT, webUiPort);
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        // The BLOB server (job jars and artifacts) binds jobmanager.bind-host, which is every interface by default.
        flink.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        flink.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        // The status line's restart count comes from the numRestarts metric, which REST serves at most this old.
        flink.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(2));
        String tmp = runDir.resolve("flink").toString();
        flink.set(CoreOptions.TMP_DIRS, tmp);
        flink.set(WebOptions.TMP_DIR, tmp);
        flink.set(BlobServerOptions.STORAGE_DIRECTORY, tmp);
        flink.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, tmp);
        return flink;
    }

    /** What {@code started} started, or null if it failed (then {@link #join} says why). */
    private static <T> T startedOrNull(CompletableFuture<T> started) {
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private static <T> T join(CompletableFuture<T> started) throws Exception {
        try {
            return started.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private volatile boolean stopping;

    private Thread startSimulator(JobConfig config) {
        SimulatorSettings settings = SimulatorSettings.builder()
                .sensors(sensors)
                .seed(System.currentTimeMillis())
                .format(PayloadFormat.SENSORFLOW)
                .start(Instant.now().minus(history).truncatedTo(ChronoUnit.SECONDS))
                .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "max-delay=2s,probability=0.01"))
                .fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "max-delay=1s,probability=0.002"))
                .fault(FaultSpecParser.parseOption(FaultKind.MALFORMED, "probability=0.001"))
                .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,probability=0.0005"))
                .bootstrapServers(config.kafkaBootstrapServers)
                .topic(config.readingsTopic)
                .build();
        MessageSink kafka = new KafkaMessageSink(config.kafkaBootstrapServers, config.readingsTopic, Map.of());
        MessageSink target = noMqtt ? kafka : new HistoryThenLive(kafka, new VirtualSensorNodes(mqtt.uri()));
        EventTimePacedSink paced = new EventTimePacedSink(target);
        Thread t = new Thread(() -> {
            try {
                Simulator.send(settings, paced, false, null);
            } catch (EventTimePacedSink.SimulatorStopped | org.apache.kafka.common.errors.InterruptException e) {
                Thread.currentThread().interrupt(); // Ctrl-C
            } catch (RuntimeException e) {
                if (!stopping) {
                    err.println("run-local: the simulator stopped: " + e.getMessage());
                }
            } finally {
                Thread.interrupted(); // let the producer flush what it holds before it closes
                paced.close();
            }
        }, "sensorflow-simulator");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The bridge, in this JVM, from the local broker to the readings topic; started, not yet connected.
     */
    private Bridge startBridge(JobConfig config) {
        List<String> args = new ArrayList<>(List.of("--mqtt-broker", mqtt.uri(), "--mqtt-client-id", "sensorflow-local-bridge",
                "--kafka-bootstrap-servers", config.kafkaBootstrapServers, "--readings-topic", config.readingsTopic,
                "--status-topic", STATUS_TOPIC, "--kafka-property", "linger.ms=0"));
        config.kafkaProperties.forEach((k, v) -> args.addAll(List.of("--kafka-property", k + "=" + v)));
        return new Bridge(BridgeSettings.of(args.toArray(new String[0]))).start();
    }

    /** Returns once the bridge is subscribed: the broker keeps messages for the bridge's session only from then on. */
    private void awaitConnected(Bridge b) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!b.isConnected()) {
            if (b.exitCode() != null || System.nanoTime() > deadline) {
                throw new IllegalStateException("the bridge did not connect to the MQTT broker " + mqtt.uri()
                        + (b.failure() == null ? "" : ": " + b.failure().getMessage()));
            }
            Thread.sleep(20);
        }
    }

    /** Creates a topic of one partition (the broker's replication factor) unless it exists. */
    private static void createTopic(JobConfig config, String topic) throws InterruptedException {
        java.util.Properties p = config.kafkaClientProperties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(1), java.util.Optional.empty()))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the Kafka topic " + topic + ": " + e.getCause(), e.getCause());
            }
        }
    }

    /** The broker started here; null with --no-mqtt. For tests. */
    LocalMqttBroker mqtt() {
        return mqtt;
    }

    /** The Kafka broker started here; null when an existing one is used. For tests. */
    LocalKafka kafka() {
        return kafka;
    }

    /** PostgreSQL started here; null when an existing one is used. For tests. */
    LocalPostgres postgres() {
        return postgres;
    }

    /** This run's directory of files (Flink's, the checkpoints), deleted at the stop; null before the start. For tests. */
    Path runDir() {
        return runDir;
    }

    /** The bridge; null with --no-mqtt. For tests. */
    Bridge bridge() {
        return bridge;
    }

    private void printWhereToLook(JobConfig config, String jdbcUrl, String password) {
        // An existing database's password is the user's own: it is not printed.
        String credentials = password == null ? config.jdbcUser : config.jdbcUser + ":" + password;
        String psqlUrl = jdbcUrl.replace("jdbc:postgresql://", "postgresql://" + credentials + "@");
        StringBuilder b = new StringBuilder();
        b.append('\n').append("sensorflow is running. Ctrl-C stops everything.\n");
        if (!noMqtt) {
            b.append("  MQTT broker    ").append(mqtt.host()).append(':').append(mqtt.port())
                    .append("   readings: sensors/<sensor id>/readings (QoS 1)   status: sensors/<sensor id>/status\n");
            b.append("    mosquitto_pub -h ").append(mqtt.host()).append(" -p ").append(mqtt.port())
                    .append(" -q 1 -t sensors/my-sensor/readings -m \"{\\\"sensor_id\\\":\\\"my-sensor\\\",\\\"ts\\\":$(date +%s),\\\"temperature\\\":21.5}\"\n");
            b.append("  Bridge         MQTT -> Kafka ").append(config.readingsTopic).append(" (status messages -> ")
                    .append(STATUS_TOPIC).append("), acknowledged to MQTT once Kafka has them\n");
        }
        b.append("  Flink web UI   http://localhost:").append(webUiPort).append('\n');
        if (config.archive() != null) {
            b.append("  Archive        ").append(config.archive().dir())
                    .append("   every accepted reading as Parquet (sql/archive.md)\n");
            b.append("    ./query-archive --archive-dir ").append(config.archive().dir())
                    .append(" \"SELECT sensor_id, count(*), avg(temperature) FROM readings GROUP BY 1 ORDER BY 1 LIMIT 10\"\n");
        }
        b.append("  Kafka          ").append(config.kafkaBootstrapServers).append("   readings: ").append(config.readingsTopic)
                .append("   dead letters: ").append(config.deadLetterTopic).append("   alerts: ").append(config.alertsTopic)
                .append('\n');
        b.append("  PostgreSQL     ").append(jdbcUrl).append("   user ").append(config.jdbcUser)
                .append(password == null ? "" : ", password " + password).append('\n');
        b.append("    psql \"").append(psqlUrl)
                .append("\" -c 'SELECT * FROM sensor_temperatures ORDER BY window_start DESC LIMIT 10'\n");
        b.append("    SELECT * FROM window_quality ORDER BY window_start DESC;   -- accepted, duplicate, late, rejected\n");
        if (!noSimulator) {
            b.append("  Simulator      ").append(Words.count(sensors, "sensor")).append(", one reading a second each, starting ")
                    .append(Words.duration(history)).append(" back; windows are ").append(Words.duration(config.windowSize))
                    .append(", so the first rows appear within seconds.\n");
            b.append(noMqtt ? "                 All of it goes to Kafka directly (--no-mqtt).\n"
                    : "                 The history is written to Kafka directly; from now on each sensor is an MQTT node like a board\n"
                    + "                 (its own connection, status online, last will offline) publishing through the broker and the bridge.\n");
        }
        out.println(b);
    }

    private void reportStatus(String jdbcUrl, String user, String password) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        while (!stopping) {
            try {
                Thread.sleep(STATUS_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (!stopping) {
                out.println(statusLine(http, jdbcUrl, user, password));
            }
        }
    }

    /**
     * "TIME  job RUNNING, 0 restarts; 150 window rows (134851 readings), 3 dead letters, 0 late readings; bridge: ...".
     * Each part says so when it cannot be had, and the others are still shown.
     */
    String statusLine(java.net.http.HttpClient http, String jdbcUrl, String user, String password) {
        StringBuilder line = new StringBuilder(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).append("  ");
        try {
            line.append(JobHealth.fetch(http, "http://localhost:" + webUiPort, job.getJobID().toHexString()).describe());
        } catch (Exception e) {
            line.append("job state unknown (Flink REST API: ").append(e.getMessage()).append(')');
        }
        line.append("; ");
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, user, password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM sensor_aggregates),"
                        + " (SELECT coalesce(sum(reading_count), 0) FROM sensor_aggregates),"
                        + " (SELECT count(*) FROM dead_letters), (SELECT count(*) FROM late_readings)")) {
            rs.next();
            line.append(rs.getLong(1)).append(" window rows (").append(rs.getLong(2)).append(" readings), ")
                    .append(Words.count(rs.getLong(3), "dead letter")).append(", ")
                    .append(Words.count(rs.getLong(4), "late reading"));
        } catch (java.sql.SQLException e) {
            line.append("PostgreSQL: ").append(JobHealth.rootCause(String.valueOf(e.getMessage())));
        }
        Bridge b = bridge;
        if (b != null) {
            line.append("; bridge: ").append(b.stats().forwarded()).append(" MQTT messages in Kafka")
                    .append(b.exitCode() == null ? "" : ", STOPPED: " + b.failure());
        }
        return line.toString();
    }

    /** A setting given on the command line or in the environment, else null. */
    private String given(String option) {
        for (int i = 0; i < jobArgs.size(); i++) {
            String a = jobArgs.get(i);
            if (a.equals(option) && i + 1 < jobArgs.size()) {
                return jobArgs.get(i + 1);
            }
            if (a.startsWith(option + "=")) {
                return a.substring(option.length() + 1);
            }
        }
        return System.getenv("SENSORFLOW_" + option.substring(2).toUpperCase().replace('-', '_'));
    }

    /**
     * Cancels the job and waits until its tasks have ended, so that PostgreSQL and Kafka, stopped next, do not go away
     * under sinks still flushing.
     */
    private static void cancel(JobClient job) throws Exception {
        try {
            job.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // already finished or failed: nothing left to cancel
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            while (!job.getJobStatus().get(10, java.util.concurrent.TimeUnit.SECONDS).isGloballyTerminalState()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (Exception e) {
            // the cluster is gone with the job: ended
        }
    }

    private synchronized void stopAll() {
        if (!running.isEmpty()) {
            stop();
        }
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            try {
                c.close();
            } catch (Exception e) {
                err.println("run-local: while stopping: " + e.getMessage());
            }
        }
        Path dir = runDir;
        runDir = null;
        if (dir != null) {
            deleteRecursively(dir);
        }
        if (keptCheckpoints != null) {
            out.println("The job's checkpoints are kept in " + keptCheckpoints);
            keptCheckpoints = null;
        }
    }

    private void deleteRecursively(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            err.println("run-local: could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
