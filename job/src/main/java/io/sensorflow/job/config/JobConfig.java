package io.sensorflow.job.config;

import io.sensorflow.durations.DurationConverter;
import io.sensorflow.durations.Durations;
import io.sensorflow.job.readings.PhysicalRanges;
import io.sensorflow.rules.RuleFileException;
import io.sensorflow.rules.RuleFileLoader;
import io.sensorflow.rules.RuleSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import io.sensorflow.job.archive.ArchiveLayout;
import io.sensorflow.job.archive.ArchiveSettings;
import io.sensorflow.job.archive.ParquetCodecs;
import java.time.Duration;
import org.apache.flink.configuration.MemorySize;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Every setting of the job, with its default. Settings come from the command line, then
 * environment variables, then a config file (see {@link SettingSources}); {@code --help} lists
 * them all. A wrong setting fails the start with its name, where it came from and what is wrong.
 */
@Command(
        name = "sensorflow-job",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "Reads sensor readings from Kafka, validates them, aggregates them per sensor in event-time",
            "windows and upserts the aggregates into PostgreSQL. Rejected readings go to a dead-letter topic.",
            "",
            "Each option can also be set by an environment variable SENSORFLOW_<NAME> (e.g. SENSORFLOW_JDBC_PASSWORD)",
            "or in the --config file as name=value (e.g. window-size=15m). The command line wins, then the",
            "environment, then the file; of an option given twice on the command line, the last one wins."
        },
        versionProvider = JobConfig.Version.class)
public final class JobConfig {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings (name=value).")
    public Path configFile;

    // Kafka
    @Option(names = "--kafka-bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka brokers. Default: ${DEFAULT-VALUE}.")
    public String kafkaBootstrapServers;

    @Option(names = "--kafka-property", split = ",", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property for the source and sinks (security, etc.); repeatable.")
    public Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--readings-topic", defaultValue = "sensor-readings", description = "Topic the readings come from. Default: ${DEFAULT-VALUE}.")
    public String readingsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "sensor-readings-dlq", description = "Topic rejected readings go to. Default: ${DEFAULT-VALUE}.")
    public String deadLetterTopic;

    @Option(names = "--consumer-group", defaultValue = "sensorflow", description = "Kafka consumer group (offsets are committed on checkpoints). Default: ${DEFAULT-VALUE}.")
    public String consumerGroup;

    @Option(names = "--starting-offsets", defaultValue = "committed",
            description = "Where a job without a checkpoint starts: committed (the group's offsets, else earliest), earliest or latest. Default: ${DEFAULT-VALUE}.")
    public StartingOffsets startingOffsets;

    @Option(names = "--bounded", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Stop at the offsets that are the latest when the job starts (backfills, benchmarks). Default: ${DEFAULT-VALUE}.")
    public boolean bounded;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create missing topics at start. Default: ${DEFAULT-VALUE}.")
    public boolean createTopics;

    @Option(names = "--topic-partitions", defaultValue = "4", description = "Partitions of topics the job creates. Default: ${DEFAULT-VALUE}.")
    public int topicPartitions;

    @Option(names = "--transactional-id-prefix", defaultValue = "sensorflow",
            description = "Prefix of the Kafka transactional ids of the exactly-once sinks; unique per job. Default: ${DEFAULT-VALUE}.")
    public String transactionalIdPrefix;

    @Option(names = "--kafka-transaction-timeout", defaultValue = "10m", converter = DurationConverter.class,
            description = "Kafka transaction timeout; at most the broker's transaction.max.timeout.ms (15m by default), and longer than a checkpoint plus an outage. Default: ${DEFAULT-VALUE}.")
    public Duration kafkaTransactionTimeout;

    // PostgreSQL
    @Option(names = "--jdbc-url", defaultValue = "jdbc:postgresql://localhost:5432/sensorflow", description = "PostgreSQL JDBC URL. Default: ${DEFAULT-VALUE}.")
    public String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "sensorflow", description = "PostgreSQL user. Default: ${DEFAULT-VALUE}.")
    public String jdbcUser;

    @Option(names = "--jdbc-password", defaultValue = "", description = "PostgreSQL password; prefer SENSORFLOW_JDBC_PASSWORD over the command line.")
    public String jdbcPassword;

    @Option(names = "--db-migrate", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Apply the schema migrations (Flyway) before the job starts. Default: ${DEFAULT-VALUE}.")
    public boolean dbMigrate;

    @Option(names = "--jdbc-batch-size", defaultValue = "5000", description = "Rows per JDBC batch. Default: ${DEFAULT-VALUE}.")
    public int jdbcBatchSize;

    @Option(names = "--jdbc-flush-interval", defaultValue = "200ms", converter = DurationConverter.class,
            description = "Longest time a row waits in a JDBC batch. Default: ${DEFAULT-VALUE}.")
    public Duration jdbcFlushInterval;

    @Option(names = "--jdbc-max-retries", defaultValue = "5", description = "Retries of a failed JDBC batch before the job restarts. Default: ${DEFAULT-VALUE}.")
    public int jdbcMaxRetries;

    // Event time and windows
    @Option(names = "--window-size", defaultValue = "15m", converter = DurationConverter.class,
            description = "Size of the tumbling aggregation windows. Default: ${DEFAULT-VALUE}.")
    public Duration windowSize;

    @Option(names = "--out-of-orderness", defaultValue = "5s", converter = DurationConverter.class,
            description = "How far behind the latest reading of a partition the watermark trails. Default: ${DEFAULT-VALUE}.")
    public Duration outOfOrderness;

    @Option(names = "--watermark-granularity", defaultValue = "200ms", converter = DurationConverter.class,
            description = "Step in which watermarks advance; an alert waits up to one step beyond --out-of-orderness."
                    + " Default: ${DEFAULT-VALUE}.")
    public Duration watermarkGranularity;

    @Option(names = "--idle-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "After this long without readings, a partition's event time advances with the wall clock. Default: ${DEFAULT-VALUE}.")
    public Duration idleTimeout;

    @Option(names = "--allowed-lateness", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long after its window closed a reading still updates the window's row; later ones go to late_readings. Default: ${DEFAULT-VALUE}.")
    public Duration allowedLateness;

    // Validation
    @Option(names = "--max-future", defaultValue = "10m", converter = DurationConverter.class,
            description = "Readings timed further ahead of the wall clock are rejected. Default: ${DEFAULT-VALUE}.")
    public Duration maxFuture;

    /** The largest --max-future: a reading's time must stay within what PostgreSQL and ISO-8601 store. */
    static final Duration MAX_FUTURE_LIMIT = Duration.ofDays(3_650);

    @Option(names = "--temperature-range", defaultValue = "-40..125", description = "Valid temperature in °C. Default: ${DEFAULT-VALUE}.")
    public String temperatureRange;

    @Option(names = "--humidity-range", defaultValue = "0..100", description = "Valid relative humidity in %%. Default: ${DEFAULT-VALUE}.")
    public String humidityRange;

    @Option(names = "--distance-range", defaultValue = "2..400", description = "Valid distance in cm. Default: ${DEFAULT-VALUE}.")
    public String distanceRange;

    // Runtime
    @Option(names = "--checkpoint-interval", defaultValue = "10s", converter = DurationConverter.class,
            description = "Checkpoint interval; rows and dead letters are committed with each checkpoint. Default: ${DEFAULT-VALUE}.")
    public Duration checkpointInterval;

    @Option(names = "--checkpoint-dir", paramLabel = "URI",
            description = "Checkpoint storage, e.g. file:///var/flink/checkpoints or s3://bucket/path. Default: the cluster's"
                    + " execution.checkpointing.dir; run as a plain Java program, <java.io.tmpdir>/sensorflow-checkpoints/<job name>;"
                    + " on a cluster that sets neither, the job does not start.")
    public String checkpointDir;

    @Option(names = "--parallelism", description = "Parallelism of the job. Default: the cluster's.")
    public Integer parallelism;

    // Alerts
    @Option(names = "--alerts", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Evaluate the alert rules (--no-alerts: aggregates and dead letters only). Default: ${DEFAULT-VALUE}.")
    public boolean alerts;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Alert rule file (YAML, see cep-rules/README.md). Default: the built-in cep-rules/default-rules.yaml.")
    public Path rulesFile;

    @Option(names = "--alerts-topic", defaultValue = "sensor-alerts", description = "Topic alerts go to. Default: ${DEFAULT-VALUE}.")
    public String alertsTopic;

    @Option(names = "--alerts-delivery", defaultValue = "at-least-once", converter = AlertsDelivery.Converter.class,
            description = "at-least-once: alerts are readable as soon as they are decided, and after a restart the"
                    + " ones since the last checkpoint come again, the same records (same alert_id and status);"
                    + " exactly-once: committed to the topic with each checkpoint (read_committed consumers see each"
                    + " once, up to a checkpoint interval later). Default: ${DEFAULT-VALUE}.")
    public AlertsDelivery alertsDelivery;

    @Option(names = {"--forget-sensor-after", "--silence-forget-after"}, defaultValue = "7d", converter = DurationConverter.class,
            description = "How long the alert rules keep a sensor's state (its silence, a run still open) after its last reading;"
                    + " a sensor back later counts as new. With it, alert state is bounded by the sensors heard from within"
                    + " this time. Default: ${DEFAULT-VALUE}.")
    public Duration forgetSensorAfter;

    @Option(names = "--sensor-count-warning", defaultValue = "1000000",
            description = "Sensors one subtask's alert candidate selection keeps state for, above which the job logs a"
                    + " warning (again at each doubling): a flood of new sensor ids. Default: ${DEFAULT-VALUE}.")
    public int sensorCountWarning;

    @Option(names = "--batch-max-buffered", defaultValue = "500000",
            description = "Readings a source subtask holds before it hands them to the aggregation. Default: ${DEFAULT-VALUE}.")
    public int batchMaxBuffered;

    // Archive
    @Option(names = "--archive-dir", paramLabel = "URI",
            description = "Keep every accepted reading as Parquet files here, e.g. file:///var/sensorflow/archive or"
                    + " s3://bucket/readings (any Flink file system). Default: none, the archive is off.")
    public String archiveDir;

    @Option(names = "--archive", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "--no-archive: no archive even with --archive-dir. Default: ${DEFAULT-VALUE}.")
    public boolean archive;

    @Option(names = "--archive-file-size", defaultValue = "128mb",
            description = "The archive's file size target: files roll at it, and small files are merged until they reach"
                    + " it. Default: ${DEFAULT-VALUE}.")
    public String archiveFileSize;

    @Option(names = "--archive-compact-every", defaultValue = "10m", converter = DurationConverter.class,
            description = "At the latest this long after they were written, a partition's new files are merged into one"
                    + " and become visible (rounded to checkpoints). Default: ${DEFAULT-VALUE}.")
    public Duration archiveCompactEvery;

    @Option(names = "--archive-layout", defaultValue = "hour",
            description = "Partition folders by the readings' event time (UTC): hour (day=YYYY-MM-DD/hour=HH) or day."
                    + " Default: ${DEFAULT-VALUE}.")
    public String archiveLayout;

    @Option(names = "--archive-compression", defaultValue = "zstd",
            description = "Parquet compression of the archive: zstd, snappy or none. Default: ${DEFAULT-VALUE}.")
    public String archiveCompression;

    @Option(names = "--job-name", defaultValue = "sensorflow", description = "Name of the job in the Flink web UI. Default: ${DEFAULT-VALUE}.")
    public String jobName;

    private PhysicalRanges ranges;
    private RuleSet rules;
    private ArchiveSettings archiveSettings;

    /** Where the readings stream starts when there is no checkpoint. */
    public enum StartingOffsets { committed, earliest, latest }

    /** Parsed {@code --temperature-range} and friends. */
    public PhysicalRanges ranges() {
        return ranges;
    }

    /** The alert rules: none with {@code --no-alerts}, else {@code --rules} or the built-in defaults. */
    public RuleSet rules() {
        return rules;
    }

    /** The archive's settings, or null when there is none (no {@code --archive-dir}, or {@code --no-archive}). */
    public ArchiveSettings archive() {
        return archiveSettings;
    }

    /** Kafka client properties given with {@code --kafka-property}. */
    public Properties kafkaClientProperties() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        return p;
    }

    /**
     * Reads the settings. Returns null after printing help or the version; throws
     * {@link ConfigException} naming the setting when one is wrong.
     */
    public static JobConfig parse(String[] args, Map<String, String> env, PrintWriter out) {
        JobConfig config = new JobConfig();
        CommandLine cli = new CommandLine(config);
        // The last of a repeated option wins, so wrappers can put defaults before the user's own.
        cli.setOverwrittenOptionsAllowed(true);
        SettingSources sources = new SettingSources(env, configFileArgument(args, env));
        cli.setDefaultValueProvider(sources);
        try {
            cli.parseArgs(args);
        } catch (ParameterException e) {
            throw new ConfigException(describe(e, sources));
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            return null;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
            return null;
        }
        checkFileKeys(cli, sources);
        config.check(sources);
        return config;
    }

    /** The usage text, for tests and docs. */
    public static String usage() {
        StringWriter text = new StringWriter();
        new CommandLine(new JobConfig()).usage(new PrintWriter(text));
        return text.toString();
    }

    private static Path configFileArgument(String[] args, Map<String, String> env) {
        // --config must be known before the other options are read, since it supplies their defaults.
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String fromEnv = env.get(SettingSources.envName("config"));
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    private static void checkFileKeys(CommandLine cli, SettingSources sources) {
        for (String key : sources.fileKeys()) {
            if (cli.getCommandSpec().findOption("--" + key) == null
                    || key.equals("config") || key.equals("help") || key.equals("version")) {
                throw new ConfigException("config file " + sources.filePath() + ": unknown setting '" + key
                        + "' (see --help for the settings)");
            }
        }
    }

    private static String describe(ParameterException e, SettingSources sources) {
        String origin = e.getArgSpec() instanceof OptionSpec
                ? sources.originOf(((OptionSpec) e.getArgSpec()).longestName())
                : "";
        return e.getMessage() + origin;
    }

    private void check(SettingSources s) {
        positive("--window-size", windowSize, s);
        positive("--watermark-granularity", watermarkGranularity, s);
        positive("--idle-timeout", idleTimeout, s);
        positive("--checkpoint-interval", checkpointInterval, s);
        positive("--jdbc-flush-interval", jdbcFlushInterval, s);
        positive("--kafka-transaction-timeout", kafkaTransactionTimeout, s);
        notNegative("--out-of-orderness", outOfOrderness, s);
        notNegative("--allowed-lateness", allowedLateness, s);
        notNegative("--max-future", maxFuture, s);
        if (maxFuture.compareTo(MAX_FUTURE_LIMIT) > 0) {
            // Accepted readings become rows with their time: beyond this, a time no sink stores.
            fail("--max-future", "must be at most " + MAX_FUTURE_LIMIT.toDays() + "d, not " + maxFuture, s);
        }
        if (windowSize.toMillis() % watermarkGranularity.toMillis() != 0) {
            fail("--watermark-granularity", "must divide --window-size (" + Durations.format(windowSize) + ")", s);
        }
        if (kafkaTransactionTimeout.compareTo(checkpointInterval) <= 0) {
            fail("--kafka-transaction-timeout", "must be longer than --checkpoint-interval ("
                    + Durations.format(checkpointInterval) + "), or transactions expire before they commit", s);
        }
        atLeast("--topic-partitions", topicPartitions, 1, s);
        atLeast("--jdbc-batch-size", jdbcBatchSize, 1, s);
        atLeast("--jdbc-max-retries", jdbcMaxRetries, 0, s);
        atLeast("--batch-max-buffered", batchMaxBuffered, 1, s);
        if (parallelism != null) {
            atLeast("--parallelism", parallelism, 1, s);
        }
        notBlank("--kafka-bootstrap-servers", kafkaBootstrapServers, s);
        notBlank("--readings-topic", readingsTopic, s);
        notBlank("--dead-letter-topic", deadLetterTopic, s);
        notBlank("--consumer-group", consumerGroup, s);
        notBlank("--transactional-id-prefix", transactionalIdPrefix, s);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            fail("--jdbc-url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), not '" + jdbcUrl + "'", s);
        }
        notBlank("--alerts-topic", alertsTopic, s);
        positive("--forget-sensor-after", forgetSensorAfter, s);
        atLeast("--sensor-count-warning", sensorCountWarning, 1, s);
        rules = loadRules(s);
        archiveSettings = archiveSettings(s);
        ranges = new PhysicalRanges(range("--temperature-range", temperatureRange, s),
                range("--humidity-range", humidityRange, s), range("--distance-range", distanceRange, s));
    }

    private ArchiveSettings archiveSettings(SettingSources s) {
        long fileSize;
        try {
            fileSize = MemorySize.parse(archiveFileSize).getBytes();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--archive-file-size must be a size such as 128mb or 1gb, not '" + archiveFileSize
                    + "'" + s.originOf("--archive-file-size"));
        }
        if (fileSize < (1L << 20)) {
            fail("--archive-file-size", "must be at least 1mb, not " + archiveFileSize, s);
        }
        positive("--archive-compact-every", archiveCompactEvery, s);
        ArchiveLayout layout;
        ParquetCodecs.Codec codec;
        try {
            layout = ArchiveLayout.parse(archiveLayout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--archive-layout " + e.getMessage() + s.originOf("--archive-layout"));
        }
        try {
            codec = ParquetCodecs.Codec.parse(archiveCompression);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--archive-compression " + e.getMessage() + s.originOf("--archive-compression"));
        }
        if (!archive || archiveDir == null) {
            return null;
        }
        notBlank("--archive-dir", archiveDir, s);
        try {
            new org.apache.flink.core.fs.Path(archiveDir).toUri();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--archive-dir is not a path or URI: " + e.getMessage() + s.originOf("--archive-dir"));
        }
        int checkpoints = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                Math.round((double) archiveCompactEvery.toMillis() / checkpointInterval.toMillis())));
        return new ArchiveSettings(archiveDir, fileSize, checkpoints, layout, codec);
    }

    private RuleSet loadRules(SettingSources s) {
        if (!alerts) {
            return new RuleSet("(--no-alerts)", java.util.List.of());
        }
        try {
            return rulesFile == null ? RuleFileLoader.loadDefault() : RuleFileLoader.load(rulesFile);
        } catch (RuleFileException e) {
            throw new ConfigException("--rules: " + e.getMessage() + s.originOf("--rules"));
        }
    }

    private static PhysicalRanges.Range range(String option, String value, SettingSources s) {
        try {
            return PhysicalRanges.Range.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option + ": " + e.getMessage() + s.originOf(option));
        }
    }

    private static void positive(String option, Duration value, SettingSources s) {
        if (value.toMillis() <= 0) {
            fail(option, "must be at least 1ms, not " + Durations.format(value), s);
        }
    }

    private static void notNegative(String option, Duration value, SettingSources s) {
        if (value.isNegative()) {
            fail(option, "must not be negative, not " + Durations.format(value), s);
        }
    }

    private static void atLeast(String option, int value, int min, SettingSources s) {
        if (value < min) {
            fail(option, "must be at least " + min + ", not " + value, s);
        }
    }

    private static void notBlank(String option, String value, SettingSources s) {
        if (value == null || value.isBlank()) {
            fail(option, "must not be empty", s);
        }
    }

    private static void fail(String option, String problem, SettingSources s) {
        throw new ConfigException(option + " " + problem + s.originOf(option));
    }

    /** Prints the project version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = JobConfig.class.getPackage().getImplementationVersion();
            return new String[] {"sensorflow-job " + (v == null ? "(development build)" : v)};
        }
    }
}
