package io.sensorflow.benchmark;

import io.sensorflow.durations.DurationConverter;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.ExpectedOutcome;
import io.sensorflow.oracle.JobOutputTables;
import io.sensorflow.oracle.OutcomeComparison;
import io.sensorflow.oracle.WindowAggregate;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.simulator.PayloadFormat;
import io.sensorflow.simulator.ValueModel;
import io.sensorflow.simulator.RunResult;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import io.sensorflow.simulator.output.KafkaMessageSink;
import io.sensorflow.sql.SchemaMigrator;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalPostgres;
import io.sensorflow.testkit.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Fills a real Kafka with the benchmark workload, runs the job over it into a real PostgreSQL,
 * checks every row against the simulator's expected outcome, and measures a single-threaded
 * baseline on the same data in the same run; or, as asked, the alert latency ({@link AlertLatency}),
 * many sensors ({@link ScaleRun}), recovery after a TaskManager dies ({@link RecoveryRun}), or all of
 * them. Prints the figures with the machine and writes them, as a table against the targets, to a
 * dated results file.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The sensorflow job's benchmarks: throughput against a single-threaded Kafka+Jackson+HashMap"
                + " baseline (the default), alert latency, scale, recovery, or all of them (--suite). Writes"
                + " benchmark/results/DATE-WHAT.txt: the machine, a table of the figures against the targets, the details."})
public final class PipelineBenchmark implements Callable<Integer> {

    @Option(names = "--readings", defaultValue = "6000000", description = "Readings to process. Default: ${DEFAULT-VALUE}.")
    long readings;

    @Option(names = "--sensors", defaultValue = "10000", description = "Distinct sensors. Default: ${DEFAULT-VALUE}.")
    int sensors;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the readings topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the job. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--faults", defaultValue = "300",
            description = "Runs over 70 °C, rises and silences, of each, for the alert rules to find. Default: ${DEFAULT-VALUE}.")
    int faults;

    @Option(names = "--workload", defaultValue = "dht11", paramLabel = "NAME",
            description = "dht11: DHT11 values, a reading a second per sensor, 5 %% a few seconds out of order, with"
                    + " spikes, rises and silences for the rules to find; seed: what the inspiration project's producer"
                    + " sends (temperatures uniform in 20-80 °C, humidity in 30-90 %%, every reading independent),"
                    + " a reading every 10 s per sensor, half of them up to 4 s out of order (below the job's 5 s bound), no other fault;"
                    + " storm: as seed, but each sensor's temperature a run of 3 readings at 75 °C every 108 readings, else"
                    + " 20 °C, so that the shipped rules fire and resolve as often as their cooldown allows, on every sensor."
                    + " Default: ${DEFAULT-VALUE}.")
    String workload;

    @Option(names = "--skip-baseline", description = "Only run the job.")
    boolean skipBaseline;

    @Option(names = "--skip-no-rules", description = "Do not run the job without alert rules as well.")
    boolean skipNoRules;

    @Option(names = "--skip-archive", description = "Do not run the job with the archive (--archive-dir) as well.")
    boolean skipArchive;

    @Option(names = "--compare-job-args", paramLabel = "ARGS",
            description = "Also run the job with the default rules and these settings, after it runs on the shipped"
                    + " ones, and report the ratio, e.g. \"--watermark-granularity 1s\"; repeatable, a run each.")
    List<String> compareJobArgs = new ArrayList<>();

    @Option(names = "--naive-cep", description = "Also run every reading through FlinkCEP the straightforward way, for comparison.")
    boolean naiveCep;

    @Option(names = "--cep-events", description = "Instead of running the job: how many events each rule's CEP"
            + " operators get per reading of --workload (its readings through the rules' candidate selectors, no Kafka).")
    boolean cepEvents;

    @Option(names = "--alert-latency", paramLabel = "SECONDS",
            description = "Instead of throughput: alert latency at a steady 10,000 readings/s for this long.")
    Integer alertLatencySeconds;

    @Option(names = "--latency-checkpoint-interval",
            description = "Checkpoint interval of the latency run. Default: the job's (--checkpoint-interval).")
    String latencyCheckpointInterval;

    @Option(names = "--latency-job-args", split = " ", paramLabel = "ARGS",
            description = "More job settings for the latency run, e.g. \"--watermark-granularity 100ms\".")
    List<String> latencyJobArgs = new ArrayList<>();

    @Option(names = "--scale", description = "Instead of throughput: many sensors with silence detection, on each"
            + " state backend of --scale-backends: state, memory, checkpoints.")
    boolean scale;

    @Option(names = "--scale-backends", split = ",", defaultValue = "hashmap,rocksdb",
            description = "State backends of the scale run (state.backend.type). Default: ${DEFAULT-VALUE}.")
    List<String> scaleBackends;

    @Option(names = "--scale-sensors", defaultValue = "1000000", description = "Sensors of the scale run. Default: ${DEFAULT-VALUE}.")
    int scaleSensors;

    @Option(names = "--scale-interval", defaultValue = "1m", converter = DurationConverter.class,
            description = "Time between two readings of a sensor in the scale run. Default: ${DEFAULT-VALUE}.")
    Duration scaleInterval;

    @Option(names = "--scale-history", defaultValue = "3m", converter = DurationConverter.class,
            description = "Event time the scale run sends at once before going live. Default: ${DEFAULT-VALUE}.")
    Duration scaleHistory;

    @Option(names = "--scale-steady", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long the scale run goes on live after catching up, before it measures. Default: ${DEFAULT-VALUE}.")
    Duration scaleSteady;

    @Option(names = "--scale-checkpoint-interval", defaultValue = "10s",
            description = "Checkpoint interval of the scale run (the job's default). Default: ${DEFAULT-VALUE}.")
    String scaleCheckpointInterval;

    @Option(names = "--scale-heap", defaultValue = "6g", description = "Heap of the scale run's job JVM. Default: ${DEFAULT-VALUE}.")
    String scaleHeap;

    // 512m left RocksDB with 1,000,000 sensors behind the live input on 2 cores; 2g kept up.
    @Option(names = "--scale-managed-memory", defaultValue = "2g",
            description = "taskmanager.memory.managed.size of the scale run (RocksDB's memory). Default: ${DEFAULT-VALUE}.")
    String scaleManagedMemory;

    @Option(names = "--scale-silences", defaultValue = "1000",
            description = "Sensors going quiet for 7 minutes in the scale run. Default: ${DEFAULT-VALUE}.")
    int scaleSilences;

    @Option(names = "--scale-job-args", split = " ", paramLabel = "ARGS",
            description = "More job settings for the scale run, e.g. \"--idle-timeout 5s\".")
    List<String> scaleJobArgs = new ArrayList<>();

    @Option(names = "--recovery", description = "Instead of throughput: recovery after a TaskManager is killed.")
    boolean recovery;

    @Option(names = "--recovery-sensors", defaultValue = "10000",
            description = "Sensors of the recovery run, one reading a second each. Default: ${DEFAULT-VALUE}.")
    int recoverySensors;

    @Option(names = "--kills", defaultValue = "3", description = "TaskManagers killed in the recovery run. Default: ${DEFAULT-VALUE}.")
    int kills;

    @Option(names = "--recovery-checkpoint-interval", defaultValue = "10s",
            description = "Checkpoint interval of the recovery run (the job's default). Default: ${DEFAULT-VALUE}.")
    String recoveryCheckpointInterval;

    @Option(names = "--recovery-between", defaultValue = "20s", converter = DurationConverter.class,
            description = "Least time between a recovery and the next kill. Default: ${DEFAULT-VALUE}.")
    Duration recoveryBetween;

    @Option(names = "--recovery-processes", description = "Recovery on a standalone cluster of JVMs (a JobManager,"
            + " two TaskManagers), a TaskManager killed with SIGKILL, instead of on a MiniCluster.")
    boolean recoveryProcesses;

    @Option(names = "--recovery-flink", paramLabel = "KEY=VALUE",
            description = "A Flink setting of the recovery run's cluster, e.g. heartbeat.timeout=10s; repeatable.")
    Map<String, String> recoveryFlink = new java.util.LinkedHashMap<>();

    @Option(names = "--suite", description = "Everything: throughput and baseline, alert latency (--suite-latency"
            + " seconds, with the shipped settings, then with alerts exactly once), scale on both state backends, recovery on a"
            + " MiniCluster and with SIGKILLed TaskManager processes; one results file.")
    boolean suite;

    @Option(names = "--suite-latency", defaultValue = "120", description = "Seconds of the suite's latency run. Default: ${DEFAULT-VALUE}.")
    int suiteLatencySeconds;

    @Option(names = "--results", defaultValue = "target/benchmark-results.txt",
            description = "File the figures are appended to. Default: ${DEFAULT-VALUE}.")
    Path results;

    @Option(names = "--results-dir", defaultValue = "benchmark/results",
            description = "Where the dated results file (machine, table, details) goes. Default: ${DEFAULT-VALUE}.")
    Path resultsDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<String> report = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        boolean throughput = suite || (alertLatencySeconds == null && !scale && !recovery && !recoveryProcesses);
        report.add("sensorflow benchmark " + started);
        report.add("machine: " + MachineInfo.describe());
        report.add("before: " + MachineInfo.uptimeAndLoad());
        System.out.println(String.join("\n", report));
        if (cepEvents) {
            report.add("workload " + workload + ": " + String.format("%,d readings from %,d sensors", readings, sensors));
            List<String> counts = CepEventCount.count(workloadSettings().build(), RuleFileLoader.loadDefault());
            counts.forEach(System.out::println);
            report.addAll(counts);
            report.add("after: " + MachineInfo.uptimeAndLoad());
            append(report);
            return 0;
        }

        try (LocalKafka kafka = LocalKafka.start(); LocalPostgres postgres = LocalPostgres.start()) {
            SchemaMigrator.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password());
            List<String> jobArgs = List.of(
                    "--kafka-bootstrap-servers", kafka.bootstrapServers(),
                    "--jdbc-url", postgres.jdbcUrl(),
                    "--jdbc-user", postgres.user(),
                    "--jdbc-password", postgres.password(),
                    "--no-db-migrate",
                    "--starting-offsets", "earliest");
            if (throughput) {
                throughput(report, figures, kafka, postgres, differences);
            }
            if (suite || alertLatencySeconds != null) {
                int seconds = suite ? suiteLatencySeconds : alertLatencySeconds;
                latency(report, figures, kafka, postgres, seconds, latencyJobArgs);
                if (suite) {
                    // What exactly-once would cost: the same run with alerts readable only once their checkpoint
                    // commits them.
                    List<String> exactlyOnce = new ArrayList<>(latencyJobArgs);
                    exactlyOnce.addAll(List.of("--alerts-delivery", "exactly-once"));
                    latency(report, figures, kafka, postgres, seconds, exactlyOnce);
                }
            }
            if (suite || scale) {
                ScaleRun.Settings settings = new ScaleRun.Settings(scaleSensors, scaleInterval, scaleHistory, scaleSteady,
                        scaleCheckpointInterval, scaleHeap, scaleManagedMemory, parallelism, partitions, scaleSilences);
                List<String> scaleArgs = new ArrayList<>(jobArgs);
                scaleArgs.addAll(scaleJobArgs);
                for (String backend : scaleBackends) {
                    ScaleRun.run(report, figures, kafka, postgres, scaleArgs, backend, settings, differences);
                }
            }
            RecoveryRun.Settings recoverySettings = new RecoveryRun.Settings(recoverySensors, kills,
                    Duration.ofSeconds(30), recoveryBetween, recoveryCheckpointInterval, partitions);
            if (suite || recovery) {
                RecoveryRun.run(report, figures, kafka, postgres, jobArgs, recoverySettings, false, recoveryFlink, differences);
            }
            if (suite || recoveryProcesses) {
                RecoveryRun.run(report, figures, kafka, postgres, jobArgs, recoverySettings, true, recoveryFlink, differences);
            }
        }
        line(report, "after: " + MachineInfo.uptimeAndLoad());
        append(report);
        String table = Figure.table(figures);
        System.out.println();
        System.out.print(table);
        writeResultsFile(started, report, table, throughput);
        return differences.isEmpty() ? 0 : 1;
    }

    /** The simulator's settings of {@link #workload}, without where it sends. */
    private SimulatorSettings.Builder workloadSettings() throws Exception {
        boolean storm = workload.equals("storm");
        boolean seedWorkload = workload.equals("seed") || storm;
        if (!seedWorkload && !workload.equals("dht11")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--workload: dht11, seed or storm, not '" + workload + "'");
        }
        // Ending a minute ago: recent, so nothing is in the future.
        Duration interval = Duration.ofSeconds(seedWorkload ? 10 : 1);
        long seconds = (readings + sensors - 1) / sensors * interval.toSeconds();
        SimulatorSettings.Builder b = SimulatorSettings.builder()
                .sensors(sensors)
                .count(readings)
                .seed(seed)
                .format(PayloadFormat.DEVICE_EPOCH)
                .interval(interval)
                .start(Instant.now().minusSeconds(seconds + 60).truncatedTo(ChronoUnit.SECONDS))
                .rules(RuleFileLoader.loadDefault());
        if (seedWorkload) {
            b.values(storm ? ValueModel.STORM : ValueModel.UNIFORM)
                    .fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "probability=0.5,max-delay=4s"));
        } else {
            b.fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER, "probability=0.05,max-delay=3s"))
                    // Something for the default rules to find: runs over 70 °C, rises, sensors going quiet.
                    .fault(FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,readings=4,count=" + faults))
                    .fault(FaultSpecParser.parseOption(FaultKind.RISE, "metric=temperature,step=3,readings=6,count=" + faults))
                    .fault(FaultSpecParser.parseOption(FaultKind.SILENCE, "for=6m,count=" + faults));
        }
        return b;
    }

    /** Throughput of the job without and with rules, against the single-threaded baseline. */
    private void throughput(List<String> report, List<Figure> figures, LocalKafka kafka, LocalPostgres postgres,
            List<String> differences) throws Exception {
        boolean storm = workload.equals("storm");
        boolean seedWorkload = workload.equals("seed") || storm;
        if (!seedWorkload && !workload.equals("dht11")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--workload: dht11, seed or storm, not '" + workload + "'");
        }
        line(report, String.format("workload %s: %,d readings from %,d sensors, device-epoch payloads, %s; %d partitions;"
                + " job parallelism %d", workload, readings, sensors, seedWorkload
                        ? (storm ? "a run of 3 readings at 75 °C every 108 readings per sensor, else 20 °C"
                                : "temperatures uniform in 20-80 °C") + ", a reading every 10 s, half up to 4 s out of order"
                        : "DHT11 values, a reading a second, 5 % up to 3 s out of order, spikes, rises and silences",
                partitions, parallelism));
        String topic = "bench-readings";
        kafka.createTopic(topic, partitions, Map.of("retention.ms", "-1"));

        Duration interval = Duration.ofSeconds(seedWorkload ? 10 : 1);
        long seconds = (readings + sensors - 1) / sensors * interval.toSeconds();
        SimulatorSettings settings = workloadSettings().bootstrapServers(kafka.bootstrapServers()).topic(topic).build();
        RunResult fill;
        try (KafkaMessageSink sink = new KafkaMessageSink(kafka.bootstrapServers(), topic, Map.of())) {
            fill = Simulator.send(settings, sink, true, null);
        }
        ExpectedOutcome expected = fill.expected();
        line(report, String.format("fill: %,d messages in %.1f s (%,.0f/s, simulator with its oracle)",
                fill.messages(), seconds(fill.elapsed()), fill.messages() / seconds(fill.elapsed())));

        List<String> jobArgs = List.of(
                "--kafka-bootstrap-servers", kafka.bootstrapServers(),
                "--readings-topic", topic,
                "--dead-letter-topic", topic + "-dlq",
                "--jdbc-url", postgres.jdbcUrl(),
                "--jdbc-user", postgres.user(),
                "--jdbc-password", postgres.password(),
                "--no-db-migrate",
                "--bounded",
                "--starting-offsets", "earliest",
                "--transactional-id-prefix", "benchmark-" + System.nanoTime(),
                "--checkpoint-dir", Files.createTempDirectory("sensorflow-benchmark-checkpoints-").toUri().toString());
        long acceptedReadings = expected.aggregates().stream().mapToLong(a -> a.readingCount()).sum();
        double withoutRules = 0;
        if (!skipNoRules) {
            withoutRules = runJob(report, "job without rules", kafka, postgres, expected, acceptedReadings,
                    withArgs(jobArgs, "--no-alerts"), differences);
        }
        double withRules = runJob(report, "job with the default rules", kafka, postgres, expected, acceptedReadings,
                withArgs(jobArgs, "--alerts-topic", topic + "-alerts"), differences);
        long alertRows = countRows(postgres, "SELECT count(*) FROM sensor_alerts");
        List<ExpectedAlert> alerts = AlertsTopic.read(kafka.bootstrapServers(), topic + "-alerts");
        List<String> alertDifferences = OutcomeComparison.alertDifferences(expected.alerts(), alerts);
        line(report, String.format("alerts: %,d expected, %,d records on the alerts topic (read_committed), %,d rows"
                + " in sensor_alerts; %s", expected.alerts().size(), alerts.size(), alertRows,
                alertDifferences.isEmpty() ? "all equal to the expected alerts"
                        : alertDifferences.size() + " DIFFERENCES, first: "
                                + alertDifferences.subList(0, Math.min(5, alertDifferences.size()))));
        differences.addAll(alertDifferences);
        // The job's run time from its readings/s (the last aggregate row written); alerts come before that.
        double alertsPerSecond = expected.alerts().size() / (readings / withRules);
        line(report, String.format("alerts per second of the job's run: %,.0f", alertsPerSecond));
        line(report, "alerts by rule and status: " + new java.util.TreeMap<>(expected.alerts().stream().collect(
                java.util.stream.Collectors.groupingBy(a -> a.ruleId() + " " + a.status(), java.util.stream.Collectors.counting()))));
        if (!skipNoRules) {
            line(report, String.format("with rules / without rules: %.2f", withRules / withoutRules));
        }
        for (String compare : compareJobArgs) {
            // The same run with other settings (e.g. earlier defaults): what the shipped ones cost or save.
            List<String> compareSettings = List.of(compare.trim().split(" +"));
            String name = "job with the default rules and " + String.join(" ", compareSettings);
            String alertsTopic = topic + "-alerts-compare-" + System.nanoTime();
            List<String> args = withArgs(jobArgs, "--alerts-topic", alertsTopic);
            args.addAll(compareSettings);
            double compared = runJob(report, name, kafka, postgres, expected, acceptedReadings, args, differences);
            List<String> d = OutcomeComparison.alertDifferences(expected.alerts(),
                    AlertsTopic.read(kafka.bootstrapServers(), alertsTopic));
            differences.addAll(d);
            line(report, String.format("  alerts %s; shipped settings / %s: %.2f", d.isEmpty() ? "all equal to the expected"
                    : d.size() + " DIFFERENCES", String.join(" ", compareSettings), withRules / compared));
            figures.add(Figure.reported("throughput: " + name, String.format(
                    "%,.0f readings/s; the shipped settings give %.2f of it", compared, withRules / compared)));
        }
        if (!skipArchive) {
            archive(report, figures, kafka, postgres, expected, acceptedReadings, jobArgs, topic, withRules, differences);
        }
        if (naiveCep) {
            List<String> childArgs = new ArrayList<>();
            childArgs.add(Integer.toString(parallelism));
            childArgs.addAll(withArgs(jobArgs));
            String[] naive = ChildJvm.result(ChildJvm.start(NaiveCepRun.class, "2g", profilerAgent("naive-cep"), childArgs));
            double naiveRate = readings / (Long.parseLong(naive[0]) / 1e3);
            line(report, String.format("naive CEP (every reading keyed into a 3-in-a-row pattern and the textbook"
                    + " silence pattern; no aggregation, no sinks): %,.0f readings/s (%.2f s); the job with the"
                    + " default rules / naive: %.2f", naiveRate, Long.parseLong(naive[0]) / 1e3, withRules / naiveRate));
        }
        String exact = differences.isEmpty() ? "every row and alert equal to the expected" : "OUTPUT DIFFERS";
        if (!skipBaseline) {
            String[] base = ChildJvm.result(ChildJvm.start(SingleThreadedBaseline.class, "2g", profilerAgent("baseline"),
                    List.of(kafka.bootstrapServers(), topic, Long.toString(fill.messages()),
                            Long.toString(settings.oracle().windowSizeMs()))));
            double baseRate = fill.messages() / (Long.parseLong(base[0]) / 1e3);
            line(report, String.format("baseline: %,.0f readings/s (%.2f s; one thread: KafkaConsumer + Jackson"
                            + " ObjectMapper + HashMap; %s rows, no de-duplication, no event time, no output)",
                    baseRate, Long.parseLong(base[0]) / 1e3, base[1]));
            line(report, String.format("job with rules / baseline: %.2f", withRules / baseRate));
            if (!skipNoRules) {
                line(report, String.format("job without rules / baseline: %.2f", withoutRules / baseRate));
            }
            figures.add(new Figure("throughput: job with the default rules into PostgreSQL",
                    String.format("%,.0f readings/s (%.2f of the baseline; %s)", withRules, withRules / baseRate, exact),
                    String.format("at least the baseline, %,.0f readings/s", baseRate), Figure.atLeast(withRules, baseRate)));
        } else {
            figures.add(Figure.reported("throughput: job with the default rules into PostgreSQL",
                    String.format("%,.0f readings/s (%s)", withRules, exact)));
        }
        if (!skipNoRules) {
            figures.add(Figure.reported("throughput: job without rules", String.format("%,.0f readings/s", withoutRules)));
        }
        if (storm && !skipNoRules) {
            figures.add(new Figure("alert storm: the job with the default rules against without rules",
                    String.format("%.2f (%,.0f alerts/s, %,d alerts)", withRules / withoutRules, alertsPerSecond,
                            expected.alerts().size()),
                    "at least 0.5", Figure.atLeast(withRules / withoutRules, 0.5)));
        }
    }

    /**
     * The job with the default rules and the archive, on the archive's defaults, against the same
     * job without it (run just before): throughput, the files written before and after compaction,
     * and the archive's readings against the expected aggregates.
     */
    private void archive(List<String> report, List<Figure> figures, LocalKafka kafka, LocalPostgres postgres,
            ExpectedOutcome expected, long acceptedReadings, List<String> jobArgs, String topic, double withoutArchive,
            List<String> differences) throws Exception {
        Path dir = Files.createTempDirectory("sensorflow-benchmark-archive-");
        double withArchive;
        List<Long> before;
        try (ArchiveFiles files = new ArchiveFiles(dir)) {
            withArchive = runJob(report, "job with the default rules and the archive", kafka, postgres, expected,
                    acceptedReadings, withArgs(jobArgs, "--alerts-topic", topic + "-alerts-archive", "--archive-dir",
                            dir.toUri().toString()), differences);
            files.close();
            before = files.beforeCompaction();
        }
        List<Long> after = ArchiveFiles.visible(dir);
        long workLeft = ArchiveFiles.workFilesLeft(dir);
        List<String> d = ArchiveFiles.differences(dir, expected.aggregates(), expected.parameters().windowSizeMs());
        differences.addAll(d);
        line(report, String.format("  archive %s (defaults: --archive-file-size 128mb, --archive-compact-every 10m,"
                        + " hourly folders, zstd): written by the subtasks (before compaction) %s; after compaction %s;"
                        + " %d work files left; readings %s", dir, ArchiveFiles.describe(before), ArchiveFiles.describe(after),
                workLeft, d.isEmpty() ? "per sensor window as many as expected, temperature sums equal"
                        : d.size() + " DIFFERENCES, first: " + d.subList(0, Math.min(5, d.size()))));
        line(report, String.format("with the archive / without: %.2f", withArchive / withoutArchive));
        figures.add(new Figure("throughput: the job with the archive (Parquet)",
                String.format("%,d readings/s, %.2f of the same job without it (%s)", Math.round(withArchive),
                        withArchive / withoutArchive, d.isEmpty() ? "archive equal to the expected" : "ARCHIVE DIFFERS"),
                "at least 0.8 of the job without it", Figure.atLeast(withArchive / withoutArchive, 0.8)));
        figures.add(Figure.reported(String.format("archive files, %,d readings", readings), String.format(
                "before compaction %s; after %s", ArchiveFiles.describe(before), ArchiveFiles.describe(after))));
    }

    /** Alert latency at a steady 10,000 readings/s. */
    private void latency(List<String> report, List<Figure> figures, LocalKafka kafka, LocalPostgres postgres, int seconds,
            List<String> latencyJobArgs) throws Exception {
        List<String> jobArgs = List.of(
                "--kafka-bootstrap-servers", kafka.bootstrapServers(), "--readings-topic", "-",
                "--dead-letter-topic", "-", "--jdbc-url", postgres.jdbcUrl(), "--jdbc-user", postgres.user(),
                "--jdbc-password", postgres.password(), "--no-db-migrate", "--starting-offsets", "earliest",
                "--transactional-id-prefix", "-", "--checkpoint-dir",
                Files.createTempDirectory("sensorflow-latency-checkpoints-").toUri().toString());
        // The bound the job runs with: an event-time rule cannot decide before the watermark passes.
        List<String> all = new ArrayList<>(jobArgs);
        all.addAll(latencyJobArgs);
        Duration bound = JobConfig.parse(all.toArray(String[]::new), Map.of(), new java.io.PrintWriter(
                new java.io.StringWriter())).outOfOrderness;
        AlertLatency.Result r = AlertLatency.run(report, kafka, jobArgs, 10_000, seconds, parallelism,
                latencyCheckpointInterval, latencyJobArgs);
        // Issue 13: an event-time alert cannot beat the bound; what comes on top of it is held to a second.
        long target = bound.toMillis() + 1_000;
        String settings = latencyJobArgs.isEmpty() && latencyCheckpointInterval == null ? " (as shipped)"
                : " (" + String.join(" ", latencyJobArgs) + (latencyCheckpointInterval == null ? ""
                        : " --checkpoint-interval " + latencyCheckpointInterval) + ")";
        String targetText = String.format("p99 at most %,d ms (out-of-orderness %s + 1 s)", target,
                io.sensorflow.durations.Durations.format(bound));
        latencyFigure(figures, "alert latency p50 / p99, sequences" + settings, r.sequences(), targetText, target);
        latencyFigure(figures, "alert latency p50 / p99, rises" + settings, r.rises(), targetText, target);
        latencyFigure(figures, "alert latency p50 / p99, silences" + settings, r.silences(), targetText, target);
    }

    private static void latencyFigure(List<Figure> figures, String name, long[] s, String targetText, long target) {
        figures.add(new Figure(name, s[2] == 0 ? "no alerts in the run" : String.format("%,d / %,d ms (n=%d)", s[0], s[1], s[2]),
                targetText, s[2] == 0 ? "no alerts to measure" : Figure.atMost(s[1], target, "ms")));
    }

    /** Runs the job in its own JVM over the filled topic; checks its rows; returns readings/s into PostgreSQL. */
    private double runJob(List<String> report, String name, LocalKafka kafka, LocalPostgres postgres,
            ExpectedOutcome expected, long acceptedReadings, List<String> jobArgs, List<String> differences)
            throws Exception {
        try (java.sql.Connection c = postgres.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("TRUNCATE sensor_aggregates, dead_letters, late_readings, sensor_alerts");
        }
        List<String> childArgs = new ArrayList<>();
        childArgs.add(Integer.toString(parallelism));
        childArgs.addAll(jobArgs);
        long t0 = System.nanoTime();
        Process child = ChildJvm.start(JobRun.class, "2g", profilerAgent(name.replace(' ', '-')), childArgs);
        long lastRowNanos = waitForReadings(postgres, acceptedReadings, child) - t0;
        String[] job = ChildJvm.result(child);
        double rate = readings / (lastRowNanos / 1e9);
        line(report, String.format("%s: %,.0f readings/s into PostgreSQL (%.2f s from starting its JVM to the last"
                        + " reading in sensor_aggregates; the job itself reports %.2f s from submit to finished,"
                        + " %.2f s net runtime, which includes the final checkpoint that commits the Kafka"
                        + " transactions)", name, rate, lastRowNanos / 1e9, Long.parseLong(job[0]) / 1e3,
                Long.parseLong(job[1]) / 1e3));
        List<WindowAggregate> rows = JobOutputTables.aggregates(postgres.dataSource());
        List<String> d = OutcomeComparison.aggregateDifferences(
                expected.aggregates(), rows, OutcomeComparison.DEFAULT_AVG_TOLERANCE);
        differences.addAll(d);
        line(report, String.format("  rows: %,d expected, %,d in sensor_aggregates, %s", expected.aggregates().size(),
                rows.size(), d.isEmpty() ? "all equal to the expected outcome"
                        : d.size() + " DIFFERENCES, first: " + d.subList(0, Math.min(5, d.size()))));
        return rate;
    }

    private static List<String> withArgs(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        all.set(all.indexOf("--transactional-id-prefix") + 1, "benchmark-" + System.nanoTime());
        return all;
    }

    static long countRows(LocalPostgres postgres, String sql) throws Exception {
        try (java.sql.Connection c = postgres.dataSource().getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Polls PostgreSQL until every accepted reading is in sensor_aggregates; returns System.nanoTime() then. */
    private static long waitForReadings(LocalPostgres postgres, long accepted, Process job) throws Exception {
        try (java.sql.Connection c = postgres.dataSource().getConnection();
                java.sql.PreparedStatement st = c.prepareStatement(
                        "SELECT coalesce(sum(reading_count), 0) FROM sensor_aggregates")) {
            while (true) {
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= accepted) {
                        return System.nanoTime();
                    }
                }
                if (!job.isAlive()) {
                    throw new IllegalStateException("the job ended before all readings were in PostgreSQL");
                }
                Thread.sleep(20);
            }
        }
    }

    /** With PROFILE set, the child JVM runs async-profiler and writes target/NAME.collapsed. */
    static List<String> profilerAgent(String name) {
        String lib = System.getenv("ASYNC_PROFILER_LIB");
        if (lib == null || lib.isEmpty()) {
            return List.of();
        }
        return List.of("-agentpath:" + lib + "=start,event=cpu,interval=5ms,threads,collapsed,file="
                + Path.of("target", name + ".collapsed").toAbsolutePath());
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static void line(List<String> report, String line) {
        report.add(line);
        System.out.println(line);
    }

    /**
     * benchmark/results/DATE-WHAT.txt: the machine, the table of figures against the targets,
     * then every detail line.
     */
    private void writeResultsFile(Instant started, List<String> report, String table, boolean throughput)
            throws IOException {
        List<String> parts = new ArrayList<>();
        if (suite) {
            parts.add("suite");
        } else {
            if (throughput) {
                parts.add(workload.equals("dht11") ? "throughput" : "throughput-" + workload);
            }
            if (alertLatencySeconds != null) {
                parts.add("alert-latency");
            }
            if (scale) {
                parts.add("scale");
            }
            if (recovery || recoveryProcesses) {
                parts.add(recoveryProcesses ? "recovery-processes" : "recovery");
            }
        }
        Files.createDirectories(resultsDir);
        String base = started.toString().substring(0, 10) + "-" + String.join("-", parts);
        Path file = resultsDir.resolve(base + ".txt");
        for (int n = 2; Files.exists(file); n++) {
            file = resultsDir.resolve(base + "-" + n + ".txt");
        }
        List<String> text = new ArrayList<>(report.subList(0, 3));
        text.add("");
        text.add(table);
        text.add("details:");
        text.addAll(report.subList(3, report.size()));
        Files.writeString(file, String.join("\n", text) + "\n", StandardCharsets.UTF_8);
        System.out.println("results: " + file.toAbsolutePath());
    }

    private void append(List<String> report) throws IOException {
        Path dir = results.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(results, String.join("\n", report) + "\n\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("appended to " + results.toAbsolutePath());
    }
}
