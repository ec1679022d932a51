package io.sensorflow.job.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.job.readings.ReadingParser;
import io.sensorflow.job.readings.RejectReason;
import io.sensorflow.job.sink.RecordLimits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a producer sends, its dead letter fits the dead-letter topic's records: the payload is
 * kept whole while it fits, otherwise its first 64 KiB with the whole payload's size and SHA-256.
 * A record too large for the topic would fail the job, and the restart would read it again.
 */
class DeadLetterBoundsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long WINDOW = 15 * 60_000L;

    private static Reading rejected(byte[] payload) {
        Reading r = ReadingParser.parse(payload);
        r.sourceTopic = "sensor-readings";
        r.sourcePartition = 1;
        r.sourceOffset = 42L;
        r.receivedAt = 1_795_248_904_000L;
        r.payload = payload;
        return r;
    }

    /** The largest value the topic's records may have. */
    private static int maxValue(RecordLimits limits) {
        return limits.deadLetterTopicBytes() - RecordLimits.RECORD_OVERHEAD_BYTES;
    }

    private static byte[] deepObject(int bytes) {
        // about 600 KB of nesting: the reading that once stopped the pipeline for good
        byte[] b = new byte[bytes];
        Arrays.fill(b, 0, bytes / 2, (byte) '[');
        Arrays.fill(b, bytes / 2, bytes, (byte) ']');
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {600_000, 1_000_000, 1_048_576, 5_000_000})
    void aLargePayloadMakesADeadLetterThatFitsTheTopic(int size) throws Exception {
        RecordLimits limits = RecordLimits.kafkaDefaults();
        byte[] payload = deepObject(size);
        Reading r = rejected(payload);
        assertThat(r.rejectReason).isEqualTo(RejectReason.NOT_JSON);

        DeadLetter d = DeadLetter.of(r, WINDOW, limits.deadLetterWholePayloadBytes(), DeadLetterJsonTest.digest());
        byte[] value = DeadLetterJson.toJson(d, maxValue(limits));

        assertThat(value.length).isLessThanOrEqualTo(maxValue(limits));
        JsonNode j = MAPPER.readTree(value);
        byte[] kept = Base64.getDecoder().decode(j.get("payload_base64").asText());
        assertThat(j.get("payload_size").asInt()).isEqualTo(size);
        assertThat(j.get("payload_sha256").asText()).isEqualTo(HexFormat.of().formatHex(DeadLetterJsonTest.sha256(payload)));
        if (size <= limits.deadLetterWholePayloadBytes()) {
            assertThat(kept).isEqualTo(payload);
            assertThat(j.get("payload_truncated").asBoolean()).isFalse();
        } else {
            assertThat(kept).isEqualTo(Arrays.copyOf(payload, DeadLetter.PAYLOAD_PREFIX_BYTES));
            assertThat(j.get("payload_truncated").asBoolean()).isTrue();
        }
    }

    @Test
    void aPayloadWholeAsBase64ButNotAlsoAsTextKeepsItsBytesAndDropsTheText() throws Exception {
        RecordLimits limits = RecordLimits.kafkaDefaults();
        byte[] payload = deepObject(limits.deadLetterWholePayloadBytes());
        DeadLetter d = DeadLetter.of(rejected(payload), WINDOW, limits.deadLetterWholePayloadBytes(),
                DeadLetterJsonTest.digest());
        byte[] value = DeadLetterJson.toJson(d, maxValue(limits));

        assertThat(value.length).isLessThanOrEqualTo(maxValue(limits));
        JsonNode j = MAPPER.readTree(value);
        assertThat(j.get("payload").isNull()).isTrue();
        assertThat(Base64.getDecoder().decode(j.get("payload_base64").asText())).isEqualTo(payload);
        assertThat(j.get("payload_truncated").asBoolean()).isFalse();
    }

    @Test
    void theWorstCaseAtEveryLimitTheJobStartsWithStillFits() throws Exception {
        // The largest payload kept whole, the longest reason in control characters (six bytes each
        // as JSON), a sensor id of 128 four-byte characters and a long topic name.
        for (int limit : new int[] {RecordLimits.MIN_DEAD_LETTER_TOPIC_BYTES, 200_000, 1_048_576, 8 << 20}) {
            RecordLimits limits = new RecordLimits(limit, limit);
            DeadLetter d = new DeadLetter();
            d.sourceTopic = "t".repeat(249);
            d.reasonCode = RejectReason.INVALID_VALUE.name();
            d.reason = DeadLetter.printable("\u0001".repeat(5_000));
            d.sensorId = "🌡".repeat(128);
            d.eventTime = DeadLetter.LATEST_STORED_TIME;
            d.receivedAt = DeadLetter.LATEST_STORED_TIME;
            d.sourceOffset = Long.MAX_VALUE;
            d.sourcePartition = Integer.MAX_VALUE;
            byte[] payload = new byte[limits.deadLetterWholePayloadBytes()];
            Arrays.fill(payload, (byte) 1); // valid UTF-8, six bytes each as JSON text
            d.payload = payload;
            d.payloadSize = payload.length;
            d.payloadSha256 = DeadLetterJsonTest.sha256(payload);

            byte[] value = DeadLetterJson.toJson(d, maxValue(limits));
            int key = d.sensorId.getBytes(StandardCharsets.UTF_8).length;
            assertThat(value.length + key).as("record of a %d-byte limit", limit)
                    .isLessThanOrEqualTo(limit - RecordLimits.RECORD_OVERHEAD_BYTES + 512);
        }
    }

    @Test
    void aReasonIsCutAndLosesItsNulsAndLoneSurrogates() {
        assertThat(DeadLetter.printable("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(DeadLetter.printable("x\uD800y")).isEqualTo("x\uFFFDy");
        assertThat(DeadLetter.printable("ok 🌡 ok")).isEqualTo("ok 🌡 ok");
        String cut = DeadLetter.printable("r".repeat(10_000));
        assertThat(cut).hasSize(DeadLetter.MAX_REASON_CHARS).endsWith("…");
    }

    @Test
    void timesNoSinkCanStoreAreNoTimes() {
        // epoch milliseconds far past the year 9999, and a record timestamp a producer set past it
        byte[] payload = "{\"sensor_id\":\"s\",\"ts\":9223372036854775807,\"temperature\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        Reading r = rejected(payload);
        r.receivedAt = Long.MAX_VALUE;
        DeadLetter d = DeadLetter.of(r, WINDOW, 1 << 20, DeadLetterJsonTest.digest());
        assertThat(d.hasEventTime()).isFalse();
        assertThat(d.receivedAt).isEqualTo(DeadLetter.LATEST_STORED_TIME);
        assertThat(d.windowEnd).isLessThanOrEqualTo(DeadLetter.LATEST_STORED_TIME + 1);
    }
}
