package io.sensorflow.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads the records the job wrote to Kafka as the oracle's types, beside {@link JobOutputTables}. */
public final class JobOutputTopics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobOutputTopics() {}

    /** A record value of the dead-letter topic (see the job's DeadLetterJson). */
    public static ExpectedDeadLetter deadLetter(byte[] value) throws IOException {
        JsonNode d = JSON.readTree(value);
        byte[] kept = Base64.getDecoder().decode(d.get("payload_base64").asText());
        return new ExpectedDeadLetter(d.path("sensor_id").asText(""), new String(kept, StandardCharsets.UTF_8),
                ExpectedRejectReason.valueOf(d.get("reason_code").asText()), d.get("payload_size").asInt(),
                d.get("payload_sha256").asText());
    }

    /** A record value of the alerts topic (see the root README, "Alerts"). */
    public static ExpectedAlert alert(byte[] value) throws IOException {
        return ExpectedAlert.fromJobJson(JSON.readTree(value));
    }
}
