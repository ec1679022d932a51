package io.sensorflow.job.source;

import io.sensorflow.job.config.JobConfig;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.ReadingValidator;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Where readings enter the job: the readings topic, parsed and validated record by record. */
public final class KafkaReadingSource {

    private KafkaReadingSource() {}

    public static KafkaSource<Reading> create(JobConfig config) {
        ReadingValidator validator = new ReadingValidator(config.ranges(), config.maxFuture.toMillis());
        var builder = KafkaSource.<Reading>builder()
                .setBootstrapServers(config.kafkaBootstrapServers)
                .setProperties(config.kafkaClientProperties())
                .setTopics(config.readingsTopic)
                .setGroupId(config.consumerGroup)
                .setStartingOffsets(startingOffsets(config.startingOffsets))
                .setDeserializer(new ReadingDeserializer(validator))
                // Offsets are committed on checkpoints, for monitoring; the checkpoint is the truth.
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("client.id.prefix", config.consumerGroup + "-readings");
        if (config.bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    private static OffsetsInitializer startingOffsets(JobConfig.StartingOffsets which) {
        switch (which) {
            case earliest:
                return OffsetsInitializer.earliest();
            case latest:
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }
}
