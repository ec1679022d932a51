package io.sensorflow.job.config;

/** A setting is wrong; the message names the setting, where it came from and what is wrong. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
