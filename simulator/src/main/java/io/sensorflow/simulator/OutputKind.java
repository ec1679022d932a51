package io.sensorflow.simulator;

/** Where messages go; each kind has its sink in {@code output.MessageSinks}. */
public enum OutputKind {
    KAFKA("kafka"),
    /** QoS 1 to {@code sensors/<sensor id>/readings} on an MQTT broker, as the firmware publishes. */
    MQTT("mqtt"),
    /** JSON lines on standard output (payloads only, one a line). */
    STDOUT("stdout");

    private final String cliName;

    OutputKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static OutputKind fromCliName(String name) {
        for (OutputKind k : values()) {
            if (k.cliName.equals(name) || k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown output '" + name + "' (expected kafka, mqtt or stdout)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
