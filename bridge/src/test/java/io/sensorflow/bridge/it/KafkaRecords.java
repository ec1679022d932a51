package io.sensorflow.bridge.it;

import io.sensorflow.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reading what the bridge wrote. */
final class KafkaRecords {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private KafkaRecords() {}

    /** Reads {@code topic} again and again until {@code done} holds for its records. */
    static List<ConsumerRecord<byte[], byte[]>> await(String bootstrap, String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> records = List.of();
        while (System.nanoTime() < deadline) {
            records = TopicReader.readAll(bootstrap, topic, false, Duration.ofSeconds(20));
            if (done.test(records)) {
                return records;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("topic " + topic + ": " + what + " not reached within " + timeout + "; it has "
                + records.size() + " records");
    }

    static List<ConsumerRecord<byte[], byte[]>> awaitCount(String bootstrap, String topic, int atLeast, Duration timeout) {
        return await(bootstrap, topic, r -> r.size() >= atLeast, timeout, atLeast + " records");
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    static String value(ConsumerRecord<byte[], byte[]> r) {
        return r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
    }

    /** The {@code seq} of a test payload, or -1. */
    static long seq(ConsumerRecord<byte[], byte[]> r) {
        Matcher m = SEQ.matcher(value(r));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static byte[] reading(String sensor, long seq) {
        return ("{\"sensor_id\":\"" + sensor + "\",\"ts\":\"2026-11-21T08:00:00Z\",\"temperature\":21.5,\"seq\":" + seq + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
