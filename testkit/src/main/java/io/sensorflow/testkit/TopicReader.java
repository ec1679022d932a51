package io.sensorflow.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic, as it is now, for assertions in tests. */
public final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(100);

    private TopicReader() {
    }

    /**
     * Reads every partition of {@code topic} from the beginning up to its current end: the high watermark, or with
     * {@code readCommitted} the last stable offset (records of open transactions are not waited for). Uses no consumer
     * group and commits nothing.
     *
     * @return the records ordered by partition, then offset
     * @throws IllegalArgumentException if the topic does not exist
     * @throws IllegalStateException if the end is not reached within {@code timeout}
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(
            String bootstrapServers, String topic, boolean readCommitted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String isolation = readCommitted ? "read_committed" : "read_uncommitted";
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrapServers, isolation))) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
            if (infos.isEmpty()) {
                throw new IllegalArgumentException("Topic " + topic + " does not exist on " + bootstrapServers);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed the consumer reports the last stable offset as the end.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, remaining(deadline));

            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>();
            partitions.forEach(tp -> byPartition.put(tp.partition(), new ArrayList<>()));
            List<TopicPartition> pending = new ArrayList<>(partitions);
            while (true) {
                // Positions also move past aborted records and transaction markers, which poll() never returns.
                pending.removeIf(tp -> consumer.position(tp, remaining(deadline)) >= ends.get(tp));
                if (pending.isEmpty()) {
                    break;
                }
                if (System.nanoTime() >= deadline) {
                    throw new IllegalStateException(String.format("Reading topic %s (%s) from %s timed out after %s;"
                            + " not at the end yet: %s", topic, isolation, bootstrapServers, timeout,
                            describe(consumer, pending, ends)));
                }
                consumer.pause(partitions.stream().filter(tp -> !pending.contains(tp)).collect(Collectors.toList()));
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(min(POLL, remaining(deadline)))) {
                    // Records appended after the end offsets were taken are not part of "now".
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        byPartition.get(record.partition()).add(record);
                    }
                }
            }
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            byPartition.values().forEach(all::addAll);
            return all;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException(String.format("Reading topic %s (%s) from %s timed out after %s: %s",
                    topic, isolation, bootstrapServers, timeout, e.getMessage()), e);
        }
    }

    private static Properties consumerProperties(String bootstrapServers, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "topic-reader");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static String describe(KafkaConsumer<?, ?> consumer, List<TopicPartition> pending,
                                   Map<TopicPartition, Long> ends) {
        return pending.stream()
                .map(tp -> "partition " + tp.partition() + " at offset " + position(consumer, tp) + " of " + ends.get(tp))
                .collect(Collectors.joining(", "));
    }

    private static String position(KafkaConsumer<?, ?> consumer, TopicPartition tp) {
        try {
            return String.valueOf(consumer.position(tp, Duration.ZERO));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return "unknown";
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
