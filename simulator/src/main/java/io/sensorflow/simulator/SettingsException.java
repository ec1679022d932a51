package io.sensorflow.simulator;

/**
 * A setting (or a fault in a scenario) that cannot work. The message starts with where the bad
 * value came from (an option such as {@code --sensors}, or {@code file.yaml: faults[2].metric})
 * and says what is wrong.
 */
public class SettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String where;

    public SettingsException(String where, String problem) {
        super(where + ": " + problem);
        this.where = where;
    }

    public SettingsException(String where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
        this.where = where;
    }

    /** The option or file and field that holds the bad value. */
    public String where() {
        return where;
    }
}
