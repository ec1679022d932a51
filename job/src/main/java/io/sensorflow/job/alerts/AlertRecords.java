package io.sensorflow.job.alerts;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts as Kafka records, keyed by sensor id. The record is stamped with the time of detection,
 * never with the element's timestamp: that is event time, which may be old enough to fall under
 * the topic's retention, and is not a valid Kafka timestamp when it is Long.MAX_VALUE.
 */
public final class AlertRecords implements KafkaRecordSerializationSchema<Alert> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public AlertRecords(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Alert a, KafkaSinkContext context, Long timestamp) {
        long stamp = a.detectedAt > 0 ? a.detectedAt : System.currentTimeMillis();
        return new ProducerRecord<>(topic, null, stamp, a.sensorId.getBytes(StandardCharsets.UTF_8), AlertJson.toJson(a));
    }
}
