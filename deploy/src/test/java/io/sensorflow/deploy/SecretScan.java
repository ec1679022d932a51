package io.sensorflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what looks like a credential written into a file: a value given to a name that says
 * password, secret, token or key (as YAML/JSON field or as NAME=value / NAME: value text), a
 * password in a URL or JDBC URL, or a --jdbc-password argument. A value passes when it is no
 * value: empty, a reference (${VAR}, $VAR, $__file{...}, $__env{...}) or the placeholder change-me.
 */
final class SecretScan {

    static final String PLACEHOLDER = "change-me";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|pwd|secret[-_]?(access[-_]?)?key|access[-_]?key([-_]?id)?|token|api[-_]?key).*");
    private static final Pattern SECRET_TEXT = Pattern.compile(
            "(?i)\\b([\\w.-]*(?:password|passwd|secret[-_]?access[-_]?key|access[-_]?key[-_]?id|token|api[-_]?key)[\\w.-]*)"
            + "\\s*[=:]\\s*[\"']?(\\$\\{[^}]*}|[^\\s\"',}]*)");
    private static final Pattern URL_PASSWORD = Pattern.compile("://[^/\\s:@\"']+:([^/\\s@\"']+)@");
    private static final Pattern NO_VALUE = Pattern.compile(
            "|" + PLACEHOLDER + "|\\$\\{[A-Za-z_][A-Za-z0-9_]*}|\\$[A-Za-z_][A-Za-z0-9_]*|\\$__(file|env)\\{[^}]*}");

    private SecretScan() {}

    /** Findings in a text file, as "file:line: what". */
    static List<String> inText(String file, String text) {
        List<String> findings = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher named = SECRET_TEXT.matcher(line);
            while (named.find()) {
                if (!NO_VALUE.matcher(named.group(2)).matches()) {
                    findings.add(file + ":" + (i + 1) + ": " + named.group(1) + " has a value");
                }
            }
            Matcher url = URL_PASSWORD.matcher(line);
            while (url.find()) {
                if (!NO_VALUE.matcher(url.group(1)).matches()) {
                    findings.add(file + ":" + (i + 1) + ": a URL with a password");
                }
            }
            if (line.contains("--jdbc-password")) {
                findings.add(file + ":" + (i + 1) + ": --jdbc-password on a command line (use SENSORFLOW_JDBC_PASSWORD from a Secret)");
            }
        }
        return findings;
    }

    /** Findings in a parsed YAML or JSON document: fields named like a secret with a value. */
    static List<String> inTree(String file, JsonNode node) {
        List<String> findings = new ArrayList<>();
        walk(file, "", node, findings);
        return findings;
    }

    private static void walk(String file, String path, JsonNode node, List<String> findings) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String fieldPath = path + "/" + field.getKey();
                JsonNode value = field.getValue();
                if (value.isValueNode() && SECRET_NAME.matcher(field.getKey()).matches()
                        && !NO_VALUE.matcher(value.asText()).matches()) {
                    findings.add(file + ": " + fieldPath + " has a value");
                }
                // an env entry {name: ...PASSWORD, value: ...} must take its value from a Secret
                if (field.getKey().equals("value") && value.isValueNode() && SECRET_NAME.matcher(node.path("name").asText()).matches()
                        && !NO_VALUE.matcher(value.asText()).matches()) {
                    findings.add(file + ": " + fieldPath + " sets " + node.path("name").asText() + " in the open");
                }
                walk(file, fieldPath, value, findings);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(file, path + "/" + i, node.get(i), findings);
            }
        } else if (node.isTextual()) {
            findings.addAll(inText(file + ":" + path, node.asText()));
        }
    }
}
