package io.sensorflow.job.sink;

import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * A Kafka topic written in transactions that commit with each checkpoint: a consumer reading
 * with isolation.level=read_committed sees every record once, also after a failure and restart.
 */
public final class TransactionalTopicSink {

    private TransactionalTopicSink() {}

    public static <T> KafkaSink<T> create(
            String bootstrapServers, Properties kafkaProperties, KafkaRecordSerializationSchema<T> records,
            String transactionalIdPrefix, long transactionTimeoutMs) {
        Properties producer = new Properties();
        producer.putAll(kafkaProperties);
        // Must not exceed the broker's transaction.max.timeout.ms (15 minutes by default).
        producer.setProperty("transaction.timeout.ms", Long.toString(transactionTimeoutMs));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(records)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }
}
