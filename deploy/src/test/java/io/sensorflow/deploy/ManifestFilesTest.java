package io.sensorflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file under deploy/: it parses, the Dockerfile agrees with the build, and no credential is written down. */
class ManifestFilesTest {

    @Test
    void everyYamlAndJsonFileParses() {
        List<Path> files = DeployFiles.filesBelow(DeployFiles.deployDir()).stream()
                .filter(f -> f.toString().matches(".*\\.(ya?ml|json)")).toList();

        assertThat(files).isNotEmpty();
        assertThat(files).allSatisfy(f -> {
            if (f.toString().endsWith(".json")) {
                assertThat(DeployFiles.json(f).isObject()).as(f.toString()).isTrue();
            } else {
                assertThat(DeployFiles.yamlDocuments(f)).as(f.toString()).isNotEmpty()
                        .allSatisfy(doc -> assertThat(doc.isObject()).isTrue());
            }
        });
    }

    @Test
    void theDockerfileBuildsOnTheFlinkImageOfOurVersionAndCopiesTheJarTheJobModuleBuilds() {
        Dockerfile dockerfile = Dockerfile.read();
        String flink = DeployFiles.flinkVersion();
        Path jobPom = DeployFiles.repoRoot().resolve("job/pom.xml");
        String shadedJar = "job/target/" + DeployFiles.pomValue(jobPom, "/project/artifactId") + "-"
                + DeployFiles.projectVersion() + "-" + DeployFiles.pomValue(jobPom,
                "//plugin[artifactId='maven-shade-plugin']//shadedClassifierName") + ".jar";

        assertThat(dockerfile.from()).isEqualTo("flink:" + flink + "-scala_2.12-java17");
        assertThat(dockerfile.args()).containsEntry("JOB_VERSION", DeployFiles.projectVersion());
        assertThat(dockerfile.jarPathInBuild()).isEqualTo(shadedJar);
        assertThat(dockerfile.jarPathInImage()).isEqualTo("/opt/flink/usrlib/sensorflow-job.jar");
        assertThat(dockerfile.runs()).singleElement().asString()
                .contains("/opt/flink/opt/flink-s3-fs-hadoop-" + flink + ".jar", "/opt/flink/plugins/s3-fs-hadoop/");
        // the build context is the repository root: its ignore file must let the jar through
        assertThat(DeployFiles.read(DeployFiles.flinkK8s().resolve("Dockerfile.dockerignore")))
                .contains("!job/target/sensorflow-job-*-flink.jar");
    }

    @Test
    void noFileUnderDeployHoldsAPasswordOrKey() {
        List<String> findings = new ArrayList<>();
        for (Path file : DeployFiles.filesBelow(DeployFiles.deployDir())) {
            String name = DeployFiles.deployDir().relativize(file).toString();
            if (name.endsWith("secrets.env") || name.endsWith("pom.xml")) {
                continue; // the real secrets are git-ignored (see the next test); the pom holds no settings
            }
            findings.addAll(SecretScan.inText(name, DeployFiles.read(file)));
            if (name.matches(".*\\.ya?ml")) {
                DeployFiles.yamlDocuments(file).forEach(doc -> findings.addAll(SecretScan.inTree(name, doc)));
            } else if (name.endsWith(".json")) {
                findings.addAll(SecretScan.inTree(name, DeployFiles.json(file)));
            }
        }

        assertThat(findings).isEmpty();
    }

    @Test
    void theSecretsOfEachOverlayComeFromAGitIgnoredFileWhoseExampleHoldsOnlyPlaceholders() {
        assertThat(DeployFiles.read(DeployFiles.flinkK8s().resolve(".gitignore")).lines())
                .contains("secrets.env");
        for (String overlay : List.of("overlays/dev", "overlays/production")) {
            Path dir = DeployFiles.flinkK8s().resolve(overlay);
            JsonNode kustomization = DeployFiles.yaml(dir.resolve("kustomization.yaml"));
            assertThat(kustomization.at("/secretGenerator/0/envs/0").asText()).as(overlay).isEqualTo("secrets.env");
            List<String> example = DeployFiles.read(dir.resolve("secrets.env.example")).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertThat(example).as(overlay).isNotEmpty()
                    .allSatisfy(l -> assertThat(l).endsWith("=" + SecretScan.PLACEHOLDER));
            // every Secret key the job's container needs is in the example, so a copy of it deploys
            Rendered rendered = Rendered.of(overlay);
            for (JsonNode var : rendered.mainContainer().path("env")) {
                JsonNode ref = var.at("/valueFrom/secretKeyRef");
                if (!ref.isMissingNode() && !ref.path("optional").asBoolean(false)) {
                    assertThat(example).as(overlay).contains(ref.path("key").asText() + "=" + SecretScan.PLACEHOLDER);
                }
            }
        }
    }

    @Test
    void theScanFindsPasswordsKeysAndPasswordsInUrls() {
        String yaml = """
                env:
                  - name: SENSORFLOW_JDBC_PASSWORD
                    value: hunter2
                secureJsonData:
                  password: hunter2
                jdbc: jdbc:postgresql://db:5432/sensorflow?user=sensorflow&password=hunter2
                url: postgresql://sensorflow:hunter2@db:5432/sensorflow
                args: ["--jdbc-password", "x"]
                ok:
                  password: ${SENSORFLOW_DB_PASSWORD}
                  token: change-me
                """;
        List<String> findings = new ArrayList<>(SecretScan.inText("f.yaml", yaml));
        findings.addAll(SecretScan.inTree("f.yaml", yamlTree(yaml)));

        assertThat(String.join("\n", findings)).contains("f.yaml:5:", "f.yaml:6:", "f.yaml:7:",
                "f.yaml:8:", "/env/0/value sets SENSORFLOW_JDBC_PASSWORD", "/secureJsonData/password has a value");
        assertThat(findings).noneMatch(f -> f.contains(":10:") || f.contains(":11:") || f.contains("/ok/"));
        assertThat(SecretScan.inText("secrets.env", "AWS_SECRET_ACCESS_KEY=AKIA0123")).hasSize(1);
    }

    private static JsonNode yamlTree(String yaml) {
        try {
            return DeployFiles.YAML.readTree(yaml);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theTestsRendererRefusesWhatItDoesNotUnderstand(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources: []
                images:
                  - name: sensorflow-job
                    newTag: "1.0"
                """);

        assertThatThrownBy(() -> MiniKustomize.build(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'images' is not supported");
    }
}
