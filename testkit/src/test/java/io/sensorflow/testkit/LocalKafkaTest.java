package io.sensorflow.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalKafkaTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private static LocalKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readsBackIdempotentAndTransactionalWritesPerIsolationLevelAndAcrossARestart() throws Exception {
        String topic = "readings";
        kafka.createTopic(topic, 3);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(null))) {
            for (int p = 0; p < 3; p++) {
                producer.send(new ProducerRecord<>(topic, p, "k" + p, "idempotent-" + p)).get();
            }
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties("testkit-txn"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int p = 0; p < 3; p++) {
                producer.send(new ProducerRecord<>(topic, p, "k" + p, "committed-" + p));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int p = 0; p < 3; p++) {
                producer.send(new ProducerRecord<>(topic, p, "k" + p, "aborted-" + p));
            }
            // Without the flush, abort drops the unsent records and they never reach the log.
            producer.flush();
            producer.abortTransaction();
        }

        Tuple[] committed = {
            tuple(0, "k0", "idempotent-0"), tuple(0, "k0", "committed-0"),
            tuple(1, "k1", "idempotent-1"), tuple(1, "k1", "committed-1"),
            tuple(2, "k2", "idempotent-2"), tuple(2, "k2", "committed-2"),
        };
        Tuple[] uncommitted = {
            tuple(0, "k0", "idempotent-0"), tuple(0, "k0", "committed-0"), tuple(0, "k0", "aborted-0"),
            tuple(1, "k1", "idempotent-1"), tuple(1, "k1", "committed-1"), tuple(1, "k1", "aborted-1"),
            tuple(2, "k2", "idempotent-2"), tuple(2, "k2", "committed-2"), tuple(2, "k2", "aborted-2"),
        };
        assertThat(asTuples(TopicReader.readAll(kafka.bootstrapServers(), topic, true, READ_TIMEOUT))).containsExactly(committed);
        assertThat(asTuples(TopicReader.readAll(kafka.bootstrapServers(), topic, false, READ_TIMEOUT))).containsExactly(uncommitted);

        String bootstrapBefore = kafka.bootstrapServers();
        kafka.restart();

        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapBefore);
        assertThat(asTuples(TopicReader.readAll(kafka.bootstrapServers(), topic, true, READ_TIMEOUT))).containsExactly(committed);
        assertThat(asTuples(TopicReader.readAll(kafka.bootstrapServers(), topic, false, READ_TIMEOUT))).containsExactly(uncommitted);

        // The transaction coordinator reloaded its state: the same transactional id works after the restart.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties("testkit-txn"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 1, "k1", "after-restart"));
            producer.commitTransaction();
        }
        assertThat(asTuples(TopicReader.readAll(kafka.bootstrapServers(), topic, true, READ_TIMEOUT)))
                .containsSubsequence(tuple(1, "k1", "committed-1"), tuple(1, "k1", "after-restart"))
                .hasSize(committed.length + 1);
    }

    @Test
    void readCommittedStopsBeforeAnOpenTransactionInsteadOfWaitingForIt() throws Exception {
        String topic = "open-transaction";
        kafka.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties("testkit-open"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "done"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "pending"));
            producer.flush();

            assertThat(values(TopicReader.readAll(kafka.bootstrapServers(), topic, true, READ_TIMEOUT))).containsExactly("done");
            assertThat(values(TopicReader.readAll(kafka.bootstrapServers(), topic, false, READ_TIMEOUT)))
                    .containsExactly("done", "pending");
            producer.abortTransaction();
        }
    }

    @Test
    void createTopicIsIdempotentAppliesConfigsAndRejectsAnotherPartitionCount() throws Exception {
        kafka.createTopic("alerts", 2, Map.of("cleanup.policy", "compact", "retention.ms", "3600000"));
        kafka.createTopic("alerts", 2);

        assertThatThrownBy(() -> kafka.createTopic("alerts", 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists with 2 partitions");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "alerts");
            Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        }
    }

    @Test
    void topicsAreNotCreatedAutomatically() throws Exception {
        assertThatThrownBy(() -> TopicReader.readAll(kafka.bootstrapServers(), "never-created", true, READ_TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never-created does not exist");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain("never-created");
        }
    }

    @Test
    void readerGivesUpAtItsTimeoutWhenNoBrokerAnswers() {
        String nowhere = "127.0.0.1:" + Ports.freePort();
        long started = System.nanoTime();

        assertThatThrownBy(() -> TopicReader.readAll(nowhere, "readings", true, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void refusesAFixedPortThatIsTaken() {
        assertThatThrownBy(() -> LocalKafka.start(kafka.clientPort()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("port " + kafka.clientPort())
                .hasMessageContaining("already in use");
    }

    @Test
    void keepsTheDefaultTransactionMaxTimeout() {
        assertThat(kafka.transactionMaxTimeout()).isEqualTo(Duration.ofMinutes(15));
    }

    private static Properties producerProperties(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return p;
    }

    private static List<Tuple> asTuples(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(r -> tuple(r.partition(), new String(r.key(), UTF_8), new String(r.value(), UTF_8)))
                .toList();
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), UTF_8)).toList();
    }
}
