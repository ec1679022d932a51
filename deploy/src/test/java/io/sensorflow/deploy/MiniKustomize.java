package io.sensorflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the few features deploy/
 * uses, so the tests need no kubectl: resources (files and directories), patches given by path
 * and applied as JSON merge patches (RFC 7386: maps merge key by key, a list replaces the list,
 * null deletes, which is what kustomize does to a custom resource such as FlinkDeployment),
 * ConfigMap and Secret generators from literals and env files (create or merge), and namespace.
 * Generated names get no hash suffix here. Anything else in a kustomization is refused, so a
 * feature the tests would silently ignore cannot creep in; {@link KubectlKustomizeTest} compares
 * the result with kubectl's where kubectl is installed.
 *
 * <p>An overlay's secrets.env is git-ignored and so absent in a checkout: then its
 * secrets.env.example is read instead.
 */
final class MiniKustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "patches",
            "configMapGenerator", "secretGenerator", "namespace", "configurations");

    private MiniKustomize() {}

    /** The resources the kustomization in dir renders to, in order of appearance. */
    static List<ObjectNode> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        JsonNode k = DeployFiles.yaml(file);
        k.fieldNames().forEachRemaining(key -> {
            if (!SUPPORTED.contains(key)) {
                throw new IllegalArgumentException(file + ": '" + key + "' is not supported by the tests' renderer"
                        + " (MiniKustomize); supported: " + SUPPORTED);
            }
        });
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : k.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(build(path));
            } else {
                DeployFiles.yamlDocuments(path).forEach(doc -> resources.add((ObjectNode) doc));
            }
        }
        generate(dir, k.path("configMapGenerator"), "ConfigMap", resources);
        generate(dir, k.path("secretGenerator"), "Secret", resources);
        for (JsonNode patch : k.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalArgumentException(file + ": only patches given by 'path' alone are supported");
            }
            JsonNode doc = DeployFiles.yaml(dir.resolve(patch.get("path").asText()));
            ObjectNode target = find(resources, doc.path("kind").asText(), doc.path("metadata").path("name").asText());
            if (target == null) {
                throw new IllegalArgumentException(file + ": patch " + patch.get("path").asText() + " matches no resource");
            }
            mergePatch(target, doc);
        }
        if (k.has("namespace")) {
            resources.forEach(r -> ((ObjectNode) r.path("metadata")).put("namespace", k.get("namespace").asText()));
        }
        return resources;
    }

    /** RFC 7386 JSON merge patch of target by patch, in place. */
    static void mergePatch(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && existing != null && existing.isObject()) {
                mergePatch((ObjectNode) existing, value);
            } else if (value.isObject()) {
                ObjectNode fresh = target.putObject(field.getKey());
                mergePatch(fresh, value);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }

    static ObjectNode find(List<ObjectNode> resources, String kind, String name) {
        for (ObjectNode r : resources) {
            if (r.path("kind").asText().equals(kind) && r.path("metadata").path("name").asText().equals(name)) {
                return r;
            }
        }
        return null;
    }

    private static void generate(Path dir, JsonNode generators, String kind, List<ObjectNode> resources) {
        for (JsonNode g : generators) {
            g.fieldNames().forEachRemaining(key -> {
                if (!Set.of("name", "behavior", "literals", "envs").contains(key)) {
                    throw new IllegalArgumentException(dir + ": " + kind + " generator field '" + key
                            + "' is not supported by the tests' renderer");
                }
            });
            Map<String, String> data = new LinkedHashMap<>();
            for (JsonNode literal : g.path("literals")) {
                putLine(data, literal.asText(), dir);
            }
            for (JsonNode env : g.path("envs")) {
                Path file = dir.resolve(env.asText());
                if (!Files.exists(file)) {
                    file = dir.resolve(env.asText() + ".example");
                }
                for (String line : DeployFiles.read(file).split("\n")) {
                    if (!line.isBlank() && !line.strip().startsWith("#")) {
                        putLine(data, line.strip(), file);
                    }
                }
            }
            String name = g.path("name").asText();
            String behavior = g.path("behavior").asText("create");
            ObjectNode existing = find(resources, kind, name);
            ObjectNode resource;
            if (behavior.equals("create")) {
                if (existing != null) {
                    throw new IllegalArgumentException(dir + ": " + kind + " " + name + " exists already");
                }
                resource = JsonNodeFactory.instance.objectNode();
                resource.put("apiVersion", "v1").put("kind", kind).putObject("metadata").put("name", name);
                resources.add(resource);
            } else if (behavior.equals("merge") && existing != null) {
                resource = existing;
            } else {
                throw new IllegalArgumentException(dir + ": " + kind + " " + name + " behavior " + behavior
                        + " is not supported here, or there is nothing to merge into");
            }
            ObjectNode out = resource.has("data") ? (ObjectNode) resource.get("data") : resource.putObject("data");
            data.forEach((key, value) -> out.put(key, kind.equals("Secret")
                    ? Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) : value));
            if (kind.equals("Secret")) {
                resource.put("type", "Opaque");
            }
        }
    }

    private static void putLine(Map<String, String> data, String line, Object where) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(where + ": '" + line + "' is not KEY=VALUE");
        }
        data.put(line.substring(0, eq), line.substring(eq + 1));
    }
}
