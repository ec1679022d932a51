package io.sensorflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where kubectl is installed (it is on this project's machines; skipped elsewhere), the overlays
 * rendered by the real kustomize must equal what {@link MiniKustomize} renders, up to the hash
 * suffixes kustomize gives generated names, so the other tests check what a cluster gets. It
 * also shows the suffixed names reach the FlinkDeployment (base/kustomizeconfig.yaml at work).
 */
class KubectlKustomizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production"})
    void kubectlRendersWhatTheTestsRender(String overlay, @TempDir Path copy) throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed");
        copyTree(DeployFiles.flinkK8s(), copy);
        Path dir = copy.resolve(overlay);
        // what a deployer does first; the tests' renderer reads the same file
        Files.copy(dir.resolve("secrets.env.example"), dir.resolve("secrets.env"));

        List<ObjectNode> expected = MiniKustomize.build(dir);
        String rendered = kubectlKustomize(dir);

        Map<String, String> suffixed = new LinkedHashMap<>();
        for (ObjectNode r : expected) {
            String kind = r.path("kind").asText();
            if (kind.equals("ConfigMap") || kind.equals("Secret")) {
                String name = r.at("/metadata/name").asText();
                Matcher m = Pattern.compile("\\b" + name + "-[a-z0-9]{10}\\b").matcher(rendered);
                assertThat(m.find()).as("kustomize gave %s %s a hash suffix", kind, name).isTrue();
                suffixed.put(m.group(), name);
            }
        }
        List<JsonNode> actual = documents(rendered);
        JsonNode deployment = actual.stream().filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                .findFirst().orElseThrow();
        String deploymentYaml = DeployFiles.YAML.writeValueAsString(deployment);
        suffixed.keySet().forEach(name -> assertThat(deploymentYaml).as("the FlinkDeployment refers to %s", name)
                .contains(name));

        String unsuffixed = rendered;
        for (Map.Entry<String, String> e : suffixed.entrySet()) {
            unsuffixed = unsuffixed.replace(e.getKey(), e.getValue());
        }
        assertThat(byKindAndName(documents(unsuffixed))).isEqualTo(byKindAndName(new ArrayList<>(expected)));
    }

    private static Map<String, JsonNode> byKindAndName(List<? extends JsonNode> resources) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        resources.forEach(r -> map.put(r.path("kind").asText() + "/" + r.at("/metadata/name").asText(), r));
        return map;
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            DeployFiles.YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    private static String kubectlKustomize(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals("secrets.env")) {
                    Files.copy(source, target);
                }
            }
        }
    }
}
