package io.sensorflow.job.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a setting comes from when it is not on the command line: first an environment variable
 * ({@code SENSORFLOW_} + the option name in capitals, dashes as underscores, e.g.
 * {@code SENSORFLOW_JDBC_PASSWORD}), then the config file (Java properties, keys are option names
 * without dashes, e.g. {@code window-size=15m}), then the option's default.
 */
final class SettingSources implements IDefaultValueProvider {

    static final String ENV_PREFIX = "SENSORFLOW_";

    private final Map<String, String> env;
    private final Properties file;
    private final Path filePath;
    private final Map<String, String> origins = new HashMap<>();

    SettingSources(Map<String, String> env, Path filePath) {
        this.env = env;
        this.filePath = filePath;
        this.file = new Properties();
        if (filePath != null) {
            try (Reader in = Files.newBufferedReader(filePath, StandardCharsets.UTF_8)) {
                file.load(in);
            } catch (IOException e) {
                throw new ConfigException("config file " + filePath + ": cannot be read (" + e.getMessage() + ")");
            }
        }
    }

    static String envName(String optionName) {
        return ENV_PREFIX + optionName.replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec)) {
            return null;
        }
        String name = ((OptionSpec) arg).longestName();
        String key = name.replaceFirst("^-+", "");
        String envKey = envName(name);
        if (env.containsKey(envKey)) {
            origins.put(name, "environment variable " + envKey);
            return env.get(envKey);
        }
        if (file.containsKey(key)) {
            origins.put(name, "config file " + filePath + ", key '" + key + "'");
            return file.getProperty(key);
        }
        return null;
    }

    /** "(from ...)" for a setting that did not come from the command line, else "". */
    String originOf(String optionName) {
        String origin = origins.get(optionName);
        return origin == null ? "" : " (from " + origin + ")";
    }

    Iterable<String> fileKeys() {
        return file.stringPropertyNames();
    }

    Path filePath() {
        return filePath;
    }
}
