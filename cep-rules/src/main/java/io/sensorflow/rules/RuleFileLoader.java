package io.sensorflow.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.sensorflow.durations.Durations;
import io.sensorflow.rules.yaml.StrictYaml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rule file (YAML), checks it against {@code rule-file.schema.json} and returns its rules.
 * Every problem in the file is reported at once, each naming the file, the rule (position and
 * id) and the field. Refused before that, naming the file and where: more than 1 MiB, a second
 * YAML document, an anchor or alias, a key given twice in a mapping ({@link StrictYaml}).
 */
public final class RuleFileLoader {

    static final String DEFAULT_RULES = "default-rules.yaml";

    private static final StrictYaml YAML = new StrictYaml("a rule file");
    private static final JsonSchema SCHEMA = loadSchema();
    private static final Pattern LOCATION = Pattern.compile("^\\$(?:\\.rules\\[(\\d+)\\])?(?:\\.([A-Za-z_]+(?:\\.[A-Za-z_]+)*))?.*");

    /** The bound on a rule file's size (tests build files up to it). */
    static final int MAX_FILE_BYTES = StrictYaml.MAX_BYTES;

    private RuleFileLoader() {}

    /** The rules that ship with sensorflow ({@code cep-rules/default-rules.yaml}). */
    public static RuleSet loadDefault() {
        try (InputStream in = RuleFileLoader.class.getResourceAsStream(DEFAULT_RULES)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RULES + " is missing from the classpath");
            }
            return load(DEFAULT_RULES, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RuleSet load(Path file) {
        byte[] content;
        try {
            content = YAML.readFile(file);
        } catch (StrictYaml.Problem e) {
            throw new RuleFileException(List.of(file + ": the file: " + e.getMessage()));
        } catch (IOException e) {
            throw new RuleFileException(List.of(file + ": cannot be read (" + e.getMessage() + ")"));
        }
        return load(file.toString(), content);
    }

    /**
     * "FILE: rules[0] (id 'quiet'), field 'after': given again at line 7; ...". The rule's id is
     * read from the file with the last of each key counting; when the file cannot be read so (it
     * has another problem further on), the problem is the top-level field's.
     */
    private static String duplicateKey(String source, StrictYaml.Problem duplicate) {
        List<Object> path = duplicate.path();
        String again = duplicate.getMessage();
        String key = "the key '" + StrictYaml.shorten(String.valueOf(path.get(path.size() - 1))) + "' " + again;
        if (path.size() >= 3 && path.get(0).equals("rules") && path.get(1) instanceof Integer index) {
            JsonNode file = duplicate.lastKeyCounts();
            JsonNode rule = file == null ? null : file.path("rules").path(index);
            if (rule != null && rule.isObject()) {
                String id = rule.path("id").asText(""); // as describe() names it
                return source + ": rules[" + index + "]" + (id.isEmpty() ? "" : " (id '" + id + "')") + ", field '"
                        + StrictYaml.shorten((String) path.get(2)) + "': " + (path.size() == 3 ? again : key);
            }
        }
        if (path.get(0) instanceof Integer) {
            return source + ": the file: " + key; // not a mapping at the top: not a rule file anyway
        }
        return source + ": field '" + StrictYaml.shorten((String) path.get(0)) + "': " + (path.size() == 1 ? again : key);
    }

    /**
     * Values the schema validator cannot take, named by rule and field: YAML's !!binary values,
     * which no field takes (its maxLength threw NullPointerException), and numbers past a double
     * (1e400 reads as Infinity, which its enum and const threw NumberFormatException on).
     */
    private static void valuesTheSchemaCannotTake(String source, JsonNode doc, List<String> problems) {
        if (!doc.isObject()) {
            String what = StrictYaml.unfitValue(doc);
            if (what != null) {
                problems.add(source + ": the file: " + what);
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> top = doc.fields(); top.hasNext();) {
            Map.Entry<String, JsonNode> field = top.next();
            JsonNode rules = field.getValue();
            if (!field.getKey().equals("rules") || !rules.isArray()) { // not the rules: a field of the file
                String what = StrictYaml.unfitValue(field.getValue());
                if (what != null) {
                    problems.add(source + ": field '" + field.getKey() + "': " + what);
                }
                continue;
            }
            for (int i = 0; i < rules.size(); i++) {
                JsonNode r = rules.get(i);
                if (!r.isObject()) {
                    String what = StrictYaml.unfitValue(r);
                    if (what != null) {
                        problems.add(source + ": rules[" + i + "]: " + what);
                    }
                    continue;
                }
                String id = r.path("id").asText(""); // as describe() names it
                for (Iterator<Map.Entry<String, JsonNode>> fields = r.fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    String what = StrictYaml.unfitValue(f.getValue());
                    if (what != null) {
                        problems.add(source + ": rules[" + i + "]" + (id.isEmpty() ? "" : " (id '" + id + "')") + ", field '"
                                + f.getKey() + "': " + what);
                    }
                }
            }
        }
    }

    /** Reads the rules in {@code content}; {@code source} names it in messages. */
    public static RuleSet load(String source, byte[] content) {
        JsonNode doc;
        try {
            doc = YAML.read(content);
        } catch (StrictYaml.Problem e) {
            throw new RuleFileException(List.of(switch (e.kind()) {
                case DUPLICATE_KEY -> duplicateKey(source, e);
                case NOT_YAML -> source + ": not valid YAML: " + e.getMessage() + (e.line() < 0 ? "" : " (line " + e.line() + ")");
                case TOO_LARGE, REFUSED -> source + ": the file: " + e.getMessage();
            }));
        }
        if (doc.isMissingNode()) {
            throw new RuleFileException(List.of(source + ": the file is empty"));
        }
        List<String> problems = new ArrayList<>();
        valuesTheSchemaCannotTake(source, doc, problems);
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems); // the schema validator cannot take them
        }
        // Sorted, so the report reads in file order and is the same from run to run.
        TreeSet<String> schemaProblems = new TreeSet<>();
        for (ValidationMessage m : SCHEMA.validate(doc)) {
            schemaProblems.add(describe(source, doc, m));
        }
        fieldProblems(source, doc, schemaProblems);
        problems.addAll(schemaProblems);
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        JsonNode list = doc.get("rules");
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            String where = source + ": rules[" + i + "] (id '" + r.get("id").asText() + "')";
            Integer first = ids.putIfAbsent(r.get("id").asText(), i);
            if (first != null) {
                problems.add(where + ", field 'id': the same id as rules[" + first + "]; ids must be unique");
            }
            toRule(r, where, problems, rules);
        }
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        return new RuleSet(source, rules);
    }

    private static void toRule(JsonNode r, String where, List<String> problems, List<Rule> rules) {
        Late late = r.path("late").asText("skip").equals("evaluate") ? Late.EVALUATE : Late.SKIP;
        if (late == Late.EVALUATE && r.get("kind").asText().equals("silence")) {
            // A late reading fills a gap the watermark has already judged: the silence is reported and
            // cannot be taken back (cep-rules/README, "Late readings").
            problems.add(where + ", field 'late': a silence rule cannot evaluate late readings ('evaluate'):"
                    + " the watermark has already passed the gap such a reading would fill, and a silence"
                    + " reported is not taken back; leave 'late' out (or write 'skip')");
            return;
        }
        String id = r.get("id").asText();
        Severity severity = Severity.valueOf(r.get("severity").asText().toUpperCase(Locale.ROOT));
        String description = r.path("description").asText("");
        SensorScope scope = scope(r.get("sensors"));
        Duration cooldown = r.has("cooldown") ? duration(r.get("cooldown")) : Duration.ZERO;
        switch (r.get("kind").asText()) {
            case "silence":
                rules.add(new SilenceRule(id, severity, description, duration(r.get("after")), scope));
                break;
            case "stuck":
                rules.add(new StuckRule(id, severity, description, Metric.ofField(r.get("metric").asText()),
                        r.path("readings").asInt(0), r.has("for") ? duration(r.get("for")) : null, cooldown, scope, late));
                break;
            case "outlier":
                double k = r.get("k").asDouble();
                if (!Double.isFinite(k)) {
                    problems.add(where + ", field 'k': " + r.get("k") + " is not a finite number");
                    return;
                }
                JsonNode window = r.get("window");
                int windowReadings = window.path("readings").asInt(0);
                rules.add(new OutlierRule(id, severity, description, Metric.ofField(r.get("metric").asText()), k,
                        windowReadings, window.has("duration") ? duration(window.get("duration")) : null,
                        r.has("min_readings") ? r.get("min_readings").asInt() : OutlierRule.defaultMinReadings(windowReadings),
                        r.has("resolve") ? r.get("resolve").get("readings").asInt() : OutlierRule.DEFAULT_RESOLVE_READINGS,
                        cooldown, scope, late));
                break;
            case "sequence":
                boolean above = r.has("above");
                if (above == r.has("below")) {
                    problems.add(where + ", fields 'above'/'below': give exactly one of them");
                    return;
                }
                String field = above ? "above" : "below";
                double threshold = r.get(field).asDouble();
                if (!Double.isFinite(threshold)) {
                    problems.add(where + ", field '" + field + "': " + r.get(field) + " is not a finite number");
                    return;
                }
                int count = r.get("count").asInt();
                rules.add(new SequenceRule(id, severity, description, Metric.ofField(r.get("metric").asText()), above,
                        threshold, count, duration(r.get("within")),
                        r.has("resolve") ? r.get("resolve").get("readings").asInt() : count, cooldown, scope, late));
                break;
            default: // "rise": the schema lets no other kind through
                double by = r.get("by").asDouble();
                if (!Double.isFinite(by)) {
                    problems.add(where + ", field 'by': " + r.get("by") + " is not a finite number");
                    return;
                }
                rules.add(new RiseRule(id, severity, description, Metric.ofField(r.get("metric").asText()),
                        by, duration(r.get("within")),
                        r.has("resolve") ? r.get("resolve").get("readings").asInt() : RiseRule.DEFAULT_RESOLVE_READINGS,
                        cooldown, scope, late));
        }
    }

    /**
     * What the schema cannot check, rule by rule ({@link #durationProblems}, {@link #stuckAndScopeProblems}),
     * reported with its problems so that all come at once.
     */
    private static void fieldProblems(String source, JsonNode doc, Collection<String> problems) {
        JsonNode rules = doc.path("rules");
        if (!rules.isArray()) {
            return; // the schema says so
        }
        for (int i = 0; i < rules.size(); i++) {
            JsonNode r = rules.get(i);
            if (r.isObject()) {
                String id = r.path("id").asText("");
                String where = source + ": rules[" + i + "]" + (id.isEmpty() ? "" : " (id '" + id + "')") + ", ";
                durationProblems(r, where, problems);
                stuckAndScopeProblems(r, where, problems);
                outlierProblems(r, where, problems);
            }
        }
    }

    /** A scope {@link #stuckAndScopeProblems} found right; all sensors when there is none. */
    private static SensorScope scope(JsonNode sensors) {
        if (sensors == null) {
            return SensorScope.ALL;
        }
        if (sensors.has("match")) {
            return SensorScope.matching(sensors.get("match").asText());
        }
        List<String> ids = new ArrayList<>();
        sensors.get("ids").forEach(id -> ids.add(id.asText()));
        return SensorScope.ids(ids);
    }

    /**
     * What the schema cannot say, reported with its problems so that all come at once: a stuck
     * rule takes exactly one of {@code readings} and {@code for} and no {@code resolve}; a scope
     * ({@code sensors}) has exactly one of {@code ids} and {@code match}, its ids distinct, its
     * regex one that compiles.
     */
    private static void stuckAndScopeProblems(JsonNode r, String where, Collection<String> problems) {
        if (r.path("kind").asText("").equals("stuck") && r.path("kind").isTextual()) {
            if (r.has("readings") == r.has("for")) {
                problems.add(where + "fields 'readings'/'for': give exactly one of them (readings: N in a row, or for: a duration)");
            }
            if (r.has("resolve")) {
                problems.add(where + "field 'resolve': a stuck rule is resolved by the first reading with another value;"
                        + " it takes no 'resolve'");
            }
        }
        JsonNode sensors = r.path("sensors");
        if (!sensors.isObject()) {
            return; // absent, or not a mapping: the schema says so
        }
        if (sensors.has("ids") == sensors.has("match")) {
            problems.add(where + "field 'sensors': give exactly one of 'ids' (a list of sensor ids) and 'match'"
                    + " (a regular expression the whole id must match)");
        }
        JsonNode ids = sensors.path("ids");
        if (ids.isArray()) {
            Map<String, Integer> seen = new HashMap<>();
            for (int k = 0; k < ids.size(); k++) {
                if (ids.get(k).isTextual()) {
                    Integer first = seen.putIfAbsent(ids.get(k).asText(), k);
                    if (first != null) {
                        problems.add(where + "field 'sensors.ids': '" + StrictYaml.shorten(ids.get(k).asText())
                                + "' is listed twice (ids[" + first + "] and ids[" + k + "])");
                        break; // one is enough to make the point; a long list may repeat many
                    }
                }
            }
        }
        JsonNode match = sensors.path("match");
        if (match.isTextual() && !match.asText().isEmpty() && match.asText().length() <= SensorScope.MAX_PATTERN_LENGTH) {
            try {
                String costly = SensorScope.costlyProbe(match.asText());
                if (costly != null) {
                    int run = costly.endsWith("\u0001") ? costly.length() - 1 : costly.length();
                    problems.add(where + "field 'sensors.match': backtracks without end on an id of " + run + " '"
                            + costly.charAt(0) + "'" + (run < costly.length() ? " and one other character" : "")
                            + " (a repeated group with .* in it, such as (.*a){12}): it would stall the job at each new sensor id."
                            + " Write it without them");
                }
            } catch (java.util.regex.PatternSyntaxException e) {
                problems.add(where + "field 'sensors.match': not a Java regular expression: " + e.getDescription()
                        + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            }
        }
    }

    /**
     * What the schema cannot say of an outlier rule: its window takes exactly one of
     * {@code readings} and {@code duration} ({@link #durationProblems} checks the duration), and
     * {@code min_readings} is at most the window's readings (or the rule never fires).
     */
    private static void outlierProblems(JsonNode r, String where, Collection<String> problems) {
        if (!r.path("kind").asText("").equals("outlier") || !r.path("kind").isTextual()) {
            return;
        }
        JsonNode window = r.path("window");
        if (!window.isObject()) {
            return; // absent, or not a mapping: the schema says so
        }
        if (window.has("readings") == window.has("duration")) {
            problems.add(where + "field 'window': give exactly one of 'readings' (the last N readings) and 'duration'"
                    + " (the readings of the last D)");
        }
        JsonNode n = window.path("readings");
        JsonNode min = r.path("min_readings");
        if (n.isIntegralNumber() && min.isIntegralNumber() && min.asLong() > n.asLong() && n.asLong() >= 2
                && n.asLong() <= OutlierRule.MAX_WINDOW_READINGS) {
            problems.add(where + "field 'min_readings': " + min.asLong() + " is more than the window's " + n.asLong()
                    + " readings: the rule could never fire");
        }
    }

    /**
     * The durations ({@code after}, {@code within}, {@code for}, {@code cooldown}, an outlier's {@code window.duration})
     * that are not written as every duration in sensorflow is ({@link Durations}) or are not longer than 0 (a cooldown
     * may be 0), reported with the schema's problems so that all come at once.
     */
    private static void durationProblems(JsonNode r, String rule, Collection<String> problems) {
        for (String field : List.of("after", "within", "for", "cooldown", "window.duration")) {
            JsonNode value = field.equals("window.duration") ? r.path("window").path("duration") : r.path(field);
            if (!value.isTextual()) {
                continue; // missing or not a string: the schema says so
            }
            String where = rule + "field '" + field + "': ";
            try {
                Duration d = Durations.parse(value.asText());
                if (field.equals("cooldown") ? d.isNegative() : d.isNegative() || d.isZero()) {
                    problems.add(where + (field.equals("cooldown") ? "must be 0 or longer" : "must be longer than 0")
                            + ", not " + Durations.format(d));
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + e.getMessage());
            }
        }
    }

    /** A duration {@link #durationProblems} found right. */
    private static Duration duration(JsonNode node) {
        return Durations.parse(node.asText());
    }

    /** "FILE: rules[1] (id 'x'), field 'count': must have a minimum value of 2". */
    private static String describe(String source, JsonNode doc, ValidationMessage m) {
        String location = m.getInstanceLocation().toString();
        StringBuilder where = new StringBuilder(source).append(": ");
        Matcher loc = LOCATION.matcher(location);
        String field = null;
        if (loc.matches() && loc.group(1) != null) {
            int index = Integer.parseInt(loc.group(1));
            String id = doc.path("rules").path(index).path("id").asText("");
            where.append("rules[").append(index).append(']');
            if (!id.isEmpty()) {
                where.append(" (id '").append(id).append("')");
            }
            field = loc.group(2);
        } else if (loc.matches()) {
            field = loc.group(2);
        }
        if (field == null && m.getProperty() != null) {
            field = m.getProperty(); // a missing or unknown property is reported on its parent
        }
        if (field != null) {
            where.append(loc.matches() && loc.group(1) != null ? ", " : "").append("field '").append(field).append('\'');
        } else if (loc.matches() && loc.group(1) == null) {
            where.append("the file");
        }
        String message = m.getMessage();
        int colon = message.indexOf(": ");
        return where + ": " + (colon >= 0 && message.startsWith("$") ? message.substring(colon + 2) : message);
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = RuleFileLoader.class.getResourceAsStream("rule-file.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
