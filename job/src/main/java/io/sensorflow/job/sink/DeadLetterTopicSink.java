package io.sensorflow.job.sink;

import io.sensorflow.job.deadletter.DeadLetter;
import io.sensorflow.job.deadletter.DeadLetterRecords;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/** The dead-letter topic, written in Kafka transactions that commit with each checkpoint. */
public final class DeadLetterTopicSink {

    private DeadLetterTopicSink() {}

    public static KafkaSink<DeadLetter> create(
            String bootstrapServers, Properties kafkaProperties, String topic, String transactionalIdPrefix,
            long transactionTimeoutMs) {
        Properties producer = new Properties();
        producer.putAll(kafkaProperties);
        // Must not exceed the broker's transaction.max.timeout.ms (15 minutes by default).
        producer.setProperty("transaction.timeout.ms", Long.toString(transactionTimeoutMs));
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(new DeadLetterRecords(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }
}
