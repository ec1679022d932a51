package io.sensorflow.job;

import io.sensorflow.job.aggregate.AggregateSensorWindows;
import io.sensorflow.job.aggregate.BatchReadingsBySensorWindow;
import io.sensorflow.job.aggregate.ReadingBatch;
import io.sensorflow.job.aggregate.SensorWindowAggregate;
import io.sensorflow.job.config.ConfigException;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.deadletter.DeadLetter;
import io.sensorflow.job.deadletter.SplitOffRejected;
import io.sensorflow.job.late.LateReading;
import io.sensorflow.job.alerts.Alert;
import io.sensorflow.job.alerts.AlertLifecycle;
import io.sensorflow.job.alerts.MatchToAlert;
import io.sensorflow.job.alerts.MatchToResolution;
import io.sensorflow.job.alerts.MatchToSilenceAlert;
import io.sensorflow.job.alerts.SelectAlertCandidates;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.cep.CompiledRule;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.RulePatterns;
import io.sensorflow.rules.cep.SilenceEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import io.sensorflow.job.sink.PipelineSinks;
import io.sensorflow.job.source.KafkaReadingSource;
import io.sensorflow.job.source.KafkaTopics;
import io.sensorflow.job.source.ReadingWatermarks;
import io.sensorflow.sql.SchemaMigrator;
import java.io.PrintWriter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The sensorflow job: readings from Kafka, validated, aggregated per sensor in event-time windows
 * and upserted into PostgreSQL, and checked against the alert rules, whose alerts go to Kafka and
 * PostgreSQL. {@link #build} assembles the whole pipeline, top to bottom.
 */
public final class SensorJob {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SensorJob.class);

    private final JobConfig config;
    private final Source<Reading, ?, ?> source;
    private final PipelineSinks sinks;

    public SensorJob(JobConfig config, Source<Reading, ?, ?> source, PipelineSinks sinks) {
        this.config = config;
        this.source = source;
        this.sinks = sinks;
    }

    public static void main(String[] args) throws Exception {
        // A wrong setting is thrown, not System.exit: submitted through the REST API or the web UI,
        // main() runs inside the JobManager, and exiting would take the JobManager down with it.
        JobConfig config = JobConfig.parse(args, System.getenv(), new PrintWriter(System.out, true));
        if (config == null) {
            return; // --help or --version
        }
        prepareExternalSystems(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config);
        new SensorJob(config, KafkaReadingSource.create(config), PipelineSinks.create(config)).build(env);
        env.execute(config.jobName);
    }

    /** What must exist before the job can run: the schema and the topics. */
    public static void prepareExternalSystems(JobConfig config) throws InterruptedException {
        migrateSchema(config);
        createTopics(config);
    }

    /** The PostgreSQL half of {@link #prepareExternalSystems}, for callers that start PostgreSQL and Kafka apart. */
    public static void migrateSchema(JobConfig config) {
        if (config.dbMigrate) {
            SchemaMigrator.migrate(config.jdbcUrl, config.jdbcUser, config.jdbcPassword);
        }
    }

    /** The Kafka half of {@link #prepareExternalSystems}. */
    public static void createTopics(JobConfig config) throws InterruptedException {
        if (config.createTopics) {
            KafkaTopics.ensure(config.kafkaBootstrapServers, config.kafkaClientProperties(), config.topicPartitions,
                    config.readingsTopic, config.deadLetterTopic, config.alertsTopic);
        }
    }

    /** Job-level runtime settings: checkpointing, and how records travel between operators. */
    public static void configure(StreamExecutionEnvironment env, JobConfig config) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        String checkpointDir = checkpointDirectory(env, config);
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        // The watermark moves in steps of --watermark-granularity; emitted less often than that, it
        // would add up to the emit interval (200 ms by default) to every alert.
        if (config.watermarkGranularity.compareTo(PipelineOptions.AUTO_WATERMARK_INTERVAL.defaultValue()) < 0) {
            conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, config.watermarkGranularity);
        }
        // Operators here never keep a record after passing it on, so chained operators may share it.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // Every record type has a Flink serializer; a Kryo fallback would be a silent slowdown.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf, SensorJob.class.getClassLoader());
        if (config.parallelism != null) {
            env.setParallelism(config.parallelism);
        }
    }

    /**
     * Where checkpoints go: {@code --checkpoint-dir}, else the cluster's own setting (null: the job
     * sets none). With neither, Flink would keep them in the JobManager's memory, at most 5 MB of
     * state, which this job outgrows: then a job run as a plain Java program (a local environment)
     * gets a directory under {@code java.io.tmpdir}, said in the log, and a job given to a cluster is
     * refused, naming the setting.
     */
    static String checkpointDirectory(StreamExecutionEnvironment env, JobConfig config) {
        if (config.checkpointDir != null) {
            return config.checkpointDir;
        }
        if (env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isPresent()
                || env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINT_STORAGE).isPresent()) {
            return null; // the cluster's choice
        }
        if (!(env instanceof LocalStreamEnvironment)) {
            throw new ConfigException("--checkpoint-dir is not set, nor the cluster's execution.checkpointing.dir:"
                    + " Flink would keep checkpoints in the JobManager's memory, which holds at most 5 MB of state,"
                    + " and this job's state grows with its sensors. Give --checkpoint-dir (e.g. s3://bucket/checkpoints)"
                    + " or set execution.checkpointing.dir in the cluster's configuration.");
        }
        String dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "sensorflow-checkpoints", config.jobName)
                .toUri().toString();
        LOG.info("No --checkpoint-dir and no execution.checkpointing.dir: checkpoints go to {} (give --checkpoint-dir"
                + " to choose; the JobManager's memory would hold at most 5 MB of state)", dir);
        return dir;
    }

    /** Source → validate → batch per sensor window → aggregate per sensor → sinks; on-time readings → alerts. */
    public void build(StreamExecutionEnvironment env) {
        long windowSize = config.windowSize.toMillis();
        long lateness = config.allowedLateness.toMillis();
        List<Rule> alertRules = config.rules().rules();

        DataStream<Reading> readings = env
                .fromSource(source, ReadingWatermarks.strategy(
                        config.outOfOrderness, config.watermarkGranularity, config.idleTimeout), "Kafka readings")
                .uid("kafka-readings");

        SingleOutputStreamOperator<Reading> valid = readings
                .process(new SplitOffRejected(windowSize, sinks.limits.deadLetterWholePayloadBytes()))
                .name("Split off rejected readings")
                .uid("split-off-rejected");

        SingleOutputStreamOperator<ReadingBatch> batches = valid
                .transform("Batch readings by sensor window", TypeInformation.of(ReadingBatch.class),
                        new BatchReadingsBySensorWindow(windowSize, lateness,
                                config.outOfOrderness.toMillis(), config.watermarkGranularity.toMillis(),
                                config.batchMaxBuffered, !alertRules.isEmpty()))
                .uid("batch-readings-by-sensor-window");

        SingleOutputStreamOperator<SensorWindowAggregate> aggregates = batches
                .keyBy(batch -> batch.sensorId, Types.STRING)
                .process(new AggregateSensorWindows(windowSize, lateness,
                        sinks.archive == null ? null : config.archive().layout()))
                .name("Aggregate sensor windows")
                .uid("aggregate-sensor-windows");

        aggregates.sinkTo(sinks.aggregates).name("PostgreSQL sensor_aggregates").uid("sink-sensor-aggregates");
        if (sinks.archive != null) {
            aggregates.getSideOutput(AggregateSensorWindows.ARCHIVE)
                    .sinkTo(sinks.archive).name("Archive (Parquet)").uid("sink-archive");
        }

        DataStream<DeadLetter> deadLetters = valid.getSideOutput(SplitOffRejected.DEAD_LETTERS);
        deadLetters.sinkTo(sinks.deadLetterTopic).name("Kafka dead-letter topic").uid("sink-dead-letter-topic");
        deadLetters.sinkTo(sinks.deadLetterTable).name("PostgreSQL dead_letters").uid("sink-dead-letter-table");

        DataStream<LateReading> late = batches.getSideOutput(BatchReadingsBySensorWindow.LATE_READINGS);
        late.sinkTo(sinks.lateReadings).name("PostgreSQL late_readings").uid("sink-late-readings");

        if (!alertRules.isEmpty()) {
            DataStream<Alert> alerts = alerts(batches.getSideOutput(BatchReadingsBySensorWindow.ON_TIME_READINGS), alertRules);
            alerts.sinkTo(sinks.alertsTopic).name("Kafka alerts topic").uid("sink-alerts-topic");
            alerts.filter(a -> a.status.equals(Alert.FIRING)).name("FIRING").uid("firing-alerts")
                    .sinkTo(sinks.firingAlertsTable).name("PostgreSQL sensor_alerts (FIRING)").uid("sink-firing-alerts-table");
            alerts.filter(a -> a.status.equals(Alert.RESOLVED)).name("RESOLVED").uid("resolved-alerts")
                    .sinkTo(sinks.resolvedAlertsTable).name("PostgreSQL sensor_alerts (RESOLVED)")
                    .uid("sink-resolved-alerts-table");
        }
    }

    /**
     * On-time readings → the few each rule can act on → per rule: CEP (sequence, rise: a pattern
     * that fires, one that resolves, and their episodes' life; silence: one pattern over the
     * selector's silence events, which fires and resolves) → one
     * stream of alerts. Every rule's operators have uids made of its id and
     * definition, so a restart from a savepoint keeps the state of the rules that did not change.
     */
    private DataStream<Alert> alerts(DataStream<Reading> onTime, List<Rule> rules) {
        List<Rule> patternRules = new ArrayList<>();
        List<SilenceRule> silences = new ArrayList<>();
        for (Rule rule : rules) {
            if (CompiledRule.compiles(rule)) {
                patternRules.add(rule);
            } else {
                silences.add((SilenceRule) rule);
            }
        }
        SingleOutputStreamOperator<SilenceEvent> selected = onTime
                .transform("Select alert candidates", TypeInformation.of(SilenceEvent.class),
                        new SelectAlertCandidates(patternRules, silences, config.forgetSensorAfter.toMillis(),
                                config.sensorCountWarning))
                .uid("select-alert-candidates");

        List<DataStream<Alert>> perRule = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule instanceof SilenceRule silence) {
                // One event per silence start or end, not per reading: the pattern decides with the rule's after.
                perRule.add(CEP.pattern(selected.keyBy(e -> e.sensorId, Types.STRING),
                                RulePatterns.silenceOverQuiet(silence, silences.indexOf(silence)))
                        .inEventTime()
                        .process(new MatchToSilenceAlert(silence), TypeInformation.of(Alert.class))
                        .name("CEP silence: " + rule.id())
                        .uid(CompiledRule.silenceUid(silence)));
            } else {
                DataStream<RuleEvent> picks = selected.getSideOutput(SelectAlertCandidates.ruleOutput(rule));
                KeyedStream<RuleEvent, String> candidates = picks.keyBy(e -> e.sensorId, Types.STRING);
                CompiledRule compiled = CompiledRule.of(rule);
                String kind = rule.kind();
                // The firing pattern gets only the events that can change its matches (chained, before the network).
                KeyedStream<RuleEvent, String> firingCandidates = picks
                        .filter(RulePatterns.firingInput((EpisodeRule) rule))
                        .name("Firing input: " + rule.id()).uid(CompiledRule.patternUid(rule) + "-input")
                        .keyBy(e -> e.sensorId, Types.STRING);
                DataStream<Alert> matches = CEP.pattern(firingCandidates, compiled.pattern())
                        .inEventTime()
                        .process(new MatchToAlert(rule), TypeInformation.of(Alert.class))
                        .name("CEP " + kind + ": " + rule.id())
                        .uid(CompiledRule.patternUid(rule));
                // Fired and resolved episodes, each once: FIRING, no repeat while open, RESOLVED, cooldown.
                EpisodeRule episodes = (EpisodeRule) rule;
                DataStream<Alert> resolutions = CEP.pattern(candidates, compiled.resolution())
                        .inEventTime()
                        .process(new MatchToResolution(episodes), TypeInformation.of(Alert.class))
                        .name("CEP " + kind + " resolved: " + rule.id())
                        .uid(CompiledRule.resolutionUid(episodes));
                perRule.add(matches.union(resolutions)
                        .keyBy(a -> a.sensorId, Types.STRING)
                        .process(new AlertLifecycle(episodes, config.forgetSensorAfter), TypeInformation.of(Alert.class))
                        .name("Alert lifecycle: " + rule.id())
                        .uid(CompiledRule.lifecycleUid(rule)));
            }
        }
        DataStream<Alert> all = perRule.get(0);
        for (int i = 1; i < perRule.size(); i++) {
            all = all.union(perRule.get(i));
        }
        return all;
    }
}
