package io.sensorflow.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.oracle.Measurement;
import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.SensorIds;
import io.sensorflow.simulator.payload.ByteBuf;
import io.sensorflow.simulator.payload.PayloadEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PayloadFormatTest {

    private static final long TS = Instant.parse("2026-11-21T08:15:03.120Z").toEpochMilli();

    private static String encode(PayloadFormat format, MessageFacts facts) {
        SensorIds ids = new SensorIds(100, format.defaultPrefix(), format.defaultWidth());
        ByteBuf buf = new ByteBuf(16);
        format.encoder(ids).encode(facts, buf);
        return buf.toString();
    }

    private static MessageFacts reading42(PayloadFormat format) {
        MessageFacts f = new MessageFacts().reading(41, format.eventTime(TS), format.carriesSeqDistanceAndMotion() ? 18231 : -1)
                .value(Measurement.TEMPERATURE, 214).value(Measurement.HUMIDITY, 480);
        if (format.carriesSeqDistanceAndMotion()) {
            f.value(Measurement.DISTANCE_CM, 1325).motion(false);
        }
        return f;
    }

    @Test
    void sensorflowShape() {
        assertThat(encode(PayloadFormat.SENSORFLOW, reading42(PayloadFormat.SENSORFLOW))).isEqualTo(
                "{\"sensor_id\":\"sensor-00042\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":21.4,"
                        + "\"humidity\":48.0,\"distance_cm\":132.5,\"motion\":false,\"seq\":18231}");
    }

    @Test
    void deviceEpochShape() {
        MessageFacts f = new MessageFacts().reading(41, 1763712000000L, -1).value(Measurement.TEMPERATURE, 214)
                .value(Measurement.HUMIDITY, 480);
        assertThat(encode(PayloadFormat.DEVICE_EPOCH, f))
                .isEqualTo("{\"device_id\":\"device_42\",\"temperature\":21.4,\"humidity\":48.0,\"timestamp\":1763712000}");
    }

    @Test
    void intIdShape() {
        assertThat(encode(PayloadFormat.INT_ID, reading42(PayloadFormat.INT_ID)))
                .isEqualTo("{\"sensor_id\":42,\"temperature\":21.4,\"humidity\":48.0,\"timestamp\":\"2026-11-21 08:15:03\"}");
    }

    @Test
    void secondFormatsStateWholeSeconds() {
        assertThat(PayloadFormat.DEVICE_EPOCH.eventTime(TS)).isEqualTo(TS - 120);
        assertThat(PayloadFormat.INT_ID.eventTime(TS)).isEqualTo(TS - 120);
        assertThat(PayloadFormat.SENSORFLOW.eventTime(TS)).isEqualTo(TS);
    }

    @Test
    void negativeAndSmallValuesKeepOneDecimal() {
        MessageFacts f = new MessageFacts().reading(0, 0, 0).value(Measurement.TEMPERATURE, -5).value(Measurement.HUMIDITY, 0)
                .value(Measurement.DISTANCE_CM, 20).motion(true);
        assertThat(encode(PayloadFormat.SENSORFLOW, f)).isEqualTo("{\"sensor_id\":\"sensor-00001\","
                + "\"ts\":\"1970-01-01T00:00:00.000Z\",\"temperature\":-0.5,\"humidity\":0.0,\"distance_cm\":2.0,"
                + "\"motion\":true,\"seq\":0}");
    }

    @Test
    void generatedSensorflowStream() {
        List<GeneratedMessage> all = Simulator.messages(Scenarios.base().sensors(30).count(3_000).build());
        Pattern shape = Pattern.compile("\\{\"sensor_id\":\"sensor-000\\d\\d\",\"ts\":\"2026-11-21T08:\\d\\d:\\d\\d\\.\\d{3}Z\","
                + "\"temperature\":\\d+\\.0,\"humidity\":\\d+\\.0,\"distance_cm\":\\d+\\.\\d,\"motion\":(true|false),\"seq\":\\d+}");
        Map<String, Long> nextSeq = new HashMap<>();
        Set<Long> times = new HashSet<>();
        long motion = 0;
        for (GeneratedMessage m : all) {
            assertThat(m.payloadText()).matches(shape);
            JsonNode n = Scenarios.parse(m);
            assertThat(n.get("sensor_id").asText()).isEqualTo(m.key());
            long expectedSeq = nextSeq.getOrDefault(m.key(), 0L);
            assertThat(n.get("seq").asLong()).isEqualTo(expectedSeq);
            nextSeq.put(m.key(), expectedSeq + 1);
            assertThat(n.get("temperature").asDouble()).isBetween(0.0, 50.0);
            assertThat(n.get("humidity").asDouble()).isBetween(20.0, 90.0);
            assertThat(n.get("distance_cm").asDouble()).isBetween(2.0, 400.0);
            times.add(Instant.parse(n.get("ts").asText()).toEpochMilli());
            motion += n.get("motion").asBoolean() ? 1 : 0;
        }
        assertThat(nextSeq).hasSize(30).allSatisfy((k, v) -> assertThat(v).isEqualTo(100L));
        assertThat(times).as("per-sensor phase offsets").hasSizeGreaterThan(2_900);
        assertThat(motion).as("PIR bursts happen").isBetween(50L, 1000L);
    }

    @Test
    void eachSensorReadsOncePerIntervalAtItsPhase() {
        List<GeneratedMessage> all = Simulator.messages(Scenarios.base().sensors(5).count(50)
                .interval(Duration.ofSeconds(2)).build());
        Map<String, Long> last = new HashMap<>();
        for (GeneratedMessage m : all) {
            Long before = last.put(m.key(), m.facts().eventTime());
            if (before != null) {
                assertThat(m.facts().eventTime() - before).isEqualTo(2000);
            } else {
                assertThat(m.facts().eventTime() - Scenarios.START.toEpochMilli()).isBetween(0L, 1999L);
            }
        }
    }

    @Test
    void dht11ReadsAtMostOncePerSecond() {
        List<GeneratedMessage> all = Simulator.messages(Scenarios.base().sensors(4).count(400)
                .interval(Duration.ofMillis(250)).build());
        Map<String, Long> lastDht = new HashMap<>();
        long withDht = 0;
        for (GeneratedMessage m : all) {
            JsonNode n = Scenarios.parse(m);
            assertThat(n.has("temperature")).isEqualTo(n.has("humidity"));
            assertThat(n.has("distance_cm")).isTrue();
            if (n.has("temperature")) {
                withDht++;
                Long before = lastDht.put(m.key(), m.facts().eventTime());
                if (before != null) {
                    assertThat(m.facts().eventTime() - before).isGreaterThanOrEqualTo(1000);
                }
            }
        }
        assertThat(withDht).isEqualTo(100);
    }

    @Test
    void deviceEpochAndIntIdStreams() {
        for (PayloadFormat format : List.of(PayloadFormat.DEVICE_EPOCH, PayloadFormat.INT_ID)) {
            List<GeneratedMessage> all = Simulator.messages(Scenarios.base().format(format).sensors(12).count(240).build());
            for (GeneratedMessage m : all) {
                JsonNode n = Scenarios.parse(m);
                if (format == PayloadFormat.DEVICE_EPOCH) {
                    assertThat(m.payloadText()).matches("\\{\"device_id\":\"device_\\d+\",\"temperature\":\\d+\\.0,"
                            + "\"humidity\":\\d+\\.0,\"timestamp\":\\d{10}}");
                    assertThat(n.get("device_id").asText()).isEqualTo(m.key());
                    assertThat(n.get("timestamp").asLong() * 1000).isEqualTo(m.facts().eventTime());
                } else {
                    assertThat(m.payloadText()).matches("\\{\"sensor_id\":\\d+,\"temperature\":\\d+\\.0,"
                            + "\"humidity\":\\d+\\.0,\"timestamp\":\"2026-11-21 08:00:\\d\\d\"}");
                    assertThat(n.get("sensor_id").isInt()).isTrue();
                    assertThat(n.get("sensor_id").asText()).isEqualTo(m.key());
                }
                assertThat(m.facts().hasSeq()).isFalse();
            }
        }
    }

    @Test
    void theFieldListWritesTheSameBytesAsTheFastPath() {
        for (PayloadFormat format : PayloadFormat.values()) {
            SimulatorSettings s = Scenarios.base().format(format).sensors(7).count(500).build();
            PayloadEncoder encoder = format.encoder(s.sensorIds());
            for (GeneratedMessage m : Simulator.messages(s)) {
                ByteBuf slow = new ByteBuf(16);
                PayloadEncoder.writeObject(encoder.fields(m.facts()), slow);
                assertThat(slow.toString()).isEqualTo(m.payloadText());
            }
        }
    }

    @Test
    void factsAgreeWithThePayloads() {
        // The oracle trusts the facts; here they are checked against the bytes, read back with Jackson.
        for (PayloadFormat format : PayloadFormat.values()) {
            SimulatorSettings s = Scenarios.base().format(format).sensors(9).count(900).build();
            for (GeneratedMessage m : Simulator.messages(s)) {
                JsonNode n = Scenarios.parse(m);
                MessageFacts f = m.facts();
                for (Measurement metric : Measurement.values()) {
                    if (f.has(metric)) {
                        assertThat(n.get(metric.field()).asDouble()).isEqualTo(f.value(metric) / 10.0);
                    } else {
                        assertThat(n.has(metric.field())).isFalse();
                    }
                }
                if (format == PayloadFormat.SENSORFLOW) {
                    assertThat(Instant.parse(n.get("ts").asText()).toEpochMilli()).isEqualTo(f.eventTime());
                    assertThat(n.get("seq").asLong()).isEqualTo(f.seq());
                    assertThat(n.get("motion").asBoolean()).isEqualTo(f.motion() == 1);
                }
            }
        }
    }
}
