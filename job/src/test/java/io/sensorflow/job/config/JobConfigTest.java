package io.sensorflow.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.job.archive.ArchiveLayout;
import io.sensorflow.job.archive.ArchiveSettings;
import io.sensorflow.job.archive.ParquetCodecs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    /** Every setting of the job, written out by hand. */
    static final List<String> ALL_SETTINGS = List.of(
            "--config",
            "--archive-dir",
            "--archive",
            "--archive-file-size",
            "--archive-compact-every",
            "--archive-layout",
            "--archive-compression",
            "--kafka-bootstrap-servers",
            "--kafka-property",
            "--readings-topic",
            "--dead-letter-topic",
            "--consumer-group",
            "--starting-offsets",
            "--bounded",
            "--create-topics",
            "--topic-partitions",
            "--transactional-id-prefix",
            "--kafka-transaction-timeout",
            "--jdbc-url",
            "--jdbc-user",
            "--jdbc-password",
            "--db-migrate",
            "--jdbc-batch-size",
            "--jdbc-flush-interval",
            "--jdbc-max-retries",
            "--window-size",
            "--out-of-orderness",
            "--watermark-granularity",
            "--idle-timeout",
            "--allowed-lateness",
            "--max-future",
            "--temperature-range",
            "--humidity-range",
            "--distance-range",
            "--checkpoint-interval",
            "--checkpoint-dir",
            "--parallelism",
            "--batch-max-buffered",
            "--alerts",
            "--rules",
            "--alerts-topic",
            "--alerts-delivery",
            "--silence-forget-after",
            "--forget-sensor-after",
            "--sensor-count-warning",
            "--job-name");

    @TempDir
    Path dir;

    static JobConfig parse(Map<String, String> env, String... args) {
        return JobConfig.parse(args, env, new PrintWriter(new StringWriter()));
    }

    static JobConfig parse(String... args) {
        return parse(Map.of(), args);
    }

    Path file(String content) throws IOException {
        Path f = dir.resolve("job.properties");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    /** Asserts that the arguments fail with a message naming the setting and nothing about env/file. */
    static void failsOnCommandLine(String setting, String... args) {
        assertThatThrownBy(() -> parse(args))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(setting)
                .hasMessageNotContaining("environment")
                .hasMessageNotContaining("config file");
    }

    /** Each setting appears as {@code --name} or, for on/off settings, {@code --[no-]name}. */
    static void assertListsEverySetting(String help) {
        for (String setting : ALL_SETTINGS) {
            String negatable = "--[no-]" + setting.substring(2);
            assertThat(help.contains(setting + "=") || help.contains(setting + " ") || help.contains(negatable))
                    .as("--help lists %s", setting).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class Help {

        @Test
        void helpListsEverySettingAndReturnsNull() {
            StringWriter out = new StringWriter();
            JobConfig config = JobConfig.parse(new String[] {"--help"}, Map.of(), new PrintWriter(out));
            assertThat(config).isNull();
            String text = out.toString();
            assertListsEverySetting(text);
            assertThat(text).contains("SENSORFLOW_");
        }

        @Test
        void usageListsEverySetting() {
            assertListsEverySetting(JobConfig.usage());
        }

        @Test
        void helpShowsTheDefaults() {
            String text = JobConfig.usage();
            assertThat(text).contains("-40..125").contains("0..100").contains("2..400").contains("15m");
        }

        @Test
        void helpWithBrokenSettingsStillNeedsNoValidation() {
            StringWriter out = new StringWriter();
            JobConfig config = JobConfig.parse(new String[] {"--watermark-granularity", "7s", "--help"}, Map.of(), new PrintWriter(out));
            assertThat(config).isNull();
            assertThat(out.toString()).contains("--watermark-granularity");
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class Sources {

        @Test
        void defaultsAreValid() {
            JobConfig c = parse();
            assertThat(c).isNotNull();
            assertThat(c.ranges().temperature.min).isEqualTo(-40.0);
            assertThat(c.ranges().temperature.max).isEqualTo(125.0);
            assertThat(c.ranges().humidity.min).isEqualTo(0.0);
            assertThat(c.ranges().humidity.max).isEqualTo(100.0);
            assertThat(c.ranges().distanceCm.min).isEqualTo(2.0);
            assertThat(c.ranges().distanceCm.max).isEqualTo(400.0);
            assertThat(c.windowSize.toMillis() % c.watermarkGranularity.toMillis()).isZero();
            // The oracle (and the simulator and benchmark through it) works out what the job does by default.
            assertThat(io.sensorflow.oracle.OracleParameters.of(c.windowSize, c.outOfOrderness, c.watermarkGranularity,
                    c.allowedLateness)).isEqualTo(io.sensorflow.oracle.OracleParameters.DEFAULTS);
            assertThat(c.kafkaTransactionTimeout).isGreaterThan(c.checkpointInterval);
            assertThat(c.jdbcUrl).startsWith("jdbc:postgresql:");
        }

        @Test
        void fromArguments() {
            JobConfig c = parse("--window-size", "5m", "--readings-topic", "t1", "--jdbc-url", "jdbc:postgresql://db:5432/x",
                    "--temperature-range=-10..50", "--parallelism", "3", "--bounded", "--no-create-topics",
                    "--starting-offsets", "earliest", "--kafka-property", "security.protocol=SSL,acks=all");
            assertThat(c.windowSize).isEqualTo(Duration.ofMinutes(5));
            assertThat(c.readingsTopic).isEqualTo("t1");
            assertThat(c.jdbcUrl).isEqualTo("jdbc:postgresql://db:5432/x");
            assertThat(c.ranges().temperature.min).isEqualTo(-10.0);
            assertThat(c.ranges().temperature.max).isEqualTo(50.0);
            assertThat(c.parallelism).isEqualTo(3);
            assertThat(c.bounded).isTrue();
            assertThat(c.createTopics).isFalse();
            assertThat(c.startingOffsets).isEqualTo(JobConfig.StartingOffsets.earliest);
            assertThat(c.kafkaClientProperties()).containsEntry("security.protocol", "SSL").containsEntry("acks", "all");
        }

        @Test
        void fromEnvironment() {
            Map<String, String> env = new HashMap<>();
            env.put("SENSORFLOW_WINDOW_SIZE", "30m");
            env.put("SENSORFLOW_JDBC_PASSWORD", "s3cret");
            env.put("SENSORFLOW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
            env.put("SENSORFLOW_HUMIDITY_RANGE", "5..95");
            env.put("SENSORFLOW_DB_MIGRATE", "false");
            env.put("SENSORFLOW_BOUNDED", "true");
            env.put("SENSORFLOW_JDBC_BATCH_SIZE", "100");
            env.put("SENSORFLOW_MAX_FUTURE", "1d");
            env.put("UNRELATED", "x");
            JobConfig c = parse(env);
            assertThat(c.windowSize).isEqualTo(Duration.ofMinutes(30));
            assertThat(c.jdbcPassword).isEqualTo("s3cret");
            assertThat(c.kafkaBootstrapServers).isEqualTo("kafka:9092");
            assertThat(c.ranges().humidity.min).isEqualTo(5.0);
            assertThat(c.ranges().humidity.max).isEqualTo(95.0);
            assertThat(c.dbMigrate).isFalse();
            assertThat(c.bounded).isTrue();
            assertThat(c.jdbcBatchSize).isEqualTo(100);
            assertThat(c.maxFuture).isEqualTo(Duration.ofDays(1));
        }

        @Test
        void fromConfigFile() throws IOException {
            Path f = file("# comment\nwindow-size=PT5M\nreadings-topic=from-file\njdbc-user=alice\n"
                    + "distance-range=10..300\nbounded=true\ncreate-topics=false\njdbc-flush-interval=500ms\n"
                    + "allowed-lateness=2h\nkafka-property=security.protocol=SSL\n");
            JobConfig c = parse("--config", f.toString());
            assertThat(c.configFile).isEqualTo(f);
            assertThat(c.windowSize).isEqualTo(Duration.ofMinutes(5));
            assertThat(c.readingsTopic).isEqualTo("from-file");
            assertThat(c.jdbcUser).isEqualTo("alice");
            assertThat(c.ranges().distanceCm.min).isEqualTo(10.0);
            assertThat(c.ranges().distanceCm.max).isEqualTo(300.0);
            assertThat(c.bounded).isTrue();
            assertThat(c.createTopics).isFalse();
            assertThat(c.jdbcFlushInterval).isEqualTo(Duration.ofMillis(500));
            assertThat(c.allowedLateness).isEqualTo(Duration.ofHours(2));
            assertThat(c.kafkaClientProperties()).containsEntry("security.protocol", "SSL");
        }

        @Test
        void configFileFromEnvironment() throws IOException {
            Path f = file("readings-topic=via-env-file\n");
            JobConfig c = parse(Map.of("SENSORFLOW_CONFIG", f.toString()));
            assertThat(c.readingsTopic).isEqualTo("via-env-file");
        }

        @Test
        void configFileWithEqualsSyntax() throws IOException {
            Path f = file("readings-topic=eq\n");
            assertThat(parse("--config=" + f).readingsTopic).isEqualTo("eq");
        }

        @Test
        void argumentsBeatEnvironmentBeatsFile() throws IOException {
            Path f = file("readings-topic=file\ndead-letter-topic=file\nconsumer-group=file\n");
            Map<String, String> env = Map.of("SENSORFLOW_READINGS_TOPIC", "env", "SENSORFLOW_DEAD_LETTER_TOPIC", "env");
            JobConfig c = parse(env, "--config", f.toString(), "--readings-topic", "arg");
            assertThat(c.readingsTopic).isEqualTo("arg");
            assertThat(c.deadLetterTopic).isEqualTo("env");
            assertThat(c.consumerGroup).isEqualTo("file");
        }

        @Test
        void negatableFlagOnCommandLineBeatsFile() throws IOException {
            Path f = file("bounded=true\n");
            assertThat(parse("--config", f.toString(), "--no-bounded").bounded).isFalse();
            assertThat(parse(Map.of("SENSORFLOW_BOUNDED", "false"), "--config", f.toString()).bounded).isFalse();
        }

        @Test
        void goodArgumentOverridesBadEnvironmentValue() {
            JobConfig c = parse(Map.of("SENSORFLOW_WINDOW_SIZE", "abc"), "--window-size", "7m");
            assertThat(c.windowSize).isEqualTo(Duration.ofMinutes(7));
        }

        @Test
        void goodEnvironmentValueOverridesBadFileValue() throws IOException {
            Path f = file("window-size=abc\n");
            JobConfig c = parse(Map.of("SENSORFLOW_WINDOW_SIZE", "5m"), "--config", f.toString());
            assertThat(c.windowSize).isEqualTo(Duration.ofMinutes(5));
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class WhereAWrongSettingCameFrom {

        @Test
        void badDurationOnCommandLine() {
            failsOnCommandLine("--window-size", "--window-size", "abc");
            assertThatThrownBy(() -> parse("--window-size", "abc")).hasMessageContaining("abc");
        }

        @Test
        void badDurationInEnvironment() {
            assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_WINDOW_SIZE", "abc")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--window-size")
                    .hasMessageContaining("SENSORFLOW_WINDOW_SIZE");
        }

        @Test
        void badDurationInFile() throws IOException {
            Path f = file("window-size=abc\n");
            assertThatThrownBy(() -> parse("--config", f.toString()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--window-size")
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining("window-size");
        }

        @Test
        void failedCheckInEnvironment() {
            assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_JDBC_URL", "jdbc:mysql://db/x")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--jdbc-url")
                    .hasMessageContaining("SENSORFLOW_JDBC_URL");
        }

        @Test
        void failedCheckInFile() throws IOException {
            Path f = file("jdbc-url=jdbc:mysql://db/x\n");
            assertThatThrownBy(() -> parse("--config", f.toString()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--jdbc-url")
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining("'jdbc-url'");
        }

        @Test
        void commandLineValueIsNotBlamedOnTheEnvironment() {
            assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_JDBC_URL", "jdbc:postgresql://db/x"), "--jdbc-url", "jdbc:mysql://db/x"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--jdbc-url")
                    .hasMessageNotContaining("SENSORFLOW_JDBC_URL");
        }

        @Test
        void badIntegerInEnvironment() {
            assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_TOPIC_PARTITIONS", "four")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--topic-partitions")
                    .hasMessageContaining("SENSORFLOW_TOPIC_PARTITIONS");
        }

        @Test
        void badBooleanInEnvironment() {
            assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_BOUNDED", "yes please")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--bounded")
                    .hasMessageContaining("SENSORFLOW_BOUNDED");
        }

        @Test
        void badRangeInEnvironment() {
            assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_HUMIDITY_RANGE", "abc")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--humidity-range")
                    .hasMessageContaining("SENSORFLOW_HUMIDITY_RANGE");
        }

        @Test
        void unknownKeyInFile() throws IOException {
            Path f = file("window-size=15m\nwindw-size=5m\n");
            assertThatThrownBy(() -> parse("--config", f.toString()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining("windw-size");
        }

        @Test
        void keysWithDashesAreNotSettingsInTheFile() throws IOException {
            Path f = file("--window-size=5m\n");
            assertThatThrownBy(() -> parse("--config", f.toString()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining("window-size");
        }

        @Test
        void configKeyInsideTheFileIsUnknown() throws IOException {
            Path f = file("config=/etc/other.properties\n");
            assertThatThrownBy(() -> parse("--config", f.toString()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining("config");
        }

        @Test
        void missingConfigFile() {
            Path missing = dir.resolve("nope.properties");
            assertThatThrownBy(() -> parse("--config", missing.toString()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(missing.toString());
        }

        @Test
        void unknownCommandLineOption() {
            assertThatThrownBy(() -> parse("--windw-size", "5m"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--windw-size");
        }

        @Test
        void badEnumValue() {
            failsOnCommandLine("--starting-offsets", "--starting-offsets", "beginning");
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class Checks {

        @Test
        void durationForms() {
            JobConfig c = parse("--jdbc-flush-interval", "500ms", "--out-of-orderness", "5s", "--window-size", "PT15M",
                    "--allowed-lateness", "2h", "--max-future", "1d", "--idle-timeout", "15m");
            assertThat(c.jdbcFlushInterval).isEqualTo(Duration.ofMillis(500));
            assertThat(c.outOfOrderness).isEqualTo(Duration.ofSeconds(5));
            assertThat(c.windowSize).isEqualTo(Duration.ofMinutes(15));
            assertThat(c.allowedLateness).isEqualTo(Duration.ofHours(2));
            assertThat(c.maxFuture).isEqualTo(Duration.ofDays(1));
            assertThat(c.idleTimeout).isEqualTo(Duration.ofMinutes(15));
        }

        @Test
        void alertsDelivery() {
            // At least once by default: an alert is readable once decided, not a checkpoint later (issue 13).
            assertThat(parse().alertsDelivery.guarantee).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
            assertThat(parse("--alerts-delivery", "exactly-once").alertsDelivery.guarantee)
                    .isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
            assertThat(parse(Map.of("SENSORFLOW_ALERTS_DELIVERY", "exactly-once")).alertsDelivery)
                    .isEqualTo(AlertsDelivery.EXACTLY_ONCE);
            assertThatThrownBy(() -> parse("--alerts-delivery", "AT_LEAST_ONCE"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--alerts-delivery")
                    .hasMessageContaining("exactly-once, at-least-once");
        }

        @Test
        void theArchiveIsOffWithoutADirectoryAndWithNoArchive() {
            assertThat(parse().archive()).isNull();
            assertThat(parse("--archive-dir", "/tmp/a", "--no-archive").archive()).isNull();
            ArchiveSettings a = parse("--archive-dir", "s3://bucket/readings").archive();
            assertThat(a.dir()).isEqualTo("s3://bucket/readings");
            assertThat(a.fileSizeBytes()).isEqualTo(128L << 20);
            assertThat(a.compactEveryCheckpoints()).as("10m of 10s checkpoints").isEqualTo(60);
            assertThat(a.layout()).isEqualTo(ArchiveLayout.HOUR);
            assertThat(a.codec()).isEqualTo(ParquetCodecs.Codec.ZSTD);
            ArchiveSettings b = parse("--archive-dir", "/tmp/a", "--archive-file-size", "1gb", "--archive-compact-every", "5s",
                    "--archive-layout", "day", "--archive-compression", "snappy").archive();
            assertThat(b.fileSizeBytes()).isEqualTo(1L << 30);
            assertThat(b.compactEveryCheckpoints()).as("at least one checkpoint").isEqualTo(1);
            assertThat(b.layout()).isEqualTo(ArchiveLayout.DAY);
            assertThat(b.codec()).isEqualTo(ParquetCodecs.Codec.SNAPPY);
        }

        @Test
        void wrongArchiveSettingsAreNamed() {
            failsOnCommandLine("--archive-file-size", "--archive-file-size", "lots");
            failsOnCommandLine("--archive-file-size", "--archive-file-size", "100kb");
            failsOnCommandLine("--archive-compact-every", "--archive-compact-every", "0s");
            failsOnCommandLine("--archive-layout", "--archive-layout", "minute");
            failsOnCommandLine("--archive-compression", "--archive-compression", "gzip");
            failsOnCommandLine("--archive-dir", "--archive-dir", " ");
        }

        @Test
        void overflowingDurationIsAConfigException() {
            failsOnCommandLine("--window-size", "--window-size", "99999999999999999999s");
            failsOnCommandLine("--max-future", "--max-future", "9999999999999999d");
        }

        @Test
        void positiveDurations() {
            for (String setting : List.of("--window-size", "--watermark-granularity", "--idle-timeout", "--checkpoint-interval",
                    "--jdbc-flush-interval", "--kafka-transaction-timeout")) {
                failsOnCommandLine(setting, setting, "0s");
                failsOnCommandLine(setting, setting, "PT-1S");
            }
        }

        @Test
        void readingsFromFurtherAheadThanTenYearsAreNeverAccepted() {
            // such a time is a row's time, and PostgreSQL and ISO-8601 stop at the year 294276 and 9999
            assertThat(parse("--max-future", "3650d").maxFuture).isEqualTo(java.time.Duration.ofDays(3_650));
            assertThatThrownBy(() -> parse("--max-future", "3651d")).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--max-future").hasMessageContaining("must be at most 3650d");
        }

        @Test
        void nonNegativeDurations() {
            for (String setting : List.of("--out-of-orderness", "--allowed-lateness", "--max-future")) {
                failsOnCommandLine(setting, setting, "PT-1S");
                assertThat(parse(setting, "0s")).isNotNull();
            }
        }

        @Test
        void granularityMustDivideWindowSize() {
            failsOnCommandLine("--watermark-granularity", "--window-size", "15m", "--watermark-granularity", "7s");
            failsOnCommandLine("--watermark-granularity", "--window-size", "1m", "--watermark-granularity", "2m");
            assertThat(parse("--window-size", "15m", "--watermark-granularity", "1m").watermarkGranularity)
                    .isEqualTo(Duration.ofMinutes(1));
            assertThat(parse("--window-size", "15m", "--watermark-granularity", "15m")).isNotNull();
            assertThat(parse("--window-size", "1m", "--watermark-granularity", "500ms")).isNotNull();
        }

        @Test
        void granularityDividingViaEnvironmentNamesTheVariable() {
            assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_WATERMARK_GRANULARITY", "7s")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--watermark-granularity")
                    .hasMessageContaining("SENSORFLOW_WATERMARK_GRANULARITY");
        }

        @Test
        void subMillisecondGranularityIsAConfigException() {
            // 0.5 ms is "longer than zero" but zero whole milliseconds: it must be refused as a setting,
            // not fail later with a division by zero.
            failsOnCommandLine("--watermark-granularity", "--watermark-granularity", "PT0.0005S");
        }

        @Test
        void subMillisecondWindowSizeIsAConfigException() {
            failsOnCommandLine("--window-size", "--window-size", "PT0.0005S");
        }

        @Test
        void transactionTimeoutMustBeLongerThanCheckpointInterval() {
            failsOnCommandLine("--kafka-transaction-timeout", "--kafka-transaction-timeout", "1m", "--checkpoint-interval", "1m");
            failsOnCommandLine("--kafka-transaction-timeout", "--kafka-transaction-timeout", "1m", "--checkpoint-interval", "2m");
            failsOnCommandLine("--kafka-transaction-timeout", "--checkpoint-interval", "10m");
            assertThat(parse("--kafka-transaction-timeout", "61s", "--checkpoint-interval", "1m")).isNotNull();
        }

        @Test
        void integerMinimums() {
            failsOnCommandLine("--topic-partitions", "--topic-partitions", "0");
            failsOnCommandLine("--jdbc-batch-size", "--jdbc-batch-size", "0");
            failsOnCommandLine("--jdbc-max-retries", "--jdbc-max-retries", "-1");
            failsOnCommandLine("--batch-max-buffered", "--batch-max-buffered", "0");
            failsOnCommandLine("--parallelism", "--parallelism", "0");
            failsOnCommandLine("--parallelism", "--parallelism", "-2");
            assertThat(parse("--jdbc-max-retries", "0").jdbcMaxRetries).isZero();
            assertThat(parse("--topic-partitions", "1").topicPartitions).isEqualTo(1);
            assertThat(parse("--parallelism", "1").parallelism).isEqualTo(1);
        }

        @Test
        void notBlank() {
            for (String setting : List.of("--kafka-bootstrap-servers", "--readings-topic", "--dead-letter-topic",
                    "--consumer-group", "--transactional-id-prefix")) {
                failsOnCommandLine(setting, setting, "");
                failsOnCommandLine(setting, setting, "   ");
            }
        }

        @Test
        void blankViaEnvironment() {
            assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_READINGS_TOPIC", "")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--readings-topic")
                    .hasMessageContaining("SENSORFLOW_READINGS_TOPIC");
        }

        @Test
        void jdbcUrlMustBePostgres() {
            failsOnCommandLine("--jdbc-url", "--jdbc-url", "jdbc:mysql://db:3306/x");
            failsOnCommandLine("--jdbc-url", "--jdbc-url", "postgresql://db:5432/x");
            failsOnCommandLine("--jdbc-url", "--jdbc-url", "");
            assertThat(parse("--jdbc-url", "jdbc:postgresql://db:5432/x?sslmode=require").jdbcUrl)
                    .isEqualTo("jdbc:postgresql://db:5432/x?sslmode=require");
        }

        @Test
        void ranges() {
            for (String setting : List.of("--temperature-range", "--humidity-range", "--distance-range")) {
                failsOnCommandLine(setting, setting, "5..1");
                failsOnCommandLine(setting, setting, "abc");
                failsOnCommandLine(setting, setting, "1..");
                failsOnCommandLine(setting, setting, "1-5");
            }
            JobConfig c = parse("--temperature-range", "-10..50", "--humidity-range", "20..80", "--distance-range", "2.5..399.5");
            assertThat(c.ranges().temperature.min).isEqualTo(-10.0);
            assertThat(c.ranges().temperature.max).isEqualTo(50.0);
            assertThat(c.ranges().humidity.min).isEqualTo(20.0);
            assertThat(c.ranges().humidity.max).isEqualTo(80.0);
            assertThat(c.ranges().distanceCm.min).isEqualTo(2.5);
            assertThat(c.ranges().distanceCm.max).isEqualTo(399.5);
        }

        @Test
        void badRangeMessageShowsTheValue() {
            assertThatThrownBy(() -> parse("--temperature-range", "abc"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--temperature-range")
                    .hasMessageContaining("abc");
        }
    }

    // ------------------------------------------------------------------------------------------
    @Nested
    class Rules {

        @Test
        void theBuiltInRulesByDefaultAndNoneWithNoAlerts() {
            assertThat(parse().rules().rules()).extracting(r -> r.id()).containsExactly(
                    "sensor-silence", "temperature-extreme-run", "obstacle-close-run", "temperature-rapid-rise");
            assertThat(parse("--no-alerts").rules().rules()).isEmpty();
        }

        @Test
        void aRuleFileOfOnesOwn() throws IOException {
            Path rules = dir.resolve("site-rules.yaml");
            Files.writeString(rules, "version: 1\nrules:\n  - {id: quiet, kind: silence, severity: info, after: 2m}\n");
            assertThat(parse("--rules", rules.toString()).rules().rules()).extracting(r -> r.id()).containsExactly("quiet");
        }

        @Test
        void aWrongRuleFileStopsTheJobNamingTheFileTheRuleAndTheField() throws IOException {
            Path rules = dir.resolve("site-rules.yaml");
            Files.writeString(rules, "version: 1\nrules:\n"
                    + "  - {id: hot, kind: sequence, severity: critical, metric: temperature, above: 70, count: 1, within: 1m}\n");
            assertThatThrownBy(() -> parse("--rules", rules.toString()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--rules")
                    .hasMessageContaining("site-rules.yaml")
                    .hasMessageContaining("rules[0] (id 'hot')")
                    .hasMessageContaining("'count'");
        }

        @Test
        void aMissingRuleFileSaysSo() {
            assertThatThrownBy(() -> parse("--rules", dir.resolve("nowhere.yaml").toString()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--rules")
                    .hasMessageContaining("nowhere.yaml");
        }
    }
}
