package io.sensorflow.simulator.oracle;

import io.sensorflow.simulator.RejectReason;
import java.nio.charset.StandardCharsets;

/**
 * A message the job must reject: its key, its exact payload (the simulator writes only valid
 * UTF-8, so the text is the bytes) and the reason code.
 */
public record DeadLetter(String key, String payload, RejectReason reason) {

    public byte[] payloadBytes() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }
}
