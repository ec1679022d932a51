package io.sensorflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.jobmanager.HighAvailabilityMode;

/**
 * The checks the operator's admission validator (DefaultValidator of flink-kubernetes-operator)
 * makes on a new FlinkDeployment beyond the CRD schema, restated here because the operator itself
 * is not on Maven Central: a manifest that breaks one is refused by the cluster. Flink's own
 * classes (of our Flink version) read the configuration, as the operator's do.
 */
final class OperatorRules {

    private static final String NAME = "[a-z]([-a-z\\d]{0,43}[a-z\\d])?";
    private static final Set<String> FORBIDDEN_KEYS = Set.of("kubernetes.namespace", "kubernetes.cluster-id",
            "high-availability.cluster-id");
    private static final Set<String> LOG_CONFIG_KEYS = Set.of("log4j-console.properties", "logback-console.xml");

    private OperatorRules() {}

    static Map<String, String> flinkConfiguration(JsonNode deployment) {
        Map<String, String> conf = new LinkedHashMap<>();
        deployment.path("spec").path("flinkConfiguration").fields()
                .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
        return conf;
    }

    /** Why the operator would refuse the deployment; empty when it would not. */
    static List<String> problems(JsonNode deployment) {
        List<String> problems = new ArrayList<>();
        JsonNode spec = deployment.path("spec");
        Map<String, String> confMap = flinkConfiguration(deployment);
        Configuration conf = Configuration.fromMap(confMap);
        boolean ha = HighAvailabilityMode.isHighAvailabilityModeActivated(conf);

        String name = deployment.path("metadata").path("name").asText();
        if (!name.matches(NAME)) {
            problems.add("name '" + name + "' is not a valid FlinkDeployment name (" + NAME + ")");
        }
        if (!spec.hasNonNull("flinkVersion")) {
            problems.add("flinkVersion must be defined");
        }
        FORBIDDEN_KEYS.stream().filter(confMap::containsKey).forEach(k -> problems.add("forbidden Flink config key " + k));
        if (Boolean.parseBoolean(confMap.get("kubernetes.operator.deployment.rollback.enabled")) && !ha) {
            problems.add("rollback needs high availability");
        }
        spec.path("logConfiguration").fieldNames().forEachRemaining(k -> {
            if (!LOG_CONFIG_KEYS.contains(k)) {
                problems.add("log configuration key " + k + " is not one of " + LOG_CONFIG_KEYS);
            }
        });
        JsonNode job = spec.path("job");
        String upgradeMode = job.path("upgradeMode").asText("stateless");
        if (upgradeMode.equals("last-state") && !ha) {
            problems.add("last-state upgrades need high availability");
        }
        if (!upgradeMode.equals("stateless") && blank(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))) {
            problems.add(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key() + " must be set for " + upgradeMode + " upgrades");
        }
        if (upgradeMode.equals("savepoint") && blank(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))) {
            problems.add(CheckpointingOptions.SAVEPOINT_DIRECTORY.key() + " must be set for savepoint upgrades");
        }
        if (!spec.path("taskManager").has("replicas") && job.path("parallelism").asInt(0) < 1) {
            problems.add("job parallelism must be larger than 0");
        }
        if (!job.path("state").asText("running").equals("running")) {
            problems.add("a new deployment's job must start in state running");
        }
        for (String role : List.of("jobManager", "taskManager")) {
            String memory = spec.path(role).path("resource").path("memory").asText(null);
            if (memory == null) {
                problems.add(role + ".resource.memory must be set");
            } else {
                try {
                    MemorySize.parse(memory);
                } catch (IllegalArgumentException e) {
                    problems.add(role + ".resource.memory: " + e.getMessage());
                }
            }
        }
        int jmReplicas = spec.path("jobManager").path("replicas").asInt(1);
        if (jmReplicas < 1 || (jmReplicas > 1 && !ha)) {
            problems.add("jobManager.replicas " + jmReplicas + ": at least 1, and more only with high availability");
        }
        if (!spec.hasNonNull("serviceAccount")) {
            problems.add("serviceAccount must be defined");
        }
        return problems;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
