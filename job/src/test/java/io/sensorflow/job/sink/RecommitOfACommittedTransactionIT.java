package io.sensorflow.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the exactly-once KafkaSink's committer does with a restored transaction, on a real broker
 * with Kafka 4's default transaction protocol (version 2): the writer's producer begins it and, for
 * a completed checkpoint, commits it; after a restore, the connector's own {@link KafkaCommitter}
 * commits it again from what the checkpoint kept (producer id, epoch, transactional id), as it does
 * in a recovering job. The three cases a restore can meet, and what tells them apart:
 * {@link KafkaSinkExplainingRecommits} logs the same at each restore.
 */
class RecommitOfACommittedTransactionIT {

    private static LocalKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void startKafka() {
        kafka = LocalKafka.start();
        admin = Admin.create(java.util.Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()));
    }

    @AfterAll
    static void stopKafka() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aTransactionCommittedBeforeTheFailureIsReportedFencedAndNothingIsLost() throws Exception {
        assertThat(admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS).finalizedFeatures()
                .get("transaction.version").maxVersionLevel())
                .as("the broker's transaction protocol: version 2 bumps the epoch at every commit").isEqualTo((short) 2);
        String topic = "recommit-committed";
        FlinkKafkaInternalProducer<byte[], byte[]> writer = openTransaction(topic, "a", "b", "c");
        KafkaCommittable restored = asRestored(writer);
        writer.commitTransaction(); // the checkpoint completed and the first attempt committed
        writer.close();

        RecordingRequest request = commitAgain(restored);

        // What makes KafkaCommitter log ERROR "... already fenced ... most likely signals data loss". Once a
        // connector commits a resumed transaction with protocol 2 this fails: then the job's notice can go.
        assertThat(request.failedWithKnownReason).isInstanceOf(ProducerFencedException.class);
        assertThat(values(topic)).as("read_committed: each record once").containsExactly("a", "b", "c");
        TransactionDescription t = describe(restored.getTransactionalId());
        assertThat(t.state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        // Committed by the writer's producer (epoch bumped by the version 2 commit), not by the re-commit.
        assertThat(t.producerEpoch()).isEqualTo(restored.getEpoch() + 1);
    }

    @Test
    void aTransactionOpenAtTheFailureIsCommittedAtTheRestore() throws Exception {
        String topic = "recommit-open";
        FlinkKafkaInternalProducer<byte[], byte[]> writer = openTransaction(topic, "a", "b");
        KafkaCommittable restored = asRestored(writer);
        writer.close(); // the TaskManager died after the checkpoint completed, before the commit

        RecordingRequest request = commitAgain(restored);

        assertThat(request.failedWithKnownReason).isNull();
        assertThat(request.failedWithUnknownReason).isNull();
        assertThat(values(topic)).containsExactly("a", "b");
        assertThat(describe(restored.getTransactionalId()).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
    }

    @Test
    void aTransactionKafkaAbortedIsReportedFencedTooAndItsRecordsAreLost() throws Exception {
        String topic = "recommit-aborted";
        FlinkKafkaInternalProducer<byte[], byte[]> writer = openTransaction(topic, "a", "b");
        KafkaCommittable restored = asRestored(writer);
        // As the broker does to a transaction open longer than transaction.timeout.ms: the real data loss.
        writer.abortTransaction();
        writer.close();

        RecordingRequest request = commitAgain(restored);

        assertThat(request.failedWithKnownReason).isInstanceOf(ProducerFencedException.class);
        assertThat(values(topic)).isEmpty();
        // The same ERROR as for a committed transaction; the broker's state tells the two apart.
        assertThat(describe(restored.getTransactionalId()).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
    }

    /**
     * A transaction of subtask 0 for checkpoint 7 with {@code values} sent to a new {@code topic} and
     * flushed, as the writer has it when it precommits.
     */
    private static FlinkKafkaInternalProducer<byte[], byte[]> openTransaction(String topic, String... values) {
        kafka.createTopic(topic, 1);
        FlinkKafkaInternalProducer<byte[], byte[]> producer =
                new FlinkKafkaInternalProducer<>(producerProperties(), topic + "-0-7");
        producer.initTransactions();
        producer.beginTransaction();
        for (String v : values) {
            producer.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        return producer;
    }

    /** What a checkpoint keeps of the transaction: no producer, as after a restore. */
    private static KafkaCommittable asRestored(FlinkKafkaInternalProducer<byte[], byte[]> writer) {
        return new KafkaCommittable(writer.getProducerId(), writer.getEpoch(), writer.getTransactionalId(), null);
    }

    /** The restored job's committer (another attempt, no producer of the writer) commits {@code restored}. */
    private static RecordingRequest commitAgain(KafkaCommittable restored) throws Exception {
        RecordingRequest request = new RecordingRequest(restored);
        String prefix = restored.getTransactionalId().replaceFirst("-0-7$", "");
        try (KafkaCommitter committer = new KafkaCommitter(producerProperties(), prefix, 0, 1, false,
                FlinkKafkaInternalProducer::new)) {
            committer.commit(List.of(request));
        }
        return request;
    }

    private static TransactionDescription describe(String id) throws Exception {
        return admin.describeTransactions(List.of(id)).description(id).get(30, TimeUnit.SECONDS);
    }

    private static List<String> values(String topic) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(kafka.bootstrapServers(), topic, true, Duration.ofSeconds(30))) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static Properties producerProperties() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        p.setProperty("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.setProperty("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.setProperty("transaction.timeout.ms", "60000");
        return p;
    }

    /** What the committer answered. */
    private static final class RecordingRequest implements CommitRequest<KafkaCommittable> {
        private final KafkaCommittable committable;
        Throwable failedWithKnownReason;
        Throwable failedWithUnknownReason;

        RecordingRequest(KafkaCommittable committable) {
            this.committable = committable;
        }

        @Override
        public KafkaCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            failedWithKnownReason = t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            failedWithUnknownReason = t;
        }

        @Override
        public void retryLater() {
            throw new AssertionError("retry of " + committable);
        }

        @Override
        public void updateAndRetryLater(KafkaCommittable updated) {
            throw new AssertionError("retry of " + committable);
        }

        @Override
        public void signalAlreadyCommitted() {
            throw new AssertionError("already committed: " + committable);
        }

        @Override
        public String toString() {
            return "request to commit " + committable;
        }
    }
}
