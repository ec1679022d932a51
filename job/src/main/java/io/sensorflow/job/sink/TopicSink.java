package io.sensorflow.job.sink;

import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * A Kafka topic sink. Exactly once: records are written in transactions that commit with each
 * checkpoint, so a consumer reading with isolation.level=read_committed sees every record once,
 * also after a failure and restart, but only once the checkpoint completes. At least once: records
 * are readable as soon as the broker has them; after a restart those since the last checkpoint
 * are written again.
 *
 * <p>Exactly once, a restore commits the restored transactions again, and the connector reports those
 * committed before the failure as fenced, with "data loss" in an ERROR: {@link KafkaSinkExplainingRecommits}
 * says at the restore why, and how to tell that from a real loss.
 */
public final class TopicSink {

    private TopicSink() {}

    public static <T> Sink<T> create(
            String bootstrapServers, Properties kafkaProperties, KafkaRecordSerializationSchema<T> records,
            DeliveryGuarantee guarantee, String transactionalIdPrefix, long transactionTimeoutMs) {
        Properties producer = new Properties();
        producer.putAll(kafkaProperties);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            // Must not exceed the broker's transaction.max.timeout.ms (15 minutes by default).
            producer.setProperty("transaction.timeout.ms", Long.toString(transactionTimeoutMs));
        }
        KafkaSink<T> sink = KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(records)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
        return guarantee == DeliveryGuarantee.EXACTLY_ONCE
                ? new KafkaSinkExplainingRecommits<>(sink, transactionalIdPrefix, transactionTimeoutMs)
                : sink;
    }
}
