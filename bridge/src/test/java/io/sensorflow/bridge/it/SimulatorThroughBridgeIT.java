package io.sensorflow.bridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.bridge.Bridge;
import io.sensorflow.bridge.BridgeSettings;
import io.sensorflow.simulator.GeneratedMessage;
import io.sensorflow.simulator.OutputKind;
import io.sensorflow.simulator.Simulator;
import io.sensorflow.simulator.SimulatorSettings;
import io.sensorflow.simulator.cli.SimulatorCli;
import io.sensorflow.testkit.LocalKafka;
import io.sensorflow.testkit.LocalMosquitto;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The simulator's MQTT output → mosquitto → the bridge → Kafka: every message arrives, unchanged, in order per sensor. */
class SimulatorThroughBridgeIT {

    @Test
    void everySimulatedMessageArrivesInKafka() throws Exception {
        try (LocalMosquitto mqtt = LocalMosquitto.start(); LocalKafka kafka = LocalKafka.start()) {
            kafka.createTopic("sim-readings", 4);
            kafka.createTopic("sim-status", 1);
            try (Bridge bridge = new Bridge(BridgeSettings.of("--mqtt-broker", mqtt.uri(), "--mqtt-client-id", "it-sim",
                    "--kafka-bootstrap-servers", kafka.bootstrapServers(), "--readings-topic", "sim-readings",
                    "--status-topic", "sim-status")).start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!bridge.isConnected() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(bridge.isConnected()).as("bridge connected").isTrue();

                Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = SimulatorCli.execute(new String[] {"--output", "mqtt", "--mqtt-broker", mqtt.uri(),
                    "--sensors", "20", "--count", "2000", "--seed", "5", "--start", start.toString(), "--progress", "0"},
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
                String errText = err.toString(StandardCharsets.UTF_8);
                assertThat(code).as(errText).isZero();
                assertThat(errText).contains("sent 2000 messages", "to MQTT broker " + mqtt.uri());

                List<GeneratedMessage> expected = Simulator.messages(SimulatorSettings.builder().sensors(20).count(2000)
                        .seed(5).start(start).output(OutputKind.STDOUT).build());
                assertThat(expected).hasSize(2000);
                List<ConsumerRecord<byte[], byte[]>> records =
                        KafkaRecords.awaitCount(kafka.bootstrapServers(), "sim-readings", 2000, Duration.ofSeconds(30));

                assertThat(records).hasSize(2000);
                // Per sensor: the same payloads, byte for byte, in the order the simulator sent them.
                Map<String, List<String>> sent = expected.stream().collect(Collectors.groupingBy(GeneratedMessage::key,
                        LinkedHashMap::new, Collectors.mapping(GeneratedMessage::payloadText, Collectors.toList())));
                Map<String, List<String>> arrived = records.stream().collect(Collectors.groupingBy(KafkaRecords::key,
                        LinkedHashMap::new, Collectors.mapping(KafkaRecords::value, Collectors.toList())));
                assertThat(arrived.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
                sent.forEach((sensor, payloads) -> assertThat(arrived.get(sensor)).as(sensor).containsExactlyElementsOf(payloads));
                assertThat(bridge.stats().failed()).isZero();
            }
        }
    }
}
