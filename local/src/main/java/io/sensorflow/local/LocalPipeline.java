package io.sensorflow.local;

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
import io.sensorflow.testkit.LocalKafka;
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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The whole pipeline on one machine: a real Kafka broker and a real PostgreSQL (both from Maven
 * artifacts), the job in a local Flink with its web UI, and the simulator feeding it. Or the same
 * job and simulator against an existing Kafka and PostgreSQL. Ctrl-C stops everything.
 */
@Command(name = "run-local", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = {
            "Runs the sensorflow pipeline locally: Kafka, PostgreSQL, Flink with its web UI, and the simulator.",
            "Any other option is a job setting (see the job's --help), e.g. --window-size 1m.",
            "Give --kafka-bootstrap-servers and/or --jdbc-url to use an existing Kafka and/or PostgreSQL."
        })
public final class LocalPipeline implements Callable<Integer> {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the local Kafka broker (another free one if taken). Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--postgres-port", defaultValue = "5432", description = "Port of the local PostgreSQL (another free one if taken). Default: ${DEFAULT-VALUE}.")
    int postgresPort;

    @Option(names = "--web-ui-port", defaultValue = "8081", description = "Port of the Flink web UI. Default: ${DEFAULT-VALUE}.")
    int webUiPort;

    @Option(names = "--sensors", defaultValue = "50", description = "Simulated sensors, one reading a second each. Default: ${DEFAULT-VALUE}.")
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

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private volatile JobClient job;

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
        if (given("--checkpoint-dir") == null) {
            Path checkpoints = Files.createTempDirectory("sensorflow-checkpoints-");
            args.addAll(List.of("--checkpoint-dir", checkpoints.toUri().toString()));
        }
        if (given("--archive-dir") == null && !jobArgs.contains("--no-archive")) {
            args.addAll(List.of("--archive-dir", Files.createTempDirectory("sensorflow-archive-").toString()));
        }
        if (given("--archive-compact-every") == null) {
            args.addAll(List.of("--archive-compact-every", "30s")); // readings queryable within a minute
        }
        if (given("--parallelism") == null) {
            args.addAll(List.of("--parallelism", Integer.toString(parallelism)));
        }

        JobConfig config;
        try {
            config = JobConfig.parse(args.toArray(new String[0]), System.getenv(), new PrintWriter(System.out, true));
        } catch (ConfigException e) {
            System.err.println("run-local: " + e.getMessage());
            return 2;
        }
        if (config == null) {
            return 0;
        }
        SensorJob.prepareExternalSystems(config);

        Configuration flink = new Configuration();
        flink.set(RestOptions.PORT, webUiPort);
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        SensorJob.configure(env, config);
        new SensorJob(config, KafkaReadingSource.create(config), PipelineSinks.create(config)).build(env);
        JobClient job = env.executeAsync(config.jobName);
        this.job = job;
        running.push(() -> cancel(job));

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
        KafkaMessageSink kafka = new KafkaMessageSink(config.kafkaBootstrapServers, config.readingsTopic, Map.of());
        EventTimePacedSink paced = new EventTimePacedSink(kafka);
        Thread t = new Thread(() -> {
            try {
                Simulator.send(settings, paced, false, null);
            } catch (EventTimePacedSink.SimulatorStopped | org.apache.kafka.common.errors.InterruptException e) {
                Thread.currentThread().interrupt(); // Ctrl-C
            } finally {
                Thread.interrupted(); // let the producer flush what it holds before it closes
                paced.close();
            }
        }, "sensorflow-simulator");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void printWhereToLook(JobConfig config, String jdbcUrl, String password) {
        // An existing database's password is the user's own: it is not printed.
        String credentials = password == null ? config.jdbcUser : config.jdbcUser + ":" + password;
        String psqlUrl = jdbcUrl.replace("jdbc:postgresql://", "postgresql://" + credentials + "@");
        System.out.println();
        System.out.println("sensorflow is running. Ctrl-C stops everything.");
        System.out.println("  Flink web UI   http://localhost:" + webUiPort);
        System.out.println("  Kafka          " + config.kafkaBootstrapServers + "   readings: " + config.readingsTopic
                + "   dead letters: " + config.deadLetterTopic);
        System.out.println("  PostgreSQL     " + jdbcUrl + "   user " + config.jdbcUser
                + (password == null ? "" : ", password " + password));
        System.out.println("    psql \"" + psqlUrl + "\" -c 'SELECT * FROM sensor_temperatures ORDER BY window_start DESC LIMIT 10'");
        System.out.println("    SELECT * FROM window_quality ORDER BY window_start DESC;   -- accepted, duplicate, late, rejected");
        if (config.archive() != null) {
            System.out.println("  Archive        " + config.archive().dir() + "   every accepted reading as Parquet (sql/archive.md)");
            System.out.println("    ./query-archive --archive-dir " + config.archive().dir()
                    + " \"SELECT sensor_id, count(*), avg(temperature) FROM readings GROUP BY 1 ORDER BY 1 LIMIT 10\"");
        }
        if (!noSimulator) {
            System.out.println("  Simulator      " + sensors + " sensors, one reading a second each, starting "
                    + history.toMinutes() + " minutes back; windows are " + config.windowSize.toMinutes()
                    + " minutes, so the first rows appear within seconds");
        }
        System.out.println();
    }

    private void reportStatus(String jdbcUrl, String user, String password) {
        while (!stopping) {
            try {
                Thread.sleep(30_000);
                if (stopping) {
                    return;
                }
                try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, user, password);
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM sensor_aggregates),"
                                + " (SELECT coalesce(sum(reading_count), 0) FROM sensor_aggregates),"
                                + " (SELECT count(*) FROM dead_letters), (SELECT count(*) FROM late_readings)")) {
                    rs.next();
                    System.out.printf("%s  %d window rows (%d readings), %d dead letters, %d late readings%n",
                            Instant.now().truncatedTo(ChronoUnit.SECONDS), rs.getLong(1), rs.getLong(2),
                            rs.getLong(3), rs.getLong(4));
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
            System.out.println("Stopping the simulator, the job, PostgreSQL and Kafka...");
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
