package io.sensorflow.job.deadletter;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Dead letters as Kafka records: keyed by sensor id when known, stamped with the time they are written. */
public final class DeadLetterRecords implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int maxValueBytes;

    /** {@code maxRecordBytes}: the topic's record limit ({@link io.sensorflow.job.sink.RecordLimits}). */
    public DeadLetterRecords(String topic, int maxRecordBytes) {
        this.topic = topic;
        this.maxValueBytes = maxRecordBytes - io.sensorflow.job.sink.RecordLimits.RECORD_OVERHEAD_BYTES;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        byte[] key = d.sensorId == null ? null : d.sensorId.getBytes(StandardCharsets.UTF_8);
        // A null timestamp lets the producer use the current time: the reading's own time may be
        // old enough to fall under the topic's retention at once.
        return new ProducerRecord<>(topic, null, null, key, DeadLetterJson.toJson(d, maxValueBytes));
    }
}
