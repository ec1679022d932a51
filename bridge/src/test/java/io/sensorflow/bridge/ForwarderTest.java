package io.sensorflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ack path against a producer whose confirmations the test gives (or refuses) one by one. */
class ForwarderTest {

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final BridgeStats stats = new BridgeStats();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> acked = Collections.synchronizedList(new ArrayList<>());
    private final OrderedAcks acks = new OrderedAcks((id, qos) -> acked.add(id), stats, connected::get);
    private final Forwarder forwarder = new Forwarder(
            BridgeSettings.of("--readings-topic", "r", "--status-topic", "s", "--max-in-flight", "3"),
            producer, stats, stopping::get, failures::add);

    @AfterEach
    void close() {
        forwarder.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void reading(int id, String sensor, String payload) {
        forwarder.forward(acks, "sensors/" + sensor + "/readings", id, 1, false, bytes(payload));
    }

    private void awaitSent(int records) {
        await(() -> producer.history().size() >= records, records + " records sent");
        assertThat(producer.history()).hasSize(records);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aMessageIsAcknowledgedOnlyAfterKafkaConfirmedItsRecord() {
        byte[] payload = {'{', 0, (byte) 0xFF, '}'};
        forwarder.forward(acks, "sensors/a/readings", 7, 1, false, payload);

        awaitSent(1);
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo("r");
        assertThat(record.key()).isEqualTo(bytes("a"));
        assertThat(record.value()).isEqualTo(payload);
        assertThat(acked).as("sent, not confirmed").isEmpty();
        assertThat(stats.inFlight()).isEqualTo(1);

        producer.completeNext();
        assertThat(acked).containsExactly(7);
        assertThat(stats.forwarded()).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void statusMessagesGoToTheStatusTopicKeyedBySensor() {
        forwarder.forward(acks, "sensors/node-9/status", 3, 1, false, bytes("{\"status\":\"offline\"}"));
        awaitSent(1);
        assertThat(producer.history().get(0).topic()).isEqualTo("s");
        assertThat(producer.history().get(0).key()).isEqualTo(bytes("node-9"));
        producer.completeNext();
        assertThat(acked).containsExactly(3);
    }

    @Test
    void qos0MessagesAreForwardedWithoutAnAcknowledgement() {
        forwarder.forward(acks, "sensors/a/status", 0, 0, false, bytes("{}"));
        reading(1, "a", "x");
        awaitSent(2);
        producer.completeNext();
        producer.completeNext();
        assertThat(acked).containsExactly(1);
        assertThat(stats.forwarded()).isEqualTo(2);
    }

    @Test
    void aRefusedRecordIsNeverAcknowledgedNorAnythingAfterItAndItStopsTheBridge() {
        reading(1, "a", "one");
        reading(2, "a", "two");
        reading(3, "a", "three");
        awaitSent(3);
        producer.completeNext();
        producer.errorNext(new RecordTooLargeException("too large"));
        producer.completeNext();

        assertThat(acked).containsExactly(1);
        assertThat(failures).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("sensors/a/readings", "id 2", "topic r", "too large"));
        assertThat(stats.failed()).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void aNonRetriableExceptionFromSendIsARefusal() {
        producer.sendException = new KafkaException("producer fenced");
        reading(1, "a", "x");
        await(() -> failures.size() == 1, "the failure reported");
        assertThat(acked).isEmpty();
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void whileTheProducerCannotTakeARecordItIsOfferedAgainAndNothingOvertakesIt() throws Exception {
        // What KafkaProducer.send reports when Kafka is down and it has no metadata for the topic.
        producer.sendException = new TimeoutException("Topic r not present in metadata after 10000 ms.");
        reading(1, "a", "first");
        reading(2, "a", "second");
        Thread.sleep(400);
        assertThat(producer.history()).isEmpty();
        assertThat(failures).isEmpty();
        assertThat(acked).isEmpty();

        producer.sendException = null; // Kafka is back
        awaitSent(2);
        assertThat(producer.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("first", "second");
        producer.completeNext();
        producer.completeNext();
        assertThat(acked).containsExactly(1, 2);
    }

    @Test
    void whileStoppingNewMessagesStayWithTheBrokerAndRefusalsAreExpected() {
        reading(1, "a", "x");
        awaitSent(1);
        stopping.set(true);
        reading(2, "a", "y");
        producer.errorNext(new KafkaException("closed forcefully"));
        assertThat(producer.history()).hasSize(1);
        assertThat(failures).isEmpty();
        assertThat(acked).isEmpty();
    }

    @Test
    void atMaxInFlightTheCallbackThreadWaitsForKafka() throws Exception {
        reading(1, "a", "1");
        reading(2, "a", "2");
        reading(3, "a", "3");
        CompletableFuture<Void> fourth = CompletableFuture.runAsync(() -> reading(4, "a", "4"));
        Thread.sleep(300);
        assertThat(fourth).isNotDone();
        awaitSent(3);

        producer.completeNext();
        fourth.get(5, TimeUnit.SECONDS);
        awaitSent(4);
        assertThat(acked).containsExactly(1);
    }

    @Test
    void aWaitingMessageIsLeftWithTheBrokerWhenItsConnectionGoes() throws Exception {
        reading(1, "a", "1");
        reading(2, "a", "2");
        reading(3, "a", "3");
        CompletableFuture<Void> fourth = CompletableFuture.runAsync(() -> reading(4, "a", "4"));
        Thread.sleep(200);
        connected.set(false); // paho is shutting the connection down
        fourth.get(5, TimeUnit.SECONDS);
        awaitSent(3);
        acks.close();
        producer.completeNext();
        assertThat(acked).as("ids belong to the lost connection").isEmpty();
    }

    @Test
    void queuedRecordsOfALostConnectionAreNotSent() throws Exception {
        producer.sendException = new TimeoutException("Kafka is down");
        reading(1, "a", "1");
        forwarder.forward(acks, "sensors/a/status", 0, 0, false, bytes("qos0"));
        Thread.sleep(200);
        acks.close();
        producer.sendException = null;
        await(() -> stats.inFlight() == 1, "the QoS 1 record given up");
        awaitSent(1);
        assertThat(producer.history().get(0).value()).as("the broker keeps no copy of a QoS 0 message").isEqualTo(bytes("qos0"));
    }

    @Test
    void unroutableMessagesAreAcknowledgedInTheirTurn() {
        reading(1, "a", "x");
        forwarder.forward(acks, "elsewhere/a", 2, 1, false, bytes("?"));
        assertThat(acked).isEmpty();
        awaitSent(1);
        producer.completeNext();
        assertThat(acked).containsExactly(1, 2);
        assertThat(stats.unroutable()).isEqualTo(1);
    }

    @Test
    void redeliveriesAreCounted() {
        forwarder.forward(acks, "sensors/a/readings", 1, 1, true, bytes("x"));
        assertThat(stats.received()).isEqualTo(1);
        assertThat(stats.redelivered()).isEqualTo(1);
    }
}
