package io.sensorflow.job.sink;

import io.sensorflow.job.aggregate.ReadingBatch;
import io.sensorflow.job.archive.ArchiveSink;

import io.sensorflow.job.aggregate.SensorWindowAggregate;
import io.sensorflow.job.alerts.Alert;
import io.sensorflow.job.alerts.AlertRecords;
import io.sensorflow.job.deadletter.DeadLetterRecords;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.deadletter.DeadLetter;
import io.sensorflow.job.late.LateReading;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Where the job's outputs go. Tests pass their own; {@link #create} makes the production ones. */
public final class PipelineSinks {

    public final Sink<SensorWindowAggregate> aggregates;
    public final Sink<DeadLetter> deadLetterTopic;
    public final Sink<DeadLetter> deadLetterTable;
    public final Sink<LateReading> lateReadings;
    public final Sink<Alert> alertsTopic;
    /** The sensor_alerts table: FIRING alerts, and RESOLVED ones. */
    public final Sink<Alert> firingAlertsTable;
    public final Sink<Alert> resolvedAlertsTable;
    /** What the topics take, which bounds what the job writes to them. */
    public final RecordLimits limits;
    /** Every accepted reading as Parquet files ({@link io.sensorflow.job.archive.ArchiveSink}); null: no archive. */
    public final Sink<ReadingBatch> archive;

    /** Sinks whose topics take what Kafka takes by default ({@link RecordLimits#kafkaDefaults()}). */
    public PipelineSinks(Sink<SensorWindowAggregate> aggregates, Sink<DeadLetter> deadLetterTopic,
            Sink<DeadLetter> deadLetterTable, Sink<LateReading> lateReadings, Sink<Alert> alertsTopic,
            Sink<Alert> firingAlertsTable, Sink<Alert> resolvedAlertsTable) {
        this(aggregates, deadLetterTopic, deadLetterTable, lateReadings, alertsTopic, firingAlertsTable,
                resolvedAlertsTable, RecordLimits.kafkaDefaults());
    }

    public PipelineSinks(Sink<SensorWindowAggregate> aggregates, Sink<DeadLetter> deadLetterTopic,
            Sink<DeadLetter> deadLetterTable, Sink<LateReading> lateReadings, Sink<Alert> alertsTopic,
            Sink<Alert> firingAlertsTable, Sink<Alert> resolvedAlertsTable, RecordLimits limits) {
        this(aggregates, deadLetterTopic, deadLetterTable, lateReadings, alertsTopic, firingAlertsTable,
                resolvedAlertsTable, limits, null);
    }

    public PipelineSinks(Sink<SensorWindowAggregate> aggregates, Sink<DeadLetter> deadLetterTopic,
            Sink<DeadLetter> deadLetterTable, Sink<LateReading> lateReadings, Sink<Alert> alertsTopic,
            Sink<Alert> firingAlertsTable, Sink<Alert> resolvedAlertsTable, RecordLimits limits,
            Sink<ReadingBatch> archive) {
        this.archive = archive;
        this.aggregates = aggregates;
        this.deadLetterTopic = deadLetterTopic;
        this.deadLetterTable = deadLetterTable;
        this.lateReadings = lateReadings;
        this.alertsTopic = alertsTopic;
        this.firingAlertsTable = firingAlertsTable;
        this.resolvedAlertsTable = resolvedAlertsTable;
        this.limits = limits;
    }

    /** The production sinks, bounded by the limits their topics have now ({@link RecordLimits#read}). */
    public static PipelineSinks create(JobConfig config) {
        RecordLimits limits = RecordLimits.read(config);
        JdbcSettings jdbc = new JdbcSettings(config.jdbcUrl, config.jdbcUser, config.jdbcPassword,
                config.jdbcBatchSize, config.jdbcFlushInterval.toMillis(), config.jdbcMaxRetries);
        return new PipelineSinks(
                PostgresSinks.aggregates(jdbc),
                TopicSink.create(config.kafkaBootstrapServers, config.kafkaClientProperties(),
                        new DeadLetterRecords(config.deadLetterTopic, limits.deadLetterTopicBytes()), DeliveryGuarantee.EXACTLY_ONCE,
                        config.transactionalIdPrefix + "-dead-letters",
                        config.kafkaTransactionTimeout.toMillis()),
                PostgresSinks.deadLetters(jdbc),
                PostgresSinks.lateReadings(jdbc),
                TopicSink.create(config.kafkaBootstrapServers, config.kafkaClientProperties(),
                        new AlertRecords(config.alertsTopic), config.alertsDelivery.guarantee,
                        config.transactionalIdPrefix + "-alerts",
                        config.kafkaTransactionTimeout.toMillis()),
                PostgresSinks.alerts(jdbc, false),
                PostgresSinks.alerts(jdbc, true),
                limits,
                config.archive() == null ? null : ArchiveSink.create(config.archive()));
    }
}
