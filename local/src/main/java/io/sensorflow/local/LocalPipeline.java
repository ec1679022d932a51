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
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
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
            "Any other option is a job setting (see the job's --help), e.g. --window-size 1m.",
            "Give --kafka-bootstrap-servers and/or --jdbc-url to use an existing Kafka and/or PostgreSQL."
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

    @Option(names = "--history", defaultValue = "45m", converter = io.sensorflow.job.config.DurationConverter.class,
            description = "Event time the simulator starts in the past, sent at once so the first windows close right away. Default: ${DEFAULT-VALUE}.")
    Duration history;

    @Option(names = "--no-simulator", description = "Do not start the simulator (feed the readings topic yourself).")
    boolean noSimulator;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the job. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Unmatched
    List<String> jobArgs = new ArrayList<>();

    /** Kafka topic the bridge writes the nodes' status messages to. */
    static final String STATUS_TOPIC = "sensor-status";
    static long STATUS_INTERVAL_MS = Long.getLong("sensorflow.local.status-interval-ms", 30_000);

    /** Where the banner and the status lines go (tests read them). */
    java.io.PrintStream out = System.out;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private volatile JobClient job;
    private volatile LocalKafka kafka;
    private volatile LocalMqttBroker mqtt;
    private volatile Bridge bridge;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalPipeline()).execute(args));
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

    /** What Ctrl-C does, for callers in the same JVM: {@link #call()} then stops everything and returns. */
    public void stop() {
        stopping = true;
        JobClient j = job;
        if (j != null) {
            j.cancel();
        }
    }

    private int run() throws Exception {
        List<String> args = new ArrayList<>(jobArgs);
        String kafkaAddress = given("--kafka-bootstrap-servers");
        if (kafkaAddress == null) {
            int port = Ports.isFree(kafkaPort) ? kafkaPort : Ports.freePort();
            LocalKafka kafka = LocalKafka.start(port);
            running.push(kafka);
            this.kafka = kafka;
            kafkaAddress = kafka.bootstrapServers();
            args.addAll(List.of("--kafka-bootstrap-servers", kafkaAddress));
        }
        String jdbcUrl = given("--jdbc-url");
        String dbPassword = null; // printed only for the database started here
        if (jdbcUrl == null) {
            int port = Ports.isFree(postgresPort) ? postgresPort : Ports.freePort();
            LocalPostgres postgres = LocalPostgres.start(port);
            running.push(postgres);
            jdbcUrl = postgres.jdbcUrl();
            dbPassword = postgres.password();
            args.addAll(List.of("--jdbc-url", jdbcUrl, "--jdbc-user", postgres.user(), "--jdbc-password", dbPassword));
        }
        if (!noMqtt) {
            if (sensors > VirtualSensorNodes.MAX_NODES && !noSimulator) {
                System.err.println("run-local: --sensors " + sensors + ": over MQTT at most " + VirtualSensorNodes.MAX_NODES
                        + " virtual nodes (each is a connection of its own); use --no-mqtt for more");
                return 2;
            }
            LocalMqttBroker broker = LocalMqttBroker.start(Ports.isFree(mqttPort) ? mqttPort : Ports.freePort());
            running.push(broker);
            this.mqtt = broker;
        }
        if (given("--checkpoint-dir") == null) {
            Path checkpoints = Files.createTempDirectory("sensorflow-checkpoints-");
            args.addAll(List.of("--checkpoint-dir", checkpoints.toUri().toString()));
        }
        if (given("--parallelism") == null) {
            args.addAll(List.of("--parallelism", Integer.toString(parallelism)));
        }

        JobConfig config;
        try {
            config = JobConfig.parse(args.toArray(new String[0]), System.getenv(), new PrintWriter(out, true));
        } catch (ConfigException e) {
            System.err.println("run-local: " + e.getMessage());
            return 2;
        }
        if (config == null) {
            return 0;
        }
        SensorJob.prepareExternalSystems(config);
        if (!noMqtt) {
            createTopic(config, STATUS_TOPIC);
        }

        Configuration flink = new Configuration();
        flink.set(RestOptions.PORT, webUiPort);
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        SensorJob.configure(env, config);
        new SensorJob(config, KafkaReadingSource.create(config), PipelineSinks.create(config)).build(env);
        JobClient job = env.executeAsync(config.jobName);
        this.job = job;
        running.push(() -> cancel(job));

        if (!noMqtt) {
            startBridge(config);
        }
        Thread simulator = noSimulator ? null : startSimulator(config);
        if (simulator != null) {
            running.push(() -> {
                simulator.interrupt();
                simulator.join(10_000);
            });
        }
        printWhereToLook(config, jdbcUrl, dbPassword);
        Thread status = new Thread(() -> reportStatus(config.jdbcUrl, config.jdbcUser, config.jdbcPassword),
                "sensorflow-local-status");
        status.setDaemon(true);
        status.start();

        // Runs until Ctrl-C cancels the job, or the job fails.
        try {
            job.getJobExecutionResult().get();
            return 0;
        } catch (Exception e) {
            if (!stopping) {
                System.err.println("run-local: the job stopped: " + rootMessage(e));
                return 1;
            }
            return 0;
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
                    System.err.println("run-local: the simulator stopped: " + e.getMessage());
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
     * The bridge, in this JVM, from the local broker to the readings topic. Returns once it is subscribed: the broker
     * keeps messages for the bridge's session only from then on.
     */
    private void startBridge(JobConfig config) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--mqtt-broker", mqtt.uri(), "--mqtt-client-id", "sensorflow-local-bridge",
                "--kafka-bootstrap-servers", config.kafkaBootstrapServers, "--readings-topic", config.readingsTopic,
                "--status-topic", STATUS_TOPIC, "--kafka-property", "linger.ms=0"));
        config.kafkaProperties.forEach((k, v) -> args.addAll(List.of("--kafka-property", k + "=" + v)));
        Bridge b = new Bridge(BridgeSettings.of(args.toArray(new String[0]))).start();
        this.bridge = b;
        running.push(() -> {
            if (!b.stop()) {
                System.err.println("run-local: the bridge did not stop in time");
            }
        });
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
        while (!stopping) {
            try {
                Thread.sleep(STATUS_INTERVAL_MS);
                if (stopping) {
                    return;
                }
                try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, user, password);
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM sensor_aggregates),"
                                + " (SELECT coalesce(sum(reading_count), 0) FROM sensor_aggregates),"
                                + " (SELECT count(*) FROM dead_letters), (SELECT count(*) FROM late_readings)")) {
                    rs.next();
                    Bridge b = bridge;
                    out.printf("%s  %d window rows (%d readings), %d dead letters, %d late readings%s%n",
                            Instant.now().truncatedTo(ChronoUnit.SECONDS), rs.getLong(1), rs.getLong(2),
                            rs.getLong(3), rs.getLong(4), b == null ? "" : "; bridge: " + b.stats().forwarded()
                                    + " MQTT messages in Kafka" + (b.exitCode() == null ? "" : ", STOPPED: " + b.failure()));
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.err.println("status: " + e.getMessage());
            }
        }
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

    private static void cancel(JobClient job) throws Exception {
        try {
            job.cancel().get();
        } catch (Exception e) {
            // already finished or failed: nothing left to cancel
        }
    }

    private synchronized void stopAll() {
        if (!stopping && !running.isEmpty()) {
            out.println("Stopping the simulator, the bridge, the job, the MQTT broker, PostgreSQL and Kafka...");
        }
        stopping = true;
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("run-local: while stopping: " + e.getMessage());
            }
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
