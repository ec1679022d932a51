package io.sensorflow.simulator.output;

import io.sensorflow.simulator.SimulatorSettings;

/** The sink for the configured output: the one place that knows every kind. */
public final class MessageSinks {

    private MessageSinks() {}

    /** Opens the sink of {@code settings.output()}; for Kafka, creates the topic first if it is missing. */
    public static MessageSink open(SimulatorSettings settings) {
        return open(settings, null);
    }

    /** As {@link #open(SimulatorSettings)}, with JSON lines going to {@code stdout} (null: the process's). */
    public static MessageSink open(SimulatorSettings settings, java.io.OutputStream stdout) {
        switch (settings.output()) {
            case KAFKA:
                if (settings.partitions() > 0) {
                    TopicCreator.createIfMissing(settings.bootstrapServers(), settings.topic(), settings.partitions());
                }
                return new KafkaMessageSink(settings.bootstrapServers(), settings.topic(), settings.producerProperties());
            case MQTT:
                return new MqttMessageSink(settings.mqttBroker());
            case STDOUT:
                return stdout == null ? new StdoutMessageSink() : new StdoutMessageSink(stdout, false);
            default:
                throw new IllegalStateException("no sink for output " + settings.output());
        }
    }
}
