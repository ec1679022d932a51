package io.sensorflow.bridge;

/** A setting is wrong: the message names the setting, where its value came from and what is wrong. */
public final class SettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
