package io.sensorflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

    private static BridgeSettings parse(Map<String, String> env, String... args) {
        return BridgeSettings.parse(args, env, new PrintWriter(new StringWriter()));
    }

    @Test
    void defaults() {
        BridgeSettings s = BridgeSettings.of();
        assertThat(s.mqttBroker()).isEqualTo("tcp://localhost:1883");
        assertThat(s.mqttClientId()).isEqualTo("sensorflow-bridge");
        assertThat(s.mqttReadingsTopic()).hasToString("sensors/+/readings");
        assertThat(s.mqttStatusTopic()).hasToString("sensors/+/status");
        assertThat(s.kafkaBootstrapServers()).isEqualTo("localhost:9092");
        assertThat(s.readingsTopic()).isEqualTo("sensor-readings");
        assertThat(s.statusTopic()).isEqualTo("sensor-status");
        assertThat(s.maxInFlight()).isEqualTo(1000);
        assertThat(s.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.mqttUsername()).isNull();
    }

    @Test
    void helpListsEverySettingWithItsEnvironmentVariableScheme() {
        StringWriter out = new StringWriter();
        assertThat(BridgeSettings.parse(new String[] {"--help"}, Map.of(), new PrintWriter(out))).isNull();
        assertThat(out.toString()).contains("Usage: sensorflow-bridge", "SENSORFLOW_BRIDGE_<NAME>");
        for (String option : List.of("--mqtt-broker", "--mqtt-client-id", "--mqtt-username", "--mqtt-password",
                "--mqtt-readings-topic", "--mqtt-status-topic", "--kafka-bootstrap-servers", "--readings-topic",
                "--status-topic", "--kafka-property", "--max-in-flight", "--shutdown-timeout", "--version")) {
            assertThat(out.toString()).as(option).contains(option);
        }
        assertThat(BridgeSettings.usage()).contains("Default: sensor-readings.");
    }

    @Test
    void theEnvironmentSetsWhatTheCommandLineDoesNot() {
        BridgeSettings s = parse(Map.of(
                "SENSORFLOW_BRIDGE_MQTT_CLIENT_ID", "bridge-7",
                "SENSORFLOW_BRIDGE_MAX_IN_FLIGHT", "50",
                "SENSORFLOW_BRIDGE_KAFKA_PROPERTY", "compression.type=lz4,linger.ms=20",
                "SENSORFLOW_BRIDGE_READINGS_TOPIC", "from-env"),
                "--readings-topic", "from-cli");
        assertThat(s.mqttClientId()).isEqualTo("bridge-7");
        assertThat(s.maxInFlight()).isEqualTo(50);
        assertThat(s.readingsTopic()).isEqualTo("from-cli");
        assertThat(s.kafkaProperties()).containsEntry("compression.type", "lz4").containsEntry("linger.ms", "20");
    }

    @Test
    void errorsNameTheSettingAndWhereItCameFrom() {
        assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_BRIDGE_MAX_IN_FLIGHT", "0")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("--max-in-flight must be between 1 and 1000000, not 0"
                        + " (from environment variable SENSORFLOW_BRIDGE_MAX_IN_FLIGHT)");
        assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_BRIDGE_MAX_IN_FLIGHT", "many")))
                .hasMessageContaining("--max-in-flight").hasMessageContaining("'many'")
                .hasMessageEndingWith("(from environment variable SENSORFLOW_BRIDGE_MAX_IN_FLIGHT)");
        assertThatThrownBy(() -> BridgeSettings.of("--mqtt-broker", "localhost:1883"))
                .hasMessageStartingWith("--mqtt-broker 'localhost:1883' must start with tcp://");
        assertThatThrownBy(() -> BridgeSettings.of("--mqtt-broker", "tcp://:1883"))
                .hasMessageContaining("--mqtt-broker").hasMessageContaining("no host");
        assertThatThrownBy(() -> BridgeSettings.of("--mqtt-readings-topic", "sensors/#"))
                .hasMessageStartingWith("--mqtt-readings-topic 'sensors/#' must not contain '#'");
        assertThatThrownBy(() -> BridgeSettings.of("--mqtt-status-topic", "sensors/+/readings"))
                .hasMessageStartingWith("--mqtt-status-topic 'sensors/+/readings' overlaps --mqtt-readings-topic");
        assertThatThrownBy(() -> BridgeSettings.of("--readings-topic", "bad topic"))
                .hasMessageStartingWith("--readings-topic 'bad topic' is not a Kafka topic name");
        assertThatThrownBy(() -> BridgeSettings.of("--status-topic", "sensor-readings"))
                .hasMessageStartingWith("--status-topic must differ from --readings-topic");
        assertThatThrownBy(() -> BridgeSettings.of("--mqtt-client-id", ""))
                .hasMessageStartingWith("--mqtt-client-id must not be empty");
        assertThatThrownBy(() -> BridgeSettings.of("--mqtt-password", "secret"))
                .hasMessageStartingWith("--mqtt-password needs --mqtt-username");
        assertThatThrownBy(() -> BridgeSettings.of("--shutdown-timeout", "soon"))
                .hasMessageContaining("--shutdown-timeout").hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> BridgeSettings.of("--no-such-option"))
                .hasMessageContaining("Unknown option: '--no-such-option'");
    }

    @Test
    void theProducerGuaranteesCannotBeOverridden() {
        assertThatThrownBy(() -> BridgeSettings.of("--kafka-property", "acks=1"))
                .hasMessageStartingWith("--kafka-property acks cannot be set: the bridge acknowledges MQTT messages only");
        assertThatThrownBy(() -> BridgeSettings.of("--kafka-property", "enable.idempotence=false"))
                .hasMessageStartingWith("--kafka-property enable.idempotence cannot be set");
        assertThatThrownBy(() -> parse(Map.of("SENSORFLOW_BRIDGE_KAFKA_PROPERTY", "bootstrap.servers=x:1")))
                .hasMessageStartingWith("--kafka-property bootstrap.servers cannot be set: use --kafka-bootstrap-servers")
                .hasMessageEndingWith("(from environment variable SENSORFLOW_BRIDGE_KAFKA_PROPERTY)");
    }

    @Test
    void producerPropertiesAreIdempotentAcksAllWithoutADeliveryTimeout() {
        Properties p = BridgeSettings.of("--kafka-bootstrap-servers", "k1:9092,k2:9092", "--mqtt-client-id", "b/1",
                "--kafka-property", "compression.type=zstd", "--kafka-property", "linger.ms=50").producerProperties();
        assertThat(p).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("max.in.flight.requests.per.connection", "5")
                .containsEntry("delivery.timeout.ms", String.valueOf(Integer.MAX_VALUE))
                .containsEntry("retries", String.valueOf(Integer.MAX_VALUE))
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("compression.type", "zstd")
                .containsEntry("linger.ms", "50")
                .containsEntry("client.id", "sensorflow-bridge-b_1");
    }

    @Test
    void aBadKafkaPropertyValueFailsWhenTheProducerIsCreated() {
        BridgeSettings s = BridgeSettings.of("--kafka-property", "linger.ms=soon");
        assertThatThrownBy(() -> new Bridge(s)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("--kafka-property").hasMessageContaining("linger.ms");
    }
}
