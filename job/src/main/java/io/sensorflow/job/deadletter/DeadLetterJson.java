package io.sensorflow.job.deadletter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The dead-letter topic's record value. {@code payload_base64} holds the original bytes exactly, or
 * their first {@value DeadLetter#PAYLOAD_PREFIX_BYTES} when {@code payload_truncated};
 * {@code payload_size} and {@code payload_sha256} are the whole payload's. {@code payload} repeats
 * the kept bytes as text when they are valid UTF-8 and the record still fits with it, for people
 * reading the topic (as JSON text, control characters take up to six times their bytes).
 */
public final class DeadLetterJson {

    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterJson() {}

    /** The record value, at most {@code maxBytes} long (given the bounds of {@link DeadLetter}). */
    public static byte[] toJson(DeadLetter d, int maxBytes) {
        String text = utf8OrNull(d.payload);
        byte[] json = toJson(d, text);
        return json.length <= maxBytes || text == null ? json : toJson(d, null);
    }

    private static byte[] toJson(DeadLetter d, String payloadText) {
        byte[] payload = d.payload;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(384 + payload.length * 2);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("reason_code", d.reasonCode);
            g.writeStringField("reason", d.reason);
            g.writeStringField("sensor_id", d.sensorId);
            g.writeStringField("event_time", d.hasEventTime() ? Instant.ofEpochMilli(d.eventTime).toString() : null);
            g.writeStringField("received_at", Instant.ofEpochMilli(d.receivedAt).toString());
            g.writeObjectFieldStart("source");
            g.writeStringField("topic", d.sourceTopic);
            g.writeNumberField("partition", d.sourcePartition);
            g.writeNumberField("offset", d.sourceOffset);
            g.writeEndObject();
            g.writeNumberField("payload_size", d.payloadSize);
            g.writeStringField("payload_sha256", HexFormat.of().formatHex(d.payloadSha256));
            g.writeBooleanField("payload_truncated", d.payloadTruncated());
            g.writeStringField("payload", payloadText);
            g.writeStringField("payload_base64", Base64.getEncoder().encodeToString(payload));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return bytes.toByteArray();
    }

    private static String utf8OrNull(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            return null; // not UTF-8, or a prefix cut inside a character
        }
    }
}
