package io.sensorflow.rules;

import static io.sensorflow.rules.RuleFileChecks.check;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Hostile rule files through {@link RuleFileLoader}: default-rules.yaml mutated line by line and
 * character by character, the same rules as a JSON or YAML tree with fields deleted, added or
 * swapped for values of the wrong type, every prefix of the file, and random bytes. The loader
 * must return sound rules or throw a {@link RuleFileException} that names the file and, for a
 * rule, its position, id and field ({@link RuleFileChecks}); a wrong field put in on purpose must
 * be the one named.
 *
 * <p>Seeded ({@code -Dfuzz.seed=N} for another run); a failure prints the seed, the case and the file.
 */
class RuleFileLoaderFuzzTest {

    private static final long SEED = RuleFileChecks.SEED;
    private static final byte[] DEFAULTS = RuleFileChecks.defaultRules();
    /** Rules of the kinds and fields default-rules.yaml does not use (stuck, scopes), fuzzed with it. */
    static final String MORE_RULES = """

              - id: humidity-stuck
                kind: stuck
                severity: warning
                metric: humidity
                readings: 20
                cooldown: 1h
                sensors: {ids: [sensor-00001, sensor-00002]}

              - id: freezer-stuck
                kind: stuck
                severity: info
                metric: temperature
                for: 30m
                sensors:
                  match: "freezer-[0-9]+"

              - id: greenhouse-quiet
                kind: silence
                severity: info
                after: 10m
                sensors: {match: 'greenhouse-.*'}

              - id: temperature-spike
                kind: outlier
                severity: warning
                metric: temperature
                k: 4
                window: {readings: 30}
                min_readings: 20
                resolve: {readings: 5}
                cooldown: 10m

              - id: humidity-outlier
                kind: outlier
                severity: info
                metric: humidity
                k: 2.5
                window:
                  duration: 10m
                sensors: {ids: [greenhouse-01]}
            """;
    private static final String DEFAULT_TEXT = new String(DEFAULTS, StandardCharsets.UTF_8) + MORE_RULES;
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** YAML scalars and small structures, good and bad for any field. */
    static final String[] SCALARS = {
        "0", "-1", "1", "2", "3", "1000", "1001", "1.5", "-0", "0.0", "1e3", "1e-400", "9223372036854775808",
        "-9223372036854775809", "0x1F", "0o17", "1_000", "+5", ".5", "''", "\"\"", "~", "null", "true", "false", "yes",
        "no", "on", "off", "5m", "0s", "5 m", "5M", "-5m", "1h30m", "500ms", "1h", "30s", "059s", "soon", "[]", "{}",
        "[1, 2]", "{a: 1}", "[5m]", "!!str 5", "!!int \"3\"", "!!float 2", "!!set {a, b}",
        "!!timestamp 2001-12-14", "!!null ''", "!!java.net.URL [\"http://x\"]", "|\n      multi\n      line",
        ">\n      folded\n      twice", "'x'", "\"tab\\there\"", "\"nul\\0\"", "\"\\u2028\"", "é", "🌱", "\"\\u202e\"", "x".repeat(600),
        "temperature", "humidity", "distance_cm", "pressure", "silence", "sequence", "rise", "stuck", "outlier", "info", "warning",
        "{ids: [a]}", "{ids: [a, a]}", "{ids: []}", "{match: 'a.*'}", "{match: '('}", "{ids: [a], match: a}", "{}",
        "{match: ''}", "{ids: [5]}", "[sensor-1]",
        "critical", "INFO", "Warning", "\"5m\"", "'3'", "3.0", "2.0", "&a 5m", "*a", "*undefined", "&a", "? x", "- x",
        "# comment", "@x", "`x`", "%x", "{{", "]]", ",", ":", "- - -", "\"unterminated", "'unterminated", ".nan", ".inf",
        "-.inf", ".NaN", "1e308", "-1e308", "1e-5", "0.000001", "quiet-1", "a-", "0", "x".repeat(63), "x".repeat(64),
    };

    /**
     * Values that the loader mishandled (findings of issue 6, see RuleFileLoaderHostileInputTest):
     * a one-line block scalar or an escaped newline ends in a newline that the schema's patterns let
     * through; durations past a long or a Duration; numbers past a double (in an enum field they made
     * the validator throw NumberFormatException); a !!binary description (NullPointerException in the
     * schema's maxLength). Fuzzed on their own by {@link #yamlMutatedWithTheOpenFindings}.
     */
    static final String[] FINDING_SCALARS = {
        ">\n      folded", "|\n      5m", "\"5m\\n\"", "\"quiet\\n\"", "99999999999999999999m", "9999999999999999h",
        "1e400", "-1e400", "!!binary aGVsbG8=",
    };

    static final String[] KEYS = {
        "id", "kind", "severity", "after", "metric", "above", "below", "count", "within", "by", "description", "version",
        "resolve", "readings", "cooldown", "for", "sensors", "ids", "match", "k", "window", "duration", "min_readings",
        "rules", "colour", "we-ird key", "<<", "\"quoted key\"", "1", "true", "null", "~", "? complex", "Id", "ID", "'id'",
    };

    static final String[] SPECIALS = {
        ":", "-", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "{", "}", "[", "]", ",", "?", "\t", "\r", "\0",
        "\uFEFF", " ", "\n", "\\", "é", "\u0085", "\u2028", "  - ", ": ", "\n  - id: x\n", "---\n", "...\n",
    };

    /** Runs {@code cases} files from {@code generator}; returns how many loaded. */
    private int run(String test, int cases, Function<SplittableRandom, byte[]> generator) {
        int loaded = 0;
        long start = System.nanoTime();
        for (int n = 0; n < cases; n++) {
            SplittableRandom rnd = new SplittableRandom(SEED ^ test.hashCode() * 0x9E3779B97F4A7C15L ^ n * 0xBF58476D1CE4E5B9L);
            byte[] content = generator.apply(rnd);
            if (RuleFileChecks.load(content, new RuleFileChecks.Case(test, SEED, n, content)) != null) {
                loaded++;
            }
        }
        System.out.printf("%s: %,d files in %.1f s (seed %d), %,d loaded%n", test, cases, (System.nanoTime() - start) / 1e9,
                SEED, loaded);
        return loaded;
    }

    private int yamlMutations(String test, int cases, String[] scalars) {
        return run(test, cases, rnd -> {
            String text = DEFAULT_TEXT;
            for (int m = 1 + rnd.nextInt(4); m > 0; m--) {
                text = mutate(text, rnd, scalars);
            }
            return text.getBytes(StandardCharsets.UTF_8);
        });
    }

    @Test
    void yamlMutatedLineByLineAndCharacterByCharacter() {
        int loaded = yamlMutations("yaml-mutations", 20_000, SCALARS);
        assertThat(loaded).as("some mutations keep the file loadable").isGreaterThan(1_000);
    }

    @Test
    void yamlMutatedWithTheOpenFindings() {
        String[] scalars = Arrays.copyOf(SCALARS, SCALARS.length + FINDING_SCALARS.length);
        System.arraycopy(FINDING_SCALARS, 0, scalars, SCALARS.length, FINDING_SCALARS.length);
        yamlMutations("yaml-mutations-with-findings", 10_000, scalars);
    }

    @Test
    void treesWithFieldsDeletedAddedOrOfTheWrongType() {
        run("tree-mutations", 8_000, rnd -> {
            ObjectNode doc = defaults();
            for (int m = 1 + rnd.nextInt(3); m > 0; m--) {
                mutate(doc, rnd);
            }
            return render(doc, rnd);
        });
    }

    @Test
    void aWrongFieldIsNamedWithItsRule() {
        Map<String, List<JsonNode>> wrong = Map.ofEntries(
                Map.entry("id", nodes("\"\"", "\"Quiet Rule\"", "\"-x\"", "\"" + "x".repeat(64) + "\"", "5", "true", "[]",
                        "{}", "null", "\"é\"")),
                Map.entry("kind", nodes("\"sulk\"", "5", "null", "[]", "\"Silence\"")),
                Map.entry("severity", nodes("\"dire\"", "\"WARNING\"", "1", "null", "[]")),
                Map.entry("after", nodes("\"soon\"", "\"0s\"", "\"5\"", "\"5 parsecs\"", "\"-5m\"", "5", "null", "[]",
                        "\"1h30m\"", "\"P1M\"")),
                Map.entry("within", nodes("\"soon\"", "\"0ms\"", "\"5\"", "\"m\"", "300", "null", "{}")),
                Map.entry("metric", nodes("\"pressure\"", "\"Temperature\"", "1", "null", "[]")),
                Map.entry("above", nodes("\"hot\"", "\"70\"", "null", "[]", "{}", "true")),
                Map.entry("below", nodes("\"cold\"", "\"10\"", "null", "[1]", "false")),
                Map.entry("count", nodes("1", "0", "-3", "1001", "2.5", "\"3\"", "null", "[]")),
                Map.entry("by", nodes("0", "-5", "\"10\"", "null", "[]", "-0.0")),
                Map.entry("resolve", nodes("3", "{}", "{\"readings\": 0}", "{\"readings\": 1001}", "{\"readings\": 2.5}",
                        "{\"after\": \"1m\"}", "{\"readings\": 3, \"after\": \"1m\"}", "null", "[]")),
                Map.entry("cooldown", nodes("\"soon\"", "\"-1s\"", "\"5\"", "300", "null", "{}")),
                Map.entry("readings", nodes("1", "0", "-3", "100001", "2.5", "\"20\"", "null", "[]")),
                Map.entry("for", nodes("\"soon\"", "\"0s\"", "\"-5m\"", "5", "null", "{}")),
                Map.entry("sensors", nodes("[]", "{}", "\"a\"", "5", "null", "{\"ids\": []}", "{\"ids\": [\"a\", \"a\"]}",
                        "{\"ids\": [5]}", "{\"ids\": [\"\"]}", "{\"ids\": \"a\"}", "{\"match\": \"(\"}", "{\"match\": \"\"}",
                        "{\"match\": 5}", "{\"ids\": [\"a\"], \"match\": \"a\"}", "{\"pattern\": \"a\"}")),
                Map.entry("k", nodes("0", "-1", "100.5", "\"3\"", "null", "[]", "-0.0")),
                Map.entry("window", nodes("{}", "5", "\"5m\"", "null", "[]", "{\"readings\": 1}", "{\"readings\": 1001}",
                        "{\"readings\": 2.5}", "{\"duration\": \"soon\"}", "{\"duration\": \"0s\"}", "{\"duration\": 5}",
                        "{\"readings\": 5, \"duration\": \"1m\"}", "{\"count\": 5}")),
                Map.entry("min_readings", nodes("1", "0", "1001", "2.5", "\"10\"", "null", "[]", "31")),
                Map.entry("description", nodes("5", "[]", "{}", "\"" + "x".repeat(501) + "\"", "null")));
        int cases = 0;
        for (int i = 0; i < defaults().path("rules").size(); i++) {
            ObjectNode rule = (ObjectNode) defaults().path("rules").get(i);
            List<String> fields = new ArrayList<>();
            rule.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                for (JsonNode value : wrong.get(field)) {
                    ObjectNode doc = defaults();
                    ((ObjectNode) doc.path("rules").get(i)).set(field, value);
                    expectNamed(doc, i, field, "rules[" + i + "]." + field + " = " + value);
                    cases++;
                }
                if (List.of("id", "kind", "severity", "after", "within", "metric", "count", "by", "readings", "for", "k", "window")
                        .contains(field)) {
                    ObjectNode doc = defaults();
                    ((ObjectNode) doc.path("rules").get(i)).remove(field);
                    expectNamed(doc, i, field, "rules[" + i + "] without " + field);
                    cases++;
                }
            }
            for (String unknown : new String[] {"colour", "we-ird key", "after", "count", "by", "above", "metric", "<<"}) {
                ObjectNode doc = defaults();
                if (!rule.has(unknown)) {
                    ((ObjectNode) doc.path("rules").get(i)).put(unknown, "5m");
                    expectNamed(doc, i, unknown, "rules[" + i + "] with " + unknown);
                    cases++;
                }
            }
        }
        System.out.printf("a wrong field named with its rule: %d files%n", cases);
    }

    private static List<JsonNode> nodes(String... json) {
        List<JsonNode> out = new ArrayList<>();
        for (String j : json) {
            try {
                out.add(JSON.readTree(j));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static void expectNamed(ObjectNode doc, int rule, String field, String what) {
        for (boolean asYaml : new boolean[] {false, true}) {
            byte[] content = write(doc, asYaml);
            RuleFileChecks.Case c = new RuleFileChecks.Case(what, SEED, 0, content);
            check(RuleFileChecks.load(content, c) == null, c, "the file was accepted");
            List<String> problems;
            try {
                RuleFileLoader.load(RuleFileChecks.SOURCE, content);
                throw new AssertionError("accepted " + c);
            } catch (RuleFileException e) {
                problems = e.problems();
            }
            String at = RuleFileChecks.SOURCE + ": rules[" + rule + "]";
            boolean named = problems.stream().anyMatch(p -> p.startsWith(at) && (p.contains("field '" + field + "'")
                    || p.contains("field '" + field + ".") || p.contains("fields '") && p.contains("'" + field + "'")));
            check(named, c, "no problem names " + at + " and field '" + field + "': " + problems);
        }
    }

    @Test
    void everyPrefixOfTheDefaultRules() {
        int loaded = 0;
        for (int cut = 0; cut <= DEFAULTS.length; cut++) {
            byte[] prefix = Arrays.copyOf(DEFAULTS, cut);
            if (RuleFileChecks.load(prefix, new RuleFileChecks.Case("prefix", SEED, cut, prefix)) != null) {
                loaded++;
            }
        }
        System.out.printf("prefixes of default-rules.yaml: %d files, %d loaded%n", DEFAULTS.length + 1, loaded);
        assertThat(loaded).as("the whole file, and prefixes ending after a complete rule").isGreaterThan(1);
    }

    @Test
    void randomBytesAndRandomYamlCharacters() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 \n\t:-#&*!|>'\"%@`{}[],?.\\";
        run("random", 12_000, rnd -> {
            int length = rnd.nextInt(rnd.nextBoolean() ? 16 : 512);
            byte[] b = new byte[length];
            boolean raw = rnd.nextInt(3) == 0;
            for (int i = 0; i < length; i++) {
                b[i] = raw ? (byte) rnd.nextInt(256) : (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
            }
            return rnd.nextInt(4) == 0 ? concat(DEFAULTS, b) : b;
        });
    }

    // ---------------------------------------------------------------- text mutations

    static String mutate(String text, SplittableRandom rnd, String[] scalars) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int n = lines.size();
        int i = rnd.nextInt(n);
        switch (rnd.nextInt(12)) {
            case 0:
                lines.remove(i);
                break;
            case 1:
                lines.add(i, lines.get(i));
                break;
            case 2:
                java.util.Collections.swap(lines, i, rnd.nextInt(n));
                break;
            case 3:
                lines.set(i, rnd.nextBoolean() ? " ".repeat(1 + rnd.nextInt(4)) + lines.get(i)
                        : rnd.nextBoolean() ? "\t" + lines.get(i) : lines.get(i).replaceFirst("^ {1,2}", ""));
                break;
            case 4: // another value
            case 5: { // another key
                String line = lines.get(i);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\s*-?\\s*)([A-Za-z_]+):\\s*(.*)$").matcher(line);
                if (m.matches()) {
                    lines.set(i, m.group(1) + (rnd.nextBoolean() ? m.group(2) + ": " + scalars[rnd.nextInt(scalars.length)]
                            : KEYS[rnd.nextInt(KEYS.length)] + ": " + m.group(3)));
                }
                break;
            }
            case 6: { // a rule block again, somewhere
                int from = i;
                while (from > 0 && !lines.get(from).startsWith("  - ")) {
                    from--;
                }
                int to = from + 1;
                while (to < n && !lines.get(to).startsWith("  - ")) {
                    to++;
                }
                lines.addAll(rnd.nextInt(n), new ArrayList<>(lines.subList(from, to)));
                break;
            }
            case 7: // a new field
                lines.add(i, "    " + KEYS[rnd.nextInt(KEYS.length)] + ": " + scalars[rnd.nextInt(scalars.length)]);
                break;
            case 8: { // an anchor on one value, an alias on another
                lines.set(i, lines.get(i).replaceFirst(": ", ": &a "));
                int j = rnd.nextInt(n);
                lines.set(j, lines.get(j).replaceFirst(": .*", ": *a"));
                break;
            }
            default: { // characters: insert, delete, truncate
                String all = String.join("\n", lines);
                int at = rnd.nextInt(all.length() + 1);
                int kind = rnd.nextInt(3);
                if (kind == 0) {
                    return all.substring(0, at) + SPECIALS[rnd.nextInt(SPECIALS.length)] + all.substring(at);
                } else if (kind == 1) {
                    return all.substring(0, at) + all.substring(Math.min(all.length(), at + 1 + rnd.nextInt(6)));
                }
                return all.substring(0, at);
            }
        }
        return String.join("\n", lines);
    }

    // ---------------------------------------------------------------- tree mutations

    private static ObjectNode defaults() {
        try {
            return (ObjectNode) YAML.readTree(DEFAULT_TEXT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode randomValue(SplittableRandom rnd, int depth) {
        switch (rnd.nextInt(depth > 2 ? 8 : 10)) {
            case 0:
                return NODES.nullNode();
            case 1:
                return NODES.booleanNode(rnd.nextBoolean());
            case 2:
                return NODES.numberNode(new long[] {0, -1, 1, 2, 3, 1000, 1001, Long.MAX_VALUE, Long.MIN_VALUE}[rnd.nextInt(9)]);
            case 3:
                return NODES.numberNode(new double[] {0.5, -0.0, 2.0, 1e308, -1e308, 4.9e-324, 70.25}[rnd.nextInt(7)]);
            case 4:
                return NODES.numberNode(new java.math.BigInteger("9".repeat(1 + rnd.nextInt(40))));
            case 5:
                return NODES.numberNode(new java.math.BigDecimal("1." + "5".repeat(1 + rnd.nextInt(40))));
            case 6:
            case 7:
                return NODES.textNode(rnd.nextBoolean() ? SCALARS[rnd.nextInt(SCALARS.length)]
                        : new String[] {"5m", "30s", "1h", "500ms", "temperature", "quiet", "warning", "rise", "x\ny",
                            "quiet\u0000", "", " "}[rnd.nextInt(12)]);
            case 8: {
                ArrayNode a = NODES.arrayNode();
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    a.add(randomValue(rnd, depth + 1));
                }
                return a;
            }
            default: {
                ObjectNode o = NODES.objectNode();
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    o.set(KEYS[rnd.nextInt(KEYS.length)], randomValue(rnd, depth + 1));
                }
                return o;
            }
        }
    }

    private static void mutate(ObjectNode doc, SplittableRandom rnd) {
        JsonNode rulesNode = doc.path("rules");
        if (!(rulesNode instanceof ArrayNode rules) || rules.isEmpty() || rnd.nextInt(10) == 0) {
            doc.set(KEYS[rnd.nextInt(KEYS.length)], randomValue(rnd, 0));
            return;
        }
        int i = rnd.nextInt(rules.size());
        switch (rnd.nextInt(6)) {
            case 0:
                rules.remove(i);
                return;
            case 1:
                rules.insert(rnd.nextInt(rules.size() + 1), rules.get(i).deepCopy());
                return;
            case 2:
                rules.set(i, randomValue(rnd, 0));
                return;
            default:
                if (rules.get(i) instanceof ObjectNode rule) {
                    List<String> names = new ArrayList<>();
                    for (Iterator<String> it = rule.fieldNames(); it.hasNext();) {
                        names.add(it.next());
                    }
                    String name = rnd.nextInt(4) == 0 || names.isEmpty() ? KEYS[rnd.nextInt(KEYS.length)]
                            : names.get(rnd.nextInt(names.size()));
                    if (rnd.nextInt(4) == 0) {
                        rule.remove(name);
                    } else {
                        rule.set(name, randomValue(rnd, 0));
                    }
                }
        }
    }

    private static byte[] render(JsonNode doc, SplittableRandom rnd) {
        return write(doc, rnd.nextBoolean());
    }

    private static byte[] write(JsonNode doc, boolean asYaml) {
        try {
            return asYaml ? YAML.writeValueAsBytes(doc) : JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
