package io.sensorflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one kustomization (base or an overlay) renders to, and what the job's container gets from it. */
record Rendered(String kustomization, List<ObjectNode> resources) {

    static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/dev", "overlays/production");
    static final String MAIN_CONTAINER = "flink-main-container";

    static Rendered of(String kustomization) {
        return new Rendered(kustomization, MiniKustomize.build(DeployFiles.flinkK8s().resolve(kustomization)));
    }

    boolean isOverlay() {
        return kustomization.startsWith("overlays/");
    }

    ObjectNode deployment() {
        List<ObjectNode> deployments = resources.stream()
                .filter(r -> r.path("kind").asText().equals("FlinkDeployment")).toList();
        if (deployments.size() != 1) {
            throw new AssertionError(kustomization + " renders " + deployments.size() + " FlinkDeployments, not one");
        }
        return deployments.get(0);
    }

    JsonNode mainContainer() {
        for (JsonNode c : deployment().at("/spec/podTemplate/spec/containers")) {
            if (c.path("name").asText().equals(MAIN_CONTAINER)) {
                return c;
            }
        }
        throw new AssertionError(kustomization + ": the pod template has no container " + MAIN_CONTAINER
                + " (the operator merges only that name into the Flink containers)");
    }

    /** Data of a rendered ConfigMap or Secret (decoded), or null when there is none of that name. */
    Map<String, String> data(String kind, String name) {
        ObjectNode resource = MiniKustomize.find(resources, kind, name);
        if (resource == null) {
            return null;
        }
        Map<String, String> data = new LinkedHashMap<>();
        resource.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), kind.equals("Secret")
                ? new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)
                : e.getValue().asText()));
        return data;
    }

    /**
     * The environment the job's container gets: envFrom, then env (which wins), resolved against the
     * rendered ConfigMaps and Secrets. A Secret that base leaves to the overlays is a stand-in value
     * there; in an overlay a missing ConfigMap, Secret or key fails, unless marked optional.
     */
    Map<String, String> containerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : mainContainer().path("envFrom")) {
            String kind = from.has("configMapRef") ? "ConfigMap" : "Secret";
            JsonNode ref = from.has("configMapRef") ? from.get("configMapRef") : from.get("secretRef");
            Map<String, String> data = data(kind, ref.path("name").asText());
            if (data == null) {
                require(kind.equals("Secret") && !isOverlay(), kind + " " + ref.path("name").asText());
            } else {
                env.putAll(data);
            }
        }
        for (JsonNode var : mainContainer().path("env")) {
            String name = var.path("name").asText();
            if (var.has("value")) {
                env.put(name, var.get("value").asText());
                continue;
            }
            JsonNode ref = var.path("valueFrom").has("secretKeyRef")
                    ? var.at("/valueFrom/secretKeyRef") : var.at("/valueFrom/configMapKeyRef");
            String kind = var.path("valueFrom").has("secretKeyRef") ? "Secret" : "ConfigMap";
            Map<String, String> data = data(kind, ref.path("name").asText());
            String key = ref.path("key").asText();
            if (data != null && data.containsKey(key)) {
                env.put(name, data.get(key));
            } else if (!ref.path("optional").asBoolean(false)) {
                require(kind.equals("Secret") && !isOverlay(), kind + " " + ref.path("name").asText() + " key " + key);
                env.put(name, "(from an overlay's Secret)");
            }
        }
        return env;
    }

    private void require(boolean leftToOverlays, String what) {
        if (!leftToOverlays) {
            throw new AssertionError(kustomization + ": the job's container needs " + what + ", which is not rendered");
        }
    }
}
