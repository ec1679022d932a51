package io.sensorflow.job.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.ReadingParser;
import io.sensorflow.job.readings.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long FIFTEEN_MINUTES = 900_000L;

    static DeadLetter deadLetter(byte[] payload) {
        DeadLetter d = new DeadLetter();
        d.sourceTopic = "sensor-readings";
        d.sourcePartition = 3;
        d.sourceOffset = 18_231L;
        d.reasonCode = "OUT_OF_RANGE";
        d.reason = "temperature 500.0 is outside -40..125";
        d.sensorId = "greenhouse-01";
        d.eventTime = 1_795_248_903_120L; // 2026-11-21T08:15:03.120Z
        d.receivedAt = 1_795_248_904_000L; // 2026-11-21T08:15:04Z
        d.payload = payload;
        d.payloadSize = payload.length;
        d.payloadSha256 = sha256(payload);
        return d;
    }

    static byte[] sha256(byte[] payload) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static java.security.MessageDigest digest() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static final int LIMIT = io.sensorflow.job.sink.RecordLimits.KAFKA_DEFAULT_BYTES;

    static JsonNode json(DeadLetter d) throws Exception {
        byte[] bytes = DeadLetterJson.toJson(d, LIMIT);
        return MAPPER.readTree(bytes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void allFields() throws Exception {
        String text = "{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":500}";
        JsonNode j = json(deadLetter(utf8(text)));
        assertThat(j.get("reason_code").asText()).isEqualTo("OUT_OF_RANGE");
        assertThat(j.get("reason").asText()).isEqualTo("temperature 500.0 is outside -40..125");
        assertThat(j.get("sensor_id").asText()).isEqualTo("greenhouse-01");
        assertThat(j.get("event_time").asText()).isEqualTo("2026-11-21T08:15:03.120Z");
        assertThat(j.get("received_at").asText()).isEqualTo("2026-11-21T08:15:04Z");
        assertThat(j.get("source").get("topic").asText()).isEqualTo("sensor-readings");
        assertThat(j.get("source").get("partition").isIntegralNumber()).isTrue();
        assertThat(j.get("source").get("partition").asInt()).isEqualTo(3);
        assertThat(j.get("source").get("offset").asLong()).isEqualTo(18_231L);
        assertThat(j.get("payload").asText()).isEqualTo(text);
        assertThat(Base64.getDecoder().decode(j.get("payload_base64").asText())).isEqualTo(utf8(text));
    }

    @Test
    void outputIsUtf8Json() throws Exception {
        byte[] bytes = DeadLetterJson.toJson(deadLetter(utf8("{\"sensor_id\":\"温室\"}")), LIMIT);
        String asText = new String(bytes, StandardCharsets.UTF_8);
        assertThat(MAPPER.readTree(asText).get("payload").asText()).isEqualTo("{\"sensor_id\":\"温室\"}");
    }

    @Test
    void largeOffsetIsKeptExactly() throws Exception {
        DeadLetter d = deadLetter(utf8("x"));
        d.sourceOffset = 9_007_199_254_740_993L; // 2^53 + 1: not representable as a double
        JsonNode j = json(d);
        assertThat(j.get("source").get("offset").isIntegralNumber()).isTrue();
        assertThat(j.get("source").get("offset").asLong()).isEqualTo(9_007_199_254_740_993L);
    }

    @Test
    void unicodeTextPayload() throws Exception {
        String text = "{\"sensor_id\":\"capteur-été-🌡\",\"ts\":\"x\"}";
        JsonNode j = json(deadLetter(utf8(text)));
        assertThat(j.get("payload").asText()).isEqualTo(text);
        assertThat(Base64.getDecoder().decode(j.get("payload_base64").asText())).isEqualTo(utf8(text));
    }

    @Test
    void textWithQuotesBackslashesAndControlCharactersStaysValidJson() throws Exception {
        String text = "not \"json\" \\ at all\n\t\u0000\u0001 end";
        DeadLetter d = deadLetter(utf8(text));
        d.reason = "Unexpected character ('\"' (code 34))\n";
        d.sensorId = "a\"b\\c";
        JsonNode j = json(d);
        assertThat(j.get("payload").asText()).isEqualTo(text);
        assertThat(j.get("reason").asText()).isEqualTo("Unexpected character ('\"' (code 34))\n");
        assertThat(j.get("sensor_id").asText()).isEqualTo("a\"b\\c");
    }

    @Test
    void invalidUtf8HasNullTextButExactBytes() throws Exception {
        byte[][] payloads = {
            {(byte) 0xFF},
            {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'},
            {(byte) 0xC0, (byte) 0xAF},                 // overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},    // encoded surrogate
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
            {(byte) 0xE2, (byte) 0x82},                 // truncated '€'
        };
        for (byte[] payload : payloads) {
            JsonNode j = json(deadLetter(payload));
            assertThat(j.has("payload")).isTrue();
            assertThat(j.get("payload").isNull()).as("payload text of %s", java.util.Arrays.toString(payload)).isTrue();
            assertThat(Base64.getDecoder().decode(j.get("payload_base64").asText())).isEqualTo(payload);
        }
    }

    @Test
    void everyByteValueSurvives() throws Exception {
        byte[] payload = new byte[512];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        JsonNode j = json(deadLetter(payload));
        assertThat(Base64.getDecoder().decode(j.get("payload_base64").asText())).isEqualTo(payload);
        assertThat(j.get("payload").isNull()).isTrue();
    }

    @Test
    void base64OfAKnownValue() throws Exception {
        // "hello" in base64, by hand
        JsonNode j = json(deadLetter(utf8("hello")));
        assertThat(j.get("payload_base64").asText()).isEqualTo("aGVsbG8=");
        assertThat(j.get("payload").asText()).isEqualTo("hello");
    }

    @Test
    void emptyPayload() throws Exception {
        DeadLetter d = deadLetter(new byte[0]);
        d.reasonCode = "EMPTY_PAYLOAD";
        d.sensorId = null;
        d.eventTime = Long.MIN_VALUE;
        JsonNode j = json(d);
        assertThat(j.get("reason_code").asText()).isEqualTo("EMPTY_PAYLOAD");
        assertThat(j.get("payload").asText()).isEqualTo("");
        assertThat(j.get("payload_base64").asText()).isEqualTo("");
        assertThat(j.get("sensor_id").isNull()).isTrue();
        assertThat(j.get("event_time").isNull()).isTrue();
    }

    @Test
    void noSensorIdAndNoEventTimeAreNull() throws Exception {
        DeadLetter d = deadLetter(utf8("garbage"));
        d.sensorId = null;
        d.eventTime = Long.MIN_VALUE;
        JsonNode j = json(d);
        assertThat(j.has("sensor_id")).isTrue();
        assertThat(j.get("sensor_id").isNull()).isTrue();
        assertThat(j.has("event_time")).isTrue();
        assertThat(j.get("event_time").isNull()).isTrue();
        assertThat(j.get("received_at").asText()).isEqualTo("2026-11-21T08:15:04Z");
    }

    @Test
    void epochStartIsARealEventTime() throws Exception {
        DeadLetter d = deadLetter(utf8("x"));
        d.eventTime = 0L;
        assertThat(json(d).get("event_time").asText()).isEqualTo("1970-01-01T00:00:00Z");
    }

    // --- from a reading the parser rejected -----------------------------------------------------

    static Reading rejected(byte[] payload) {
        Reading r = ReadingParser.parse(payload);
        r.sourceTopic = "sensor-readings";
        r.sourcePartition = 1;
        r.sourceOffset = 42L;
        r.receivedAt = 1_795_248_904_000L; // 2026-11-21T08:15:04Z
        r.payload = payload;
        return r;
    }

    @Test
    void fromNotJsonReading() throws Exception {
        byte[] payload = utf8("definitely not json");
        Reading r = rejected(payload);
        assertThat(r.rejectReason).isEqualTo(RejectReason.NOT_JSON);
        DeadLetter d = DeadLetter.of(r, FIFTEEN_MINUTES, LIMIT, digest());
        JsonNode j = json(d);
        assertThat(j.get("reason_code").asText()).isEqualTo("NOT_JSON");
        assertThat(j.get("reason").asText()).isNotBlank();
        assertThat(j.get("sensor_id").isNull()).isTrue();
        // there was no time in the payload: not 1970-01-01T00:00:00Z
        assertThat(j.get("event_time").isNull()).as("event_time of %s", j).isTrue();
        assertThat(j.get("received_at").asText()).isEqualTo("2026-11-21T08:15:04Z");
        assertThat(j.get("source").get("topic").asText()).isEqualTo("sensor-readings");
        assertThat(j.get("source").get("partition").asInt()).isEqualTo(1);
        assertThat(j.get("source").get("offset").asLong()).isEqualTo(42L);
        assertThat(j.get("payload").asText()).isEqualTo("definitely not json");
        assertThat(Base64.getDecoder().decode(j.get("payload_base64").asText())).isEqualTo(payload);
    }

    @Test
    void fromMissingSensorIdReadingCountsInTheKafkaTimeWindow() {
        Reading r = rejected(utf8("{\"temperature\":20}"));
        assertThat(r.rejectReason).isEqualTo(RejectReason.MISSING_SENSOR_ID);
        DeadLetter d = DeadLetter.of(r, FIFTEEN_MINUTES, LIMIT, digest());
        assertThat(d.hasEventTime()).isFalse();
        // received 2026-11-21T08:15:04Z: the window 08:15..08:30
        assertThat(d.windowStart).isEqualTo(1_795_248_900_000L);
        assertThat(d.windowEnd).isEqualTo(1_795_249_800_000L);
    }

    @Test
    void fromInvalidValueReadingKeepsIdAndTime() throws Exception {
        byte[] payload = utf8("{\"sensor_id\":\"greenhouse-01\",\"ts\":\"2026-11-21T08:15:03.120Z\",\"temperature\":\"warm\"}");
        Reading r = rejected(payload);
        assertThat(r.rejectReason).isEqualTo(RejectReason.INVALID_VALUE);
        JsonNode j = json(DeadLetter.of(r, FIFTEEN_MINUTES, LIMIT, digest()));
        assertThat(j.get("reason_code").asText()).isEqualTo("INVALID_VALUE");
        assertThat(j.get("sensor_id").asText()).isEqualTo("greenhouse-01");
        assertThat(j.get("event_time").asText()).isEqualTo("2026-11-21T08:15:03.120Z");
        assertThat(Base64.getDecoder().decode(j.get("payload_base64").asText())).isEqualTo(payload);
    }

    @Test
    void fromInvalidUtf8Reading() throws Exception {
        byte[] payload = {'{', '"', 's', 'e', 'n', 's', 'o', 'r', '_', 'i', 'd', '"', ':', '"', (byte) 0xFF, '"', '}'};
        Reading r = rejected(payload);
        assertThat(r.rejectReason).isEqualTo(RejectReason.NOT_JSON);
        JsonNode j = json(DeadLetter.of(r, FIFTEEN_MINUTES, LIMIT, digest()));
        assertThat(j.get("payload").isNull()).isTrue();
        assertThat(Base64.getDecoder().decode(j.get("payload_base64").asText())).isEqualTo(payload);
    }
}
