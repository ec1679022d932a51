package io.sensorflow.simulator;

import io.sensorflow.oracle.MessageFacts;
import java.nio.charset.StandardCharsets;

/** One emitted message kept whole: key, payload bytes and what the generator knows about it. */
public record GeneratedMessage(String key, byte[] payload, MessageFacts facts) {

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return key + " " + payloadText() + " " + facts;
    }
}
