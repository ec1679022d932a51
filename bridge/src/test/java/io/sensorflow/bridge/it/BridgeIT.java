package io.sensorflow.bridge.it;

import static io.sensorflow.bridge.it.KafkaRecords.key;
import static io.sensorflow.bridge.it.KafkaRecords.reading;
import static io.sensorflow.bridge.it.KafkaRecords.seq;
import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.bridge.Bridge;
import io.sensorflow.bridge.BridgeSettings;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalMosquitto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge between a real mosquitto and a real Kafka broker, in this JVM and as a process of its own (killed with
 * SIGKILL, stopped with SIGTERM). Each test has its own topics and its own mosquitto; Kafka is shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private LocalMosquitto mqtt;
    private LocalKafka kafka;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    void startKafka() {
        LocalMosquitto.start().close(); // skips (or fails on CI) before Kafka starts, if mosquitto is missing
        kafka = LocalKafka.start();
    }

    @AfterAll
    void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A broker of its own for each test (it starts in milliseconds): no retained message or session leaks over. */
    @BeforeEach
    void startMqtt() {
        mqtt = LocalMosquitto.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        toClose.clear();
        if (mqtt != null) {
            mqtt.close();
        }
        kafka.startBroker(); // if a test failed while Kafka was down
    }

    private String[] args(String clientId, String readingsTopic, String statusTopic) {
        return new String[] {"--mqtt-broker", mqtt.uri(), "--mqtt-client-id", clientId,
            "--kafka-bootstrap-servers", kafka.bootstrapServers(),
            "--readings-topic", readingsTopic, "--status-topic", statusTopic, "--shutdown-timeout", "5s"};
    }

    private Bridge bridgeInThisJvm(String clientId, String readingsTopic, String statusTopic, String... more) {
        List<String> all = new ArrayList<>(List.of(args(clientId, readingsTopic, statusTopic)));
        all.addAll(List.of(more));
        Bridge bridge = new Bridge(BridgeSettings.of(all.toArray(String[]::new))).start();
        toClose.add(bridge);
        await(bridge::isConnected, "the bridge connected to MQTT");
        return bridge;
    }

    private BridgeProcess bridgeProcess(String name, String clientId, String readingsTopic, String statusTopic) {
        BridgeProcess p = BridgeProcess.start(dir, name, args(clientId, readingsTopic, statusTopic));
        toClose.add(p);
        return p;
    }

    private MqttPublisher publisher() throws Exception {
        MqttPublisher p = new MqttPublisher(mqtt.uri());
        toClose.add(p);
        return p;
    }

    private void topics(String... names) {
        for (String name : names) {
            kafka.createTopic(name, name.startsWith("status") ? 1 : 3);
        }
    }

    /** Test 1: byte-exact payloads, keyed by the sensor id of the MQTT topic, in order per sensor; status too. */
    @Test
    void readingsAndStatusMessagesArriveByteExactKeyedBySensorInOrder() throws Exception {
        topics("readings-1", "status-1");
        MqttPublisher device = publisher();
        // Retained before the bridge subscribes, at QoS 0, as the firmware publishes "online" after each connect.
        byte[] online = "{\"sensor_id\":\"a\",\"status\":\"online\"}".getBytes(StandardCharsets.UTF_8);
        device.publish("sensors/a/status", online, 0, true);
        device.flush();

        Bridge bridge = bridgeInThisJvm("it-roundtrip", "readings-1", "status-1");
        for (int i = 0; i < 300; i++) {
            device.publish("sensors/a/readings", reading("a", i), 1, false);
            if (i % 3 == 0) {
                device.publish("sensors/b/readings", reading("b", i / 3), 1, false);
            }
        }
        byte[] binary = {0, (byte) 0xFF, (byte) 0xC2, (byte) 0xB0, '{', '\n', 0x7F, (byte) 0x80};
        device.publish("sensors/c/readings", binary, 1, false);
        device.publish("sensors/c/readings", new byte[0], 1, false);
        // The last will of a node that dropped off, retained at QoS 1.
        byte[] offline = "{\"sensor_id\":\"b\",\"status\":\"offline\"}".getBytes(StandardCharsets.UTF_8);
        device.publish("sensors/b/status", offline, 1, true);
        device.flush();

        List<ConsumerRecord<byte[], byte[]>> readings =
                KafkaRecords.awaitCount(kafka.bootstrapServers(), "readings-1", 300 + 100 + 2, WAIT);
        assertThat(readings).hasSize(402);
        Map<String, List<ConsumerRecord<byte[], byte[]>>> bySensor =
                readings.stream().collect(Collectors.groupingBy(KafkaRecords::key, TreeMap::new, Collectors.toList()));
        assertThat(bySensor.keySet()).containsExactly("a", "b", "c");
        assertThat(bySensor.get("a")).extracting(KafkaRecords::seq)
                .containsExactlyElementsOf(LongStream.range(0, 300).boxed().toList());
        assertThat(bySensor.get("a")).allSatisfy(r -> assertThat(r.value()).isEqualTo(reading("a", seq(r))));
        assertThat(bySensor.get("b")).extracting(KafkaRecords::seq)
                .containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
        assertThat(bySensor.get("c")).extracting(ConsumerRecord::value).containsExactly(binary, new byte[0]);
        // One sensor, one partition.
        assertThat(bySensor.get("a").stream().map(ConsumerRecord::partition).distinct()).hasSize(1);

        List<ConsumerRecord<byte[], byte[]>> status = KafkaRecords.awaitCount(kafka.bootstrapServers(), "status-1", 2, WAIT);
        assertThat(status).extracting(KafkaRecords::key).containsExactly("a", "b");
        assertThat(status).extracting(ConsumerRecord::value).containsExactly(online, offline);

        // Everything is acknowledged once Kafka has it (the QoS 0 status needs no acknowledgement).
        await(() -> bridge.stats().acknowledged() == 403, "every QoS 1 message acknowledged: " + bridge.stats());
        assertThat(bridge.stats().forwarded()).isEqualTo(404);
        assertThat(bridge.stats().failed()).isZero();
        assertThat(bridge.stop()).isTrue();
        assertThat(bridge.exitCode()).isZero();
    }

    /**
     * Test 2: while Kafka is down nothing is acknowledged; a bridge that stays up delivers everything once Kafka is
     * back, and a bridge killed during the outage loses nothing either: the broker sends its unacknowledged messages
     * to the next bridge with the same client id. Had it acknowledged any before Kafka had it, that message would be
     * gone.
     */
    @Test
    void messagesPublishedWhileKafkaIsDownArriveOnceItIsBackAndNoneIsAcknowledgedBefore() throws Exception {
        topics("readings-up", "status-up", "readings-killed", "status-killed");
        // max.block.ms=1000: when the producer loses the topics' metadata as the broker shuts down (it does in some
        // runs), a send gives up waiting for it after 1 s instead of 10 and the sender offers the record again.
        Bridge staysUp = bridgeInThisJvm("it-outage-up", "readings-up", "status-up", "--kafka-property", "max.block.ms=1000");
        BridgeProcess killed = bridgeProcess("killed-1", "it-outage-killed", "readings-killed", "status-killed")
                .awaitLog("Connected to", WAIT);
        MqttPublisher device = publisher();
        device.publish("sensors/warm/readings", reading("warm", 0), 1, false);
        device.flush();
        KafkaRecords.awaitCount(kafka.bootstrapServers(), "readings-up", 1, WAIT);
        KafkaRecords.awaitCount(kafka.bootstrapServers(), "readings-killed", 1, WAIT);
        await(() -> staysUp.stats().acknowledged() == 1, "the warm-up message acknowledged");

        kafka.stopBroker();
        int n = 60;
        for (int i = 0; i < n; i++) {
            device.publish("sensors/k/readings", reading("k", i), 1, false);
        }
        device.flush(); // the MQTT broker has them all
        // mosquitto sends at most 20 unacknowledged messages (max_inflight_messages) and queues the rest.
        await(() -> staysUp.stats().received() >= 1 + 10, "the bridge received messages while Kafka was down");
        Thread.sleep(1000);
        assertThat(staysUp.stats().acknowledged()).as("acknowledged while Kafka is down").isEqualTo(1);
        assertThat(staysUp.stats().forwarded()).isEqualTo(1);
        assertThat(staysUp.stats().inFlight()).isEqualTo(staysUp.stats().received() - 1).isLessThan(n);

        killed.kill(); // with the messages it received in its producer only
        BridgeProcess restarted = bridgeProcess("killed-2", "it-outage-killed", "readings-killed", "status-killed")
                .awaitLog("sensorflow-bridge starting", WAIT); // it waits for Kafka before it connects to MQTT
        kafka.startBroker();

        Set<Long> all = LongStream.range(0, n).boxed().collect(Collectors.toCollection(TreeSet::new));
        for (String topic : List.of("readings-up", "readings-killed")) {
            List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.await(kafka.bootstrapServers(), topic,
                    r -> seqsOf(r, "k").containsAll(all), WAIT, "all " + n + " seqs of sensor k");
            assertThat(seqsOf(records, "k")).as(topic).isEqualTo(all);
        }
        restarted.awaitLog("the broker had kept the session", WAIT);
        await(() -> staysUp.stats().acknowledged() == 1 + n, "all acknowledged after the outage: " + staysUp.stats());
        assertThat(staysUp.stats().failed()).isZero();
        // The bridge that stayed up got each message once: the outage cost no duplicates.
        List<ConsumerRecord<byte[], byte[]>> up = KafkaRecords.awaitCount(kafka.bootstrapServers(), "readings-up", 1 + n, WAIT);
        assertThat(up).hasSize(1 + n);
        assertThat(up.stream().filter(r -> key(r).equals("k")).map(KafkaRecords::seq).toList())
                .as("in order").containsExactlyElementsOf(all);

        assertThat(restarted.terminate(Duration.ofSeconds(20))).as("exit code after SIGTERM").isEqualTo(143);
        assertThat(restarted.log()).contains("Stopping: waiting up to 5s", "sensorflow-bridge stopped: received");
    }

    /**
     * Test 3: a bridge killed (SIGKILL) while messages flow loses nothing: a new one with the same client id gets
     * every message the old one had not acknowledged. Duplicates are allowed (the job removes them by sensor and
     * seq) and counted.
     */
    @Test
    void aBridgeKilledWhileMessagesFlowLosesNothing() throws Exception {
        topics("readings-3", "status-3");
        BridgeProcess first = bridgeProcess("restart-1", "it-restart", "readings-3", "status-3").awaitLog("Connected to", WAIT);
        MqttPublisher device = publisher();
        int sensors = 5;
        int perSensor = 600;
        CountDownLatch halfway = new CountDownLatch(1);
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < perSensor; i++) {
                    for (int s = 0; s < sensors; s++) {
                        device.publish("sensors/r" + s + "/readings", reading("r" + s, i), 1, false);
                    }
                    if (i == perSensor / 3) {
                        halfway.countDown();
                    }
                    Thread.sleep(2); // about 2000 messages a second: the bridge is busy when it is killed
                }
                device.flush();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
        first.kill();
        BridgeProcess second = bridgeProcess("restart-2", "it-restart", "readings-3", "status-3");
        publishing.get(60, TimeUnit.SECONDS);

        Set<Long> expected = LongStream.range(0, perSensor).boxed().collect(Collectors.toCollection(TreeSet::new));
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.await(kafka.bootstrapServers(), "readings-3", r -> {
            for (int s = 0; s < sensors; s++) {
                if (!seqsOf(r, "r" + s).containsAll(expected)) {
                    return false;
                }
            }
            return true;
        }, WAIT, "every seq of every sensor");
        for (int s = 0; s < sensors; s++) {
            assertThat(seqsOf(records, "r" + s)).as("sensor r" + s).isEqualTo(expected);
        }
        int duplicates = records.size() - sensors * perSensor;
        System.out.printf("BridgeIT restart: %d messages published, %d records in Kafka, %d duplicates%n",
                sensors * perSensor, records.size(), duplicates);
        assertThat(duplicates).isNotNegative();
        assertThat(second.log()).contains("the broker had kept the session");
        assertThat(second.terminate(Duration.ofSeconds(20))).isEqualTo(143);
        assertThat(second.log()).contains("sensorflow-bridge stopped: received");
        Matcher stopped = Pattern.compile("stopped: received (\\d+) \\((\\d+) redelivered\\)").matcher(second.log());
        assertThat(stopped.find()).isTrue();
        System.out.printf("BridgeIT restart: the second bridge received %s messages, %s of them redelivered%n",
                stopped.group(1), stopped.group(2));
    }

    /**
     * A record Kafka refuses (here: larger than max.request.size) stops the bridge without acknowledging its
     * message: the broker keeps it, and a bridge that can send it gets it.
     */
    @Test
    void aRecordKafkaRefusesStopsTheBridgeAndItsMessageIsNotAcknowledged() throws Exception {
        topics("readings-4", "status-4");
        Bridge strict = bridgeInThisJvm("it-refused", "readings-4", "status-4", "--kafka-property", "max.request.size=400");
        MqttPublisher device = publisher();
        device.publish("sensors/big/readings", reading("big", 0), 1, false);
        byte[] large = new byte[1000];
        Arrays.fill(large, (byte) 'x');
        device.publish("sensors/big/readings", large, 1, false);
        device.publish("sensors/big/readings", reading("big", 2), 1, false);
        device.flush();

        await(() -> strict.exitCode() != null, "the bridge stopped");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.failure()).hasMessageContaining("sensors/big/readings").hasMessageContaining("RecordTooLarge");
        assertThat(strict.stats().acknowledged()).as("only the message before the refused one").isEqualTo(1);

        Bridge next = bridgeInThisJvm("it-refused", "readings-4", "status-4");
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.await(kafka.bootstrapServers(), "readings-4",
                r -> r.stream().anyMatch(x -> Arrays.equals(x.value(), large)), WAIT, "the large record");
        List<byte[]> values = records.stream().map(ConsumerRecord::value).toList();
        assertThat(values).filteredOn(v -> Arrays.equals(v, large)).hasSize(1);
        assertThat(values).filteredOn(v -> Arrays.equals(v, reading("big", 0))).hasSize(1);
        // The third message may have reached Kafka before the first bridge stopped, and again through the next one.
        assertThat(values).filteredOn(v -> Arrays.equals(v, reading("big", 2))).isNotEmpty();
        await(() -> next.stats().acknowledged() == 2, "the next bridge acknowledged both");
        assertThat(next.stats().redelivered()).isGreaterThanOrEqualTo(1);
    }

    private static Set<Long> seqsOf(List<ConsumerRecord<byte[], byte[]>> records, String sensor) {
        return records.stream().filter(r -> sensor.equals(key(r))).map(KafkaRecords::seq)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
