package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorflow.simulator.fault.FaultKind;
import io.sensorflow.simulator.fault.FaultSpecParser;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaults() {
        SimulatorSettings s = SimulatorSettings.builder().build();
        assertThat(s.sensors()).isEqualTo(100);
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.topic()).isEqualTo("sensor-readings");
        assertThat(s.format()).isEqualTo(PayloadFormat.SENSORFLOW);
        assertThat(s.idPrefix()).isEqualTo("sensor-");
        assertThat(s.idWidth()).isEqualTo(5);
        assertThat(s.bounded()).isFalse();
        assertThat(s.start()).isBetween(Instant.now().minusSeconds(5), Instant.now());
        assertThat(SimulatorSettings.builder().format(PayloadFormat.DEVICE_EPOCH).build().idPrefix()).isEqualTo("device_");
    }

    @Test
    void badValuesNameTheOption() {
        assertFails(SimulatorSettings.builder().sensors(0), "--sensors: must be between 1 and 1000000, was 0");
        assertFails(SimulatorSettings.builder().count(10).duration(Duration.ofMinutes(1)), "--count: give --count or --duration, not both");
        assertFails(SimulatorSettings.builder().format(PayloadFormat.DEVICE_EPOCH).interval(Duration.ofMillis(500)),
                "--interval: the device-epoch format carries only DHT11 values");
        assertFails(SimulatorSettings.builder().interval(Duration.ZERO), "--interval: must be at least 1ms");
        assertFails(SimulatorSettings.builder().rate(-1), "--rate:");
        assertFails(SimulatorSettings.builder().topic("no spaces"), "--topic:");
        assertFails(SimulatorSettings.builder().format(PayloadFormat.INT_ID).idPrefix("s-"), "--id-prefix: the int-id format");
        assertFails(SimulatorSettings.builder().idPrefix("a\"b"), "--id-prefix:");
        assertFails(SimulatorSettings.builder().start(Instant.parse("1960-01-01T00:00:00Z")), "--start:");
        assertFails(SimulatorSettings.builder().output(OutputKind.MQTT).mqttBroker("localhost:1883"),
                "--mqtt-broker: must be tcp://HOST:PORT (or ssl://, ws://, wss://), was 'localhost:1883'");
        assertFails(SimulatorSettings.builder().output(OutputKind.MQTT).mqttBroker("tcp://"), "--mqtt-broker:");
    }

    @Test
    void mqttOutputTakesABrokerUri() {
        assertThat(SimulatorSettings.builder().build().mqttBroker()).isEqualTo("tcp://localhost:1883");
        assertThat(SimulatorSettings.builder().output(OutputKind.MQTT).mqttBroker("tcp://[::1]:1883").build().mqttBroker())
                .isEqualTo("tcp://[::1]:1883");
        assertThat(SimulatorSettings.builder().output(OutputKind.MQTT).mqttBroker("ssl://broker.local:8883").build()
                .toString()).contains("output=mqtt broker=ssl://broker.local:8883");
        assertThat(OutputKind.fromCliName("mqtt")).isEqualTo(OutputKind.MQTT);
        // Another output does not look at the broker setting.
        assertThat(SimulatorSettings.builder().mqttBroker("nonsense").output(OutputKind.STDOUT).build()).isNotNull();
    }

    @Test
    void badFaultsNameTheOptionAndField() {
        assertFails(SimulatorSettings.builder().count(1000).fault(FaultSpecParser.parseOption(FaultKind.OUT_OF_ORDER,
                "max-delay=6s,count=1")), "--out-of-order max-delay: must be below the out-of-orderness bound 5s");
        assertFails(SimulatorSettings.builder().fault(FaultSpecParser.parseOption(FaultKind.DUPLICATE, "count=3")),
                "--duplicate count: a counted fault needs a bounded run");
        assertFails(SimulatorSettings.builder().count(100).fault(FaultSpecParser.parseOption(FaultKind.SPIKE,
                "metric=humidity,value=140,count=1")), "--spike value: 140.0 is outside the physical range of humidity");
        assertFails(SimulatorSettings.builder().count(100).format(PayloadFormat.INT_ID)
                .fault(FaultSpecParser.parseOption(FaultKind.ECHO, "count=1")), "--echo: the int-id format carries no distance_cm");
        assertFails(SimulatorSettings.builder().count(100).fault(FaultSpecParser.parseOption(FaultKind.SILENCE,
                "sensor=sensor-99999,for=1m")), "--silence sensor: unknown sensor 'sensor-99999'");
        assertFails(SimulatorSettings.builder().count(100).fault(FaultSpecParser.parseOption(FaultKind.MALFORMED,
                "probability=0.7")).fault(FaultSpecParser.parseOption(FaultKind.ECHO, "probability=0.5")),
                "faults: the probabilities add up to 1.2");
        assertThatThrownBy(() -> FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80"))
                .hasMessage("--spike count: give count=N or probability=P");
        assertThatThrownBy(() -> FaultSpecParser.parseOption(FaultKind.SPIKE, "metric=temperature,value=80,count=1,colour=red"))
                .hasMessageStartingWith("--spike colour: unknown field (a spike fault has metric, value, readings, count, probability)");
        assertThatThrownBy(() -> FaultSpecParser.parseOption(FaultKind.LATE, "count"))
                .hasMessageStartingWith("--late: 'count' is not name=value");
        assertThatThrownBy(() -> FaultSpecParser.parseOption(FaultKind.RISE, "metric=temperature,step=0.25,count=1"))
                .hasMessage("--rise step: '0.25' has more than one decimal");
        assertThatThrownBy(() -> FaultSpecParser.parseOption(FaultKind.MALFORMED, "reason=BROKEN,count=1"))
                .hasMessageStartingWith("--malformed reason: unknown reason 'BROKEN'");
    }

    @Test
    void countedFaultsNeedRoomInTheRun() {
        SimulatorSettings s = SimulatorSettings.builder().count(100).sensors(10).start(Scenarios.START)
                .fault(FaultSpecParser.parseOption(FaultKind.LATE, "count=1")).build();
        assertThatThrownBy(() -> new Simulation(s)).isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("--late count: the run is too short for 1 of these");
    }

    private static void assertFails(SimulatorSettings.Builder b, String messageStart) {
        assertThatThrownBy(b::build).isInstanceOf(SettingsException.class).hasMessageStartingWith(messageStart);
    }
}
