package io.sensorflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LocalKafkaLifecycleTest {

    @Test
    void fixedPortBrokerStopsStartsAndLeavesNoPortOrThreadBehind() throws Exception {
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        int port = Ports.freePort();
        LocalKafka kafka = LocalKafka.start(port);
        int controllerPort = kafka.controllerPort();
        try {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            kafka.createTopic("lifecycle", 1);
            produce(kafka, "before-stop");

            kafka.stopBroker();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(Ports.isFree(port)).as("client port while stopped").isTrue();

            kafka.startBroker();
            assertThat(kafka.isRunning()).isTrue();
            produce(kafka, "after-start");
            assertThat(TopicReader.readAll(kafka.bootstrapServers(), "lifecycle", true, Duration.ofSeconds(20)))
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("before-stop", "after-start");
        } finally {
            kafka.close();
        }

        assertThat(Ports.isFree(port)).as("client port after close").isTrue();
        assertThat(Ports.isFree(controllerPort)).as("controller port after close").isTrue();
        assertThatThrownBy(kafka::startBroker).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(leftoverThreads(threadsBefore)).isEmpty();
    }

    @Test
    void aBrokerThatCannotBindFailsWithoutHaltingTheJvmAndCleansUp() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The controller port is not checked up front: Kafka's own startup failure must surface as an exception.
            assertThatThrownBy(() -> LocalKafka.startOn(Ports.freePort(), taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("failed to bind to 127.0.0.1:" + taken.getLocalPort());
        }
        try (LocalKafka kafka = LocalKafka.start()) {
            kafka.createTopic("after-failure", 1);
        }
    }

    private static void produce(LocalKafka kafka, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("lifecycle", value)).get();
        }
    }

    /**
     * Threads started since {@code before} that are still alive, after giving them a moment to finish. Yammer's
     * metric tick threads are left out: the metrics library starts them once per JVM and never stops them.
     */
    private static List<String> leftoverThreads(Set<Thread> before) throws InterruptedException {
        List<String> leftover = List.of();
        for (int i = 0; i < 50; i++) {
            leftover = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive())
                    .map(Thread::getName)
                    .filter(name -> !name.startsWith("metrics-meter-tick-thread"))
                    .collect(Collectors.toList());
            if (leftover.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return leftover;
    }
}
