package io.sensorflow.job.source;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.ReadingParser;
import io.sensorflow.job.readings.ReadingValidator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each Kafka record into a {@link Reading}, valid or rejected, and never throws.
 *
 * <p>Parsing and validation happen here, inside the source, because the source assigns event
 * times and watermarks per Kafka partition: a reading too far in the future must be rejected
 * before it can push its partition's watermark ahead.
 */
public final class ReadingDeserializer implements KafkaRecordDeserializationSchema<Reading> {

    private static final long serialVersionUID = 1L;
    private static final byte[] NO_BYTES = new byte[0];

    /** Readings between two reads of the wall clock: the future check needs seconds, not nanoseconds. */
    private static final int CLOCK_EVERY = 1024;

    private final ReadingValidator validator;
    private transient long now;
    private transient int untilClock;

    public ReadingDeserializer(ReadingValidator validator) {
        this.validator = validator;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Reading> out) {
        if (--untilClock < 0) {
            now = System.currentTimeMillis();
            untilClock = CLOCK_EVERY;
        }
        Reading reading = ReadingParser.parse(record.value());
        validator.validate(reading, now);
        reading.sourceTopic = record.topic();
        reading.sourcePartition = record.partition();
        reading.sourceOffset = record.offset();
        reading.receivedAt = record.timestamp();
        if (!reading.isValid()) {
            reading.payload = record.value() == null ? NO_BYTES : record.value();
        }
        out.collect(reading);
    }

    @Override
    public TypeInformation<Reading> getProducedType() {
        return TypeInformation.of(Reading.class);
    }
}
