package io.sensorflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sensorflow.job.config.ConfigException;
import io.sensorflow.job.config.JobConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import picocli.CommandLine;

/**
 * The FlinkDeployment of base and of each overlay, rendered by {@link MiniKustomize}: valid for
 * the operator (its CRD schema and its admission checks) and in agreement with the build (Flink
 * version, image, jar, entry class, the job's settings).
 */
class FlinkDeploymentTest {

    private static final FlinkDeploymentSchema SCHEMA = new FlinkDeploymentSchema();
    private static final List<String> KUSTOMIZATIONS = Rendered.KUSTOMIZATIONS;

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void isValidAgainstTheOperatorsCrdSchema(String kustomization) {
        ObjectNode deployment = Rendered.of(kustomization).deployment();

        assertThat(deployment.path("apiVersion").asText()).isEqualTo(SCHEMA.apiVersion());
        assertThat(SCHEMA.validate(deployment)).as(kustomization).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void passesTheOperatorsAdmissionChecks(String kustomization) {
        assertThat(OperatorRules.problems(Rendered.of(kustomization).deployment())).as(kustomization).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void runsTheFlinkVersionAndTheImageOfTheBuild(String kustomization) {
        JsonNode spec = Rendered.of(kustomization).deployment().path("spec");
        String[] flink = DeployFiles.flinkVersion().split("\\.");

        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v" + flink[0] + "_" + flink[1]);
        assertThat(spec.path("image").asText()).as("the image is tagged with the project's version")
                .matches("([^:]+/)?sensorflow-job:" + Pattern.quote(DeployFiles.projectVersion()));
        assertThat(spec.path("mode").asText()).isEqualTo("native");
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void startsTheJobsMainClassFromTheJarTheImageCarries(String kustomization) throws Exception {
        JsonNode job = Rendered.of(kustomization).deployment().at("/spec/job");

        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + Dockerfile.read().jarPathInImage());
        Class<?> entry = Class.forName(job.path("entryClass").asText());
        Method main = entry.getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers())).isTrue();
        assertThat(main.getReturnType()).isEqualTo(void.class);
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void theJobAcceptsItsArgsWithTheEnvironmentTheConfigMapAndSecretGiveIt(String kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        JsonNode spec = rendered.deployment().path("spec");
        Map<String, String> env = rendered.containerEnvironment();
        Configuration flinkConf = Configuration.fromMap(OperatorRules.flinkConfiguration(rendered.deployment()));

        JobConfig config = JobConfig.parse(args(spec), env, new PrintWriter(new StringWriter()));

        assertThat(config).as("--help or --version in the args").isNotNull();
        // the ConfigMap's settings reach the job (not the defaults, localhost)
        assertThat(config.kafkaBootstrapServers).isEqualTo(env.get("SENSORFLOW_KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(config.jdbcUrl).isEqualTo(env.get("SENSORFLOW_JDBC_URL"));
        assertThat(config.jdbcPassword).as("the password, from the Secret").isNotBlank();
        // the job sets its own checkpointing, which wins over the cluster's: both must say the same
        assertThat(config.checkpointDir).as("--checkpoint-dir")
                .isEqualTo(flinkConf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
        assertThat(config.checkpointInterval).as("--checkpoint-interval")
                .isEqualTo(flinkConf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL));
        if (config.parallelism != null) {
            assertThat(config.parallelism).isEqualTo(spec.at("/job/parallelism").asInt());
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void theConfigMapHoldsOnlySettingsOfTheJobAndNoSecret(String kustomization) {
        Map<String, String> settings = Rendered.of(kustomization).data("ConfigMap", "sensorflow-config");
        CommandLine cli = new CommandLine(new JobConfig());

        assertThat(settings).isNotEmpty().containsKeys("SENSORFLOW_KAFKA_BOOTSTRAP_SERVERS", "SENSORFLOW_JDBC_URL");
        assertThat(settings.keySet()).allSatisfy(key -> {
            assertThat(key).startsWith("SENSORFLOW_").doesNotContainIgnoringCase("password");
            String option = "--" + key.substring("SENSORFLOW_".length()).toLowerCase().replace('_', '-');
            assertThat(cli.getCommandSpec().findOption(option)).as("%s is the job's %s", key, option).isNotNull();
        });
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void flinkConfigurationUsesOptionsOfOurFlinkVersionWithValidValues(String kustomization) {
        Map<String, String> conf = OperatorRules.flinkConfiguration(Rendered.of(kustomization).deployment());

        assertThat(new FlinkConfigKeys().problems(conf)).as(kustomization).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void exposesPrometheusMetricsOnTheReportersPort(String kustomization) {
        Rendered rendered = Rendered.of(kustomization);
        Map<String, String> conf = OperatorRules.flinkConfiguration(rendered.deployment());
        JsonNode annotations = rendered.deployment().at("/spec/podTemplate/metadata/annotations");

        assertThat(conf).containsEntry("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        String port = conf.get("metrics.reporter.prom.port");
        assertThat(port).isEqualTo("9249");
        assertThat(rendered.mainContainer().path("ports")).anySatisfy(p -> {
            assertThat(p.path("name").asText()).isEqualTo("metrics");
            assertThat(p.path("containerPort").asText()).isEqualTo(port);
        });
        assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(port);
    }

    @Test
    void devIsSmallWithLastStateUpgradesAndStateOnAVolume() {
        Rendered dev = Rendered.of("overlays/dev");
        JsonNode spec = dev.deployment().path("spec");
        Map<String, String> conf = OperatorRules.flinkConfiguration(dev.deployment());

        assertThat(spec.at("/job/parallelism").asInt()).isEqualTo(1);
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("last-state");
        assertThat(memory(spec, "taskManager")).isLessThanOrEqualTo(MemorySize.parse("2g"));
        assertThat(List.of(conf.get("execution.checkpointing.dir"), conf.get("execution.checkpointing.savepoint-dir"),
                conf.get("high-availability.storageDir"))).allSatisfy(dir -> assertThat(dir).startsWith("file:///flink-data/"));
        assertThat(dev.mainContainer().path("volumeMounts")).anySatisfy(m -> {
            assertThat(m.path("mountPath").asText()).isEqualTo("/flink-data");
            JsonNode volume = volume(spec, m.path("name").asText());
            String claim = volume.at("/persistentVolumeClaim/claimName").asText();
            assertThat(MiniKustomize.find(dev.resources(), "PersistentVolumeClaim", claim)).as(claim).isNotNull();
        });
    }

    @Test
    void productionIsBiggerWithSavepointUpgradesAStandbyJobManagerAndRollback() {
        JsonNode prod = Rendered.of("overlays/production").deployment();
        JsonNode dev = Rendered.of("overlays/dev").deployment().path("spec");
        JsonNode spec = prod.path("spec");
        Map<String, String> conf = OperatorRules.flinkConfiguration(prod);

        assertThat(spec.at("/job/parallelism").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(conf).containsEntry("high-availability.type", "kubernetes")
                .containsEntry("kubernetes.operator.deployment.rollback.enabled", "true");
        assertThat(spec.at("/jobManager/replicas").asInt()).isGreaterThanOrEqualTo(2);
        for (String role : List.of("jobManager", "taskManager")) {
            assertThat(memory(spec, role)).as(role).isGreaterThan(memory(dev, role));
        }
        assertThat(conf.get("execution.checkpointing.dir")).startsWith("s3://");
    }

    // The checks above can fail: each of these breaks one thing and expects the check to say so.

    @Test
    void theSchemaRejectsAMisspeltFieldAWrongTypeAndAnUnknownValue() {
        ObjectNode misspelt = Rendered.of("overlays/production").deployment();
        ((ObjectNode) misspelt.at("/spec/job")).put("paralellism", 4);
        ObjectNode wrongType = Rendered.of("overlays/production").deployment();
        ((ObjectNode) wrongType.at("/spec/job")).put("parallelism", "four");
        ObjectNode unknownMode = Rendered.of("overlays/production").deployment();
        ((ObjectNode) unknownMode.at("/spec/job")).put("upgradeMode", "savepoints");
        ObjectNode podTypo = Rendered.of("overlays/production").deployment();
        ((ObjectNode) podTypo.at("/spec/podTemplate/spec/containers/0")).putArray("envForm");

        assertThat(SCHEMA.validate(misspelt)).singleElement().asString().contains("paralellism");
        assertThat(SCHEMA.validate(wrongType)).singleElement().asString().contains("parallelism").contains("integer");
        assertThat(SCHEMA.validate(unknownMode)).singleElement().asString().contains("upgradeMode");
        assertThat(SCHEMA.validate(podTypo)).singleElement().asString().contains("envForm");
    }

    @Test
    void theOperatorsSchemaKnowsNoFlink2TheTestsAddOnlyThat() {
        ObjectNode flink3 = Rendered.of("base").deployment();
        ((ObjectNode) flink3.path("spec")).put("flinkVersion", "v3_0");

        assertThat(SCHEMA.flinkVersionEnum()).extracting(JsonNode::asText)
                .contains("v1_20").doesNotContainAnyElementsOf(FlinkDeploymentSchema.FLINK_2_VERSIONS);
        assertThat(SCHEMA.validate(flink3)).singleElement().asString().contains("flinkVersion");
    }

    @Test
    void theOperatorRulesRejectLastStateWithoutHaAndSavepointsWithoutADirectory() {
        ObjectNode noHa = Rendered.of("overlays/dev").deployment();
        ((ObjectNode) noHa.at("/spec/flinkConfiguration")).remove("high-availability.type");
        ObjectNode noSavepointDir = Rendered.of("overlays/production").deployment();
        ((ObjectNode) noSavepointDir.at("/spec/flinkConfiguration")).remove("execution.checkpointing.savepoint-dir");

        assertThat(OperatorRules.problems(noHa)).containsExactly("last-state upgrades need high availability");
        assertThat(OperatorRules.problems(noSavepointDir)).singleElement().asString().contains("savepoint");
    }

    @Test
    void flinkConfigKeysRejectsOldNamesTyposAndBadValues() {
        List<String> problems = new FlinkConfigKeys().problems(Map.of(
                "state.savepoints.dir", "s3://b/savepoints",
                "execution.checkpointing.intervall", "10s",
                "execution.checkpointing.interval", "ten seconds",
                "kubernetes.operator.periodic.savepoint.interval", "6 h"));

        assertThat(problems).hasSize(3).anySatisfy(p -> assertThat(p).contains("execution.checkpointing.savepoint-dir"))
                .anySatisfy(p -> assertThat(p).contains("intervall"))
                .anySatisfy(p -> assertThat(p).contains("ten seconds"));
    }

    @Test
    void theJobRefusesAnArgItDoesNotKnow() {
        assertThatThrownBy(() -> JobConfig.parse(new String[] {"--checkpoint-dirr=s3://b/c"}, Map.of(),
                new PrintWriter(new StringWriter()))).isInstanceOf(ConfigException.class).hasMessageContaining("checkpoint-dirr");
    }

    private static String[] args(JsonNode spec) {
        List<String> args = new ArrayList<>();
        spec.at("/job/args").forEach(a -> args.add(a.asText()));
        return args.toArray(String[]::new);
    }

    private static MemorySize memory(JsonNode spec, String role) {
        return MemorySize.parse(spec.path(role).path("resource").path("memory").asText());
    }

    private static JsonNode volume(JsonNode spec, String name) {
        for (JsonNode v : spec.at("/podTemplate/spec/volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }
}
