package io.sensorflow.simulator;

/** Where messages go. MQTT comes later: a new constant and a sink in {@code output.MessageSinks}. */
public enum OutputKind {
    KAFKA("kafka"),
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
        throw new IllegalArgumentException("unknown output '" + name + "' (expected kafka or stdout)");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
