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

/**
 * The dead-letter topic's record value. {@code payload_base64} holds the original bytes exactly;
 * {@code payload} repeats them as text when they are valid UTF-8, for people reading the topic.
 */
public final class DeadLetterJson {

    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterJson() {}

    public static byte[] toJson(DeadLetter d) {
        byte[] payload = d.payload == null ? new byte[0] : d.payload;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + payload.length * 2);
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
            g.writeStringField("payload", utf8OrNull(payload));
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
            return null;
        }
    }
}
