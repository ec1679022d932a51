package io.sensorflow.simulator.output;

import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.MessageListener;

/**
 * Where messages go: Kafka, MQTT, standard output, memory. {@code payload} is reused by the
 * caller after {@link #send} returns: copy what must outlive the call.
 */
public interface MessageSink extends AutoCloseable {

    void send(int sensor, byte[] key, byte[] payload, int length);

    /** Waits until everything sent so far is delivered; throws if something could not be. */
    void flush();

    @Override
    void close();

    /** This sink as a listener of a simulation. */
    default MessageListener asListener() {
        MessageSink sink = this;
        return (MessageFacts facts, byte[] key, byte[] payload, int length) ->
                sink.send(facts.sensor(), key, payload, length);
    }
}
