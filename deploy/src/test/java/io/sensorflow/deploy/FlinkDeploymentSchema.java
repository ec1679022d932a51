package io.sensorflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The FlinkDeployment CRD schema of the Flink Kubernetes Operator, from the jar of
 * org.apache.flink:flink-kubernetes-operator-api:1.10.0 (the newest the build can fetch), with two
 * changes, both made here and nowhere else:
 *
 * <ul>
 *   <li>its flinkVersion enum stops at v1_20, while our Flink is 2.2: the enum is extended with
 *       v2_0, v2_1 and v2_2, the values later operator releases (1.11, 1.13, 1.15) accept. Only
 *       that one enum changes.
 *   <li>an object with declared properties gets {@code additionalProperties: false}, so a
 *       misspelt field fails here as it does with kubectl's strict field validation (the API
 *       server would otherwise drop it silently). Objects the CRD leaves open (flinkConfiguration,
 *       labels, ...) stay open.
 * </ul>
 */
final class FlinkDeploymentSchema {

    static final String CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
    static final List<String> FLINK_2_VERSIONS = List.of("v2_0", "v2_1", "v2_2");

    private final JsonNode crd;
    private final JsonSchema schema;

    FlinkDeploymentSchema() {
        try (InputStream in = FlinkDeploymentSchema.class.getClassLoader().getResourceAsStream(CRD)) {
            if (in == null) {
                throw new IllegalStateException(CRD + " is not on the test classpath (flink-kubernetes-operator-api)");
            }
            crd = DeployFiles.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode openApi = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
        ArrayNode versions = (ArrayNode) openApi.at("/properties/spec/properties/flinkVersion/enum");
        FLINK_2_VERSIONS.forEach(versions::add);
        // The API server knows these on every object; the CRD does not declare them.
        ObjectNode top = (ObjectNode) openApi.get("properties");
        top.putObject("apiVersion").put("type", "string");
        top.putObject("kind").put("type", "string");
        ObjectNode metadata = top.putObject("metadata");
        metadata.put("type", "object");
        ObjectNode meta = metadata.putObject("properties");
        meta.putObject("name").put("type", "string");
        meta.putObject("namespace").put("type", "string");
        for (String map : List.of("labels", "annotations")) {
            meta.putObject(map).put("type", "object").putObject("additionalProperties").put("type", "string");
        }
        closeDeclaredObjects(openApi);

        JsonMetaSchema metaSchema = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                .keyword(new NonValidationKeyword("x-kubernetes-int-or-string"))
                .keyword(new NonValidationKeyword("x-kubernetes-preserve-unknown-fields"))
                .build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, b -> b.metaSchema(metaSchema)
                        .defaultMetaSchemaIri(metaSchema.getIri()))
                .getSchema(openApi);
    }

    /** The API version the CRD serves, e.g. flink.apache.org/v1beta1. */
    String apiVersion() {
        return crd.at("/spec/group").asText() + "/" + crd.at("/spec/versions/0/name").asText();
    }

    JsonNode flinkVersionEnum() {
        return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/flinkVersion/enum");
    }

    /** What is wrong with a FlinkDeployment, as "path: message" lines; empty when it is valid. */
    List<String> validate(JsonNode deployment) {
        return schema.validate(deployment).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static void closeDeclaredObjects(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("properties")) {
                    field.getValue().forEach(FlinkDeploymentSchema::closeDeclaredObjects);
                } else if (field.getValue().isContainerNode()) {
                    closeDeclaredObjects(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(FlinkDeploymentSchema::closeDeclaredObjects);
        }
    }
}
