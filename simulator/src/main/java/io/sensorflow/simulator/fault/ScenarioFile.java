package io.sensorflow.simulator.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorflow.rules.yaml.StrictYaml;
import io.sensorflow.simulator.SettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML scenario: a list of faults, each with a {@code kind} and the fields that kind has (see
 * {@link FaultSpecParser}):
 * <pre>
 * faults:
 *   - kind: spike
 *     metric: temperature
 *     value: 80
 *     readings: 5
 *     count: 3
 *   - kind: silence
 *     sensor: all
 *     at: 10m
 *     for: 1m
 * </pre>
 * Every error names the file and the field, e.g. {@code scenario.yaml: faults[1].metric: unknown metric 'temp' ...}.
 * The YAML is read as strictly as a rule file ({@link StrictYaml}): at most 1 MiB, one document,
 * no anchors or aliases, no key given twice, no number past a double.
 */
public final class ScenarioFile {

    private static final StrictYaml YAML = new StrictYaml("a scenario file");

    private ScenarioFile() {}

    public static List<FaultSpec> read(Path file) {
        String name = file.toString();
        byte[] content;
        try {
            content = YAML.readFile(file);
        } catch (NoSuchFileException e) {
            throw new SettingsException(name, "no such file");
        } catch (IOException e) {
            throw new SettingsException(name, "cannot be read: " + e.getMessage(), e);
        } catch (StrictYaml.Problem e) {
            throw new SettingsException(name, e.getMessage());
        }
        return parse(name, content);
    }

    /** Parses scenario text; {@code name} is what errors call the file. */
    public static List<FaultSpec> parse(String name, String yaml) {
        return parse(name, yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static List<FaultSpec> parse(String name, byte[] content) {
        JsonNode root;
        try {
            root = YAML.read(content);
        } catch (StrictYaml.Problem e) {
            throw switch (e.kind()) {
                case DUPLICATE_KEY -> new SettingsException(name + ": " + path(e.path()), e.getMessage());
                case NOT_YAML -> new SettingsException(name, "not valid YAML"
                        + (e.line() < 0 ? "" : " at line " + e.line() + ", column " + e.column()) + ": " + e.getMessage(), e);
                case TOO_LARGE, REFUSED -> new SettingsException(name, e.getMessage());
            };
        }
        if (root.isMissingNode() || root.isNull()) {
            throw new SettingsException(name, "is empty; expected 'faults:' with a list of faults");
        }
        if (!root.isObject()) {
            throw new SettingsException(name, "expected a mapping with 'faults:' at the top");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("faults")) {
                throw new SettingsException(name + ": " + key, "unknown field (a scenario has only 'faults')");
            }
        }
        JsonNode list = root.get("faults");
        if (list == null || list.isNull()) {
            throw new SettingsException(name + ": faults", "is missing; give a list of faults");
        }
        if (!list.isArray()) {
            throw new SettingsException(name + ": faults", "must be a list (items start with '- kind: ...')");
        }
        List<FaultSpec> faults = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            faults.add(fault(name + ": faults[" + i + "]", list.get(i)));
        }
        return faults;
    }

    private static FaultSpec fault(String origin, JsonNode node) {
        if (!node.isObject()) {
            throw new SettingsException(origin, "must be a mapping with 'kind' and its fields");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw FaultSpec.error(origin, e.getKey(), "must be a single value");
            }
            // As text, 1e400 would read on as "Infinity" (a sensor of that name), !!binary as base64.
            String unfit = StrictYaml.unfitValue(e.getValue());
            if (unfit != null) {
                throw FaultSpec.error(origin, e.getKey(), unfit);
            }
            values.put(e.getKey(), e.getValue().asText());
        }
        String kindText = values.remove("kind");
        if (kindText == null) {
            throw FaultSpec.error(origin, "kind", "is missing (one of " + FaultKind.ids() + ")");
        }
        FaultKind kind;
        try {
            kind = FaultKind.fromId(kindText.trim());
        } catch (IllegalArgumentException e) {
            throw FaultSpec.error(origin, "kind", e.getMessage());
        }
        return FaultSpecParser.parse(kind, values, origin);
    }

    /** "faults[1].max-delay": where a key is, as the errors of a fault name it. */
    private static String path(List<Object> keys) {
        StringBuilder where = new StringBuilder();
        for (Object key : keys) {
            if (key instanceof Integer index) {
                where.append('[').append(index).append(']');
            } else {
                where.append(where.length() == 0 ? "" : ".").append(StrictYaml.shorten((String) key));
            }
        }
        return where.toString();
    }
}
