package io.sensorflow.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Checks a flinkConfiguration against the options of our Flink version (flink-core on the test
 * classpath): each key must be a current option, not a removed or deprecated one, and its value
 * must parse as that option's type. Keys of the operator (kubernetes.operator.*) and of a metrics
 * reporter (metrics.reporter.NAME.*) are options of other jars and only pass by prefix.
 */
final class FlinkConfigKeys {

    static final List<String> OTHER_JARS_PREFIXES = List.of("kubernetes.operator.", "metrics.reporter.");

    private static final List<Class<?>> OPTION_CLASSES = List.of(CheckpointingOptions.class,
            StateBackendOptions.class, StateRecoveryOptions.class, HighAvailabilityOptions.class,
            RestartStrategyOptions.class, TaskManagerOptions.class, JobManagerOptions.class, MetricOptions.class,
            CoreOptions.class, PipelineOptions.class, RestOptions.class, HeartbeatManagerOptions.class);

    private final Map<String, ConfigOption<?>> byKey = new HashMap<>();
    private final Map<String, ConfigOption<?>> byDeprecatedKey = new HashMap<>();

    FlinkConfigKeys() {
        for (Class<?> type : OPTION_CLASSES) {
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    ConfigOption<?> option = read(field);
                    byKey.put(option.key(), option);
                    for (FallbackKey fallback : option.fallbackKeys()) {
                        byDeprecatedKey.put(fallback.getKey(), option);
                    }
                }
            }
        }
    }

    /** What is wrong with the configuration's keys and values; empty when nothing is. */
    List<String> problems(Map<String, String> configuration) {
        List<String> problems = new ArrayList<>();
        configuration.forEach((key, value) -> {
            ConfigOption<?> option = byKey.get(key);
            if (option != null) {
                try {
                    Configuration.fromMap(Map.of(key, value)).get(option);
                } catch (RuntimeException e) {
                    problems.add(key + ": '" + value + "' is not a valid value (" + e.getMessage() + ")");
                }
            } else if (byDeprecatedKey.containsKey(key)) {
                problems.add(key + " is an old name: Flink " + DeployFiles.flinkVersion() + " calls it "
                        + byDeprecatedKey.get(key).key());
            } else if (OTHER_JARS_PREFIXES.stream().noneMatch(key::startsWith)) {
                problems.add(key + " is not an option of Flink " + DeployFiles.flinkVersion()
                        + " (or of an option class FlinkConfigKeys knows)");
            }
        });
        return problems;
    }

    private static ConfigOption<?> read(Field field) {
        try {
            return (ConfigOption<?>) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
