package io.sensorflow.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.sensorflow.job.readings.PhysicalRanges;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.ReadingValidator;
import io.sensorflow.job.readings.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ReadingDeserializerTest {

    private static final long TEN_MINUTES = 600_000L;
    /** 2026-11-21T08:15:04Z, the Kafka record timestamp of these tests. */
    private static final long KAFKA_TIME = 1_795_248_904_000L;

    private final ReadingDeserializer deserializer =
            new ReadingDeserializer(new ReadingValidator(PhysicalRanges.DEFAULTS, TEN_MINUTES));

    static final class ListCollector implements Collector<Reading> {
        final List<Reading> out = new ArrayList<>();

        @Override
        public void collect(Reading record) {
            out.add(record);
        }

        @Override
        public void close() {}
    }

    static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestamp, byte[] value) {
        return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME,
                0, value == null ? -1 : value.length, null, value, new RecordHeaders(), Optional.empty());
    }

    Reading deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception {
        ListCollector c = new ListCollector();
        deserializer.deserialize(record, c);
        assertThat(c.out).hasSize(1);
        return c.out.get(0);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validReadingCarriesItsSourceAndNoPayload() throws Exception {
        // an event time in the past of any test run
        byte[] value = utf8("{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2025-11-21T08:00:00Z\",\"temperature\":21.4,"
                + "\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231}");
        Reading r = deserialize(record("sensor-readings", 3, 18_231L, KAFKA_TIME, value));
        assertThat(r.isValid()).isTrue();
        assertThat(r.sensorId).isEqualTo("greenhouse-01");
        assertThat(r.eventTime).isEqualTo(1_763_712_000_000L);
        assertThat(r.temperature).isEqualTo(21.4);
        assertThat(r.seq).isEqualTo(18231L);
        assertThat(r.sourceTopic).isEqualTo("sensor-readings");
        assertThat(r.sourcePartition).isEqualTo(3);
        assertThat(r.sourceOffset).isEqualTo(18_231L);
        assertThat(r.receivedAt).isEqualTo(KAFKA_TIME);
        assertThat(r.payload).as("payload is kept only for rejected readings").isNull();
    }

    @Test
    void seedPayloadThroughTheDeserializer() throws Exception {
        byte[] value = utf8("{\"device_id\": \"device_1\", \"temperature\": 22.5, \"humidity\": 55.0, \"timestamp\": 1763712000}");
        Reading r = deserialize(record("sensor-readings", 0, 0L, KAFKA_TIME, value));
        assertThat(r.isValid()).isTrue();
        assertThat(r.sensorId).isEqualTo("device_1");
        assertThat(r.eventTime).isEqualTo(1_763_712_000_000L);
        assertThat(r.payload).isNull();
    }

    @Test
    void rejectedReadingKeepsTheExactBytes() throws Exception {
        byte[] value = utf8("not json at all");
        Reading r = deserialize(record("readings-b", 7, 99L, KAFKA_TIME, value));
        assertThat(r.rejectReason).isEqualTo(RejectReason.NOT_JSON);
        assertThat(r.sourceTopic).isEqualTo("readings-b");
        assertThat(r.sourcePartition).isEqualTo(7);
        assertThat(r.sourceOffset).isEqualTo(99L);
        assertThat(r.receivedAt).isEqualTo(KAFKA_TIME);
        assertThat(r.payload).isEqualTo(utf8("not json at all"));
    }

    @Test
    void rejectedReadingWithoutTimeHasNoEventTime() throws Exception {
        Reading r = deserialize(record("sensor-readings", 0, 1L, KAFKA_TIME, utf8("not json at all")));
        assertThat(r.hasEventTime()).isFalse();
        assertThat(r.eventTime).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void invalidUtf8KeepsTheExactBytes() throws Exception {
        byte[] value = {'{', '"', 's', 'e', 'n', 's', 'o', 'r', '_', 'i', 'd', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
        Reading r = deserialize(record("sensor-readings", 0, 5L, KAFKA_TIME, value));
        assertThat(r.rejectReason).isEqualTo(RejectReason.NOT_JSON);
        assertThat(r.payload).isEqualTo(new byte[] {'{', '"', 's', 'e', 'n', 's', 'o', 'r', '_', 'i', 'd', '"', ':', '"',
            (byte) 0xFF, (byte) 0xFE, '"', '}'});
    }

    @Test
    void nullValueIsAnEmptyPayloadDeadLetter() throws Exception {
        Reading r = deserialize(record("sensor-readings", 2, 10L, KAFKA_TIME, null));
        assertThat(r.rejectReason).isEqualTo(RejectReason.EMPTY_PAYLOAD);
        assertThat(r.payload).isNotNull().isEmpty();
        assertThat(r.sourceTopic).isEqualTo("sensor-readings");
        assertThat(r.sourcePartition).isEqualTo(2);
        assertThat(r.sourceOffset).isEqualTo(10L);
        assertThat(r.receivedAt).isEqualTo(KAFKA_TIME);
    }

    @Test
    void nullValueWithTheShortConstructor() throws Exception {
        Reading r = deserialize(new ConsumerRecord<>("sensor-readings", 1, 11L, null, null));
        assertThat(r.rejectReason).isEqualTo(RejectReason.EMPTY_PAYLOAD);
        assertThat(r.payload).isNotNull().isEmpty();
        assertThat(r.sourceOffset).isEqualTo(11L);
    }

    @Test
    void emptyValueIsAnEmptyPayloadDeadLetter() throws Exception {
        Reading r = deserialize(record("sensor-readings", 0, 12L, KAFKA_TIME, new byte[0]));
        assertThat(r.rejectReason).isEqualTo(RejectReason.EMPTY_PAYLOAD);
        assertThat(r.payload).isNotNull().isEmpty();
    }

    @Test
    void validationRunsInTheDeserializer() throws Exception {
        Reading hot = deserialize(record("sensor-readings", 0, 13L, KAFKA_TIME,
                utf8("{\"sensor_id\":\"s\",\"ts\":\"2025-11-21T08:00:00Z\",\"temperature\":126}")));
        assertThat(hot.rejectReason).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(hot.payload).isEqualTo(utf8("{\"sensor_id\":\"s\",\"ts\":\"2025-11-21T08:00:00Z\",\"temperature\":126}"));

        // 2100-01-01: far beyond the wall clock of any test run plus ten minutes
        Reading future = deserialize(record("sensor-readings", 0, 14L, KAFKA_TIME,
                utf8("{\"sensor_id\":\"s\",\"ts\":\"2100-01-01T00:00:00Z\",\"temperature\":20}")));
        assertThat(future.rejectReason).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        assertThat(future.sensorId).isEqualTo("s");
        assertThat(future.payload).isNotNull();
    }

    @Test
    void everyRecordGivesExactlyOneReading() throws Exception {
        List<byte[]> values = List.of(
                utf8("{\"sensor_id\":\"a\",\"ts\":1763712000,\"temperature\":20}"),
                utf8("{\"sensor_id\":\"a\",\"ts\":1763712000}"),
                utf8("{}"),
                utf8("["),
                new byte[0]);
        ListCollector c = new ListCollector();
        long offset = 100;
        for (byte[] v : values) {
            deserializer.deserialize(record("sensor-readings", 0, offset++, KAFKA_TIME, v), c);
        }
        deserializer.deserialize(record("sensor-readings", 0, offset, KAFKA_TIME, null), c);
        assertThat(c.out).hasSize(6);
        assertThat(c.out).extracting(r -> r.sourceOffset).containsExactly(100L, 101L, 102L, 103L, 104L, 105L);
        assertThat(c.out).extracting(r -> r.rejectReason).containsExactly(null, RejectReason.NO_MEASUREMENT,
                RejectReason.MISSING_SENSOR_ID, RejectReason.NOT_JSON, RejectReason.EMPTY_PAYLOAD, RejectReason.EMPTY_PAYLOAD);
    }

    @Test
    void neverThrowsOnRandomBytes() {
        Random random = new Random(99L);
        ListCollector c = new ListCollector();
        for (int i = 0; i < 3_000; i++) {
            byte[] value = new byte[random.nextInt(200)];
            random.nextBytes(value);
            ConsumerRecord<byte[], byte[]> rec = record("t", random.nextInt(16), i, KAFKA_TIME + i, value);
            assertThatCode(() -> deserializer.deserialize(rec, c)).doesNotThrowAnyException();
        }
        assertThat(c.out).hasSize(3_000);
        for (int i = 0; i < c.out.size(); i++) {
            Reading r = c.out.get(i);
            assertThat(r.sourceOffset).isEqualTo(i);
            assertThat(r.receivedAt).isEqualTo(KAFKA_TIME + i);
            assertThat(r.isValid() || r.payload != null).isTrue();
        }
    }

    @Test
    void producesReadings() {
        assertThat(deserializer.getProducedType().getTypeClass()).isEqualTo(Reading.class);
    }
}
