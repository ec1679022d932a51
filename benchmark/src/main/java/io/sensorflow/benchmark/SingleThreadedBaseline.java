package io.sensorflow.benchmark;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The yardstick: what one thread does with a plain Kafka consumer, Jackson data binding and a
 * HashMap, with no fault tolerance, no de-duplication and no event time. It reads the whole topic,
 * aggregates temperature and humidity per device and 15-minute window, and counts the rows.
 */
final class SingleThreadedBaseline {

    /** The benchmark payload, bound by Jackson as a plain consumer would. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class DeviceReading {
        @JsonProperty("device_id")
        public String deviceId;
        public double temperature;
        public double humidity;
        public long timestamp;
    }

    private record WindowKey(String deviceId, long windowStart) {}

    private static final class Aggregate {
        long count;
        double minT = Double.POSITIVE_INFINITY;
        double maxT = Double.NEGATIVE_INFINITY;
        double sumT;
        double minH = Double.POSITIVE_INFINITY;
        double maxH = Double.NEGATIVE_INFINITY;
        double sumH;

        void add(DeviceReading r) {
            count++;
            minT = Math.min(minT, r.temperature);
            maxT = Math.max(maxT, r.temperature);
            sumT += r.temperature;
            minH = Math.min(minH, r.humidity);
            maxH = Math.max(maxH, r.humidity);
            sumH += r.humidity;
        }
    }

    record Result(long readings, int rows, long aggregatedReadings, Duration took) {
        double readingsPerSecond() {
            return readings / (took.toNanos() / 1e9);
        }
    }

    private SingleThreadedBaseline() {}

    /** Args: bootstrap servers, topic, readings, window size ms. Prints ms, rows, readings aggregated. */
    public static void main(String[] args) throws IOException {
        Result r = run(args[0], args[1], Long.parseLong(args[2]), Long.parseLong(args[3]));
        System.out.println(ChildJvm.RESULT + r.took().toMillis() + " " + r.rows() + " " + r.aggregatedReadings());
    }

    static Result run(String bootstrapServers, String topic, long expected, long windowSizeMs) throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("max.poll.records", "5000");
        p.put("fetch.max.bytes", String.valueOf(64 << 20));
        p.put("max.partition.fetch.bytes", String.valueOf(16 << 20));
        ObjectMapper mapper = new ObjectMapper();
        Map<WindowKey, Aggregate> windows = new HashMap<>();
        long readings = 0;
        long t0 = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (readings < expected) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    DeviceReading r = mapper.readValue(record.value(), DeviceReading.class);
                    long ts = r.timestamp * 1000L;
                    long windowStart = ts - Math.floorMod(ts, windowSizeMs);
                    windows.computeIfAbsent(new WindowKey(r.deviceId, windowStart), k -> new Aggregate()).add(r);
                    readings++;
                }
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        long aggregated = 0;
        for (Aggregate a : windows.values()) {
            aggregated += a.count;
        }
        return new Result(readings, windows.size(), aggregated, took);
    }
}
