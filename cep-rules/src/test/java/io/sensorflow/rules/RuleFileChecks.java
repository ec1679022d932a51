package io.sensorflow.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must hold whenever {@link RuleFileLoader} reads a file, whatever the file: it returns a
 * sound rule set or throws a {@link RuleFileException} whose every problem names the file and, when
 * a rule is at fault, the rule (position and id) and the field. A failure names the case.
 */
final class RuleFileChecks {

    static final String SOURCE = "f.yaml";
    /** {@code -Dfuzz.seed=N} replays another run; the default keeps CI reproducible. */
    static final long SEED = Long.getLong("fuzz.seed", 20261121L);

    /** The id pattern of the schema, anchored at the very end (a trailing newline is not an id). */
    private static final Pattern ID = Pattern.compile("\\A[a-z0-9][a-z0-9-]{0,62}\\z");
    private static final Pattern RULE_PROBLEM = Pattern.compile(
            Pattern.quote(SOURCE) + ": rules\\[(\\d+)\\]( \\(id '(.*?)'\\))?(, fields? '.*|: .*)", Pattern.DOTALL);
    private static final Pattern FILE_PROBLEM = Pattern.compile(
            Pattern.quote(SOURCE) + ": (not valid YAML: .*|the file is empty|the file: .*|field '.*': .*)", Pattern.DOTALL);
    private static final YAMLMapper YAML = new YAMLMapper();

    private RuleFileChecks() {}

    static byte[] defaultRules() {
        try (InputStream in = RuleFileLoader.class.getResourceAsStream(RuleFileLoader.DEFAULT_RULES)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One fuzz case, named so that it can be replayed: its toString is what a failure prints. */
    record Case(String test, long seed, long n, byte[] content) {
        @Override
        public String toString() {
            String text = new String(content, StandardCharsets.UTF_8);
            return test + " case " + n + " (seed " + seed + ", replay with -Dfuzz.seed=" + seed + "), " + content.length
                    + " bytes:\n" + (text.length() > 2_000 ? text.substring(0, 2_000) + "..." : text);
        }
    }

    /** Loads {@code content} and checks the outcome; returns the rule set, or null when the file was refused. */
    static RuleSet load(byte[] content, Object context) {
        RuleSet rules;
        try {
            rules = RuleFileLoader.load(SOURCE, content);
        } catch (RuleFileException e) {
            checkProblems(e, content, context);
            return null;
        } catch (Throwable e) {
            throw new AssertionError("the loader threw " + e + " rather than a RuleFileException, on " + context, e);
        }
        checkRules(rules, content, context);
        return rules;
    }

    private static void checkRules(RuleSet set, byte[] content, Object context) {
        check(SOURCE.equals(set.source()) && !set.rules().isEmpty(), context, "a rule set without source or rules: " + set);
        JsonNode doc = tree(content);
        check(doc != null && doc.path("rules").size() == set.rules().size(), context,
                "the rule set has " + set.rules().size() + " rules, the file " + (doc == null ? "?" : doc.path("rules").size()));
        Set<String> ids = new HashSet<>();
        for (Rule r : set.rules()) {
            check(r.id() != null && ID.matcher(r.id()).matches(), context, "a rule with the id '" + r.id() + "'");
            check(ids.add(r.id()), context, "two rules with the id " + r.id());
            check(r.severity() != null && r.description() != null && r.description().length() <= 500, context,
                    "severity or description of " + r);
            if (r instanceof SilenceRule s) {
                checkDuration(s.after(), r, context);
            } else if (r instanceof SequenceRule s) {
                checkDuration(s.within(), r, context);
                check(s.metric() != null && s.count() >= 2 && s.count() <= 1000 && Double.isFinite(s.threshold()), context,
                        "metric, count or threshold of " + r);
            } else if (r instanceof RiseRule s) {
                checkDuration(s.within(), r, context);
                check(s.metric() != null && Double.isFinite(s.by()) && s.by() > 0, context, "metric or 'by' of " + r);
            } else if (r instanceof StuckRule s) {
                check(s.metric() != null && (s.byReadings() ? s.readings() >= 2 && s.readings() <= 100_000
                        : s.forDuration() != null && !s.forDuration().isNegative() && !s.forDuration().isZero()), context,
                        "metric, readings or for of " + r);
            } else if (r instanceof OutlierRule s) {
                check(s.metric() != null && Double.isFinite(s.k()) && s.k() > 0 && s.k() <= 100
                        && (s.byReadings() ? s.windowReadings() >= 2 && s.windowReadings() <= 1000
                                && s.minReadings() <= s.windowReadings()
                                : s.windowDuration() != null && !s.windowDuration().isNegative() && !s.windowDuration().isZero())
                        && s.minReadings() >= 2 && s.minReadings() <= 1000 && s.resolveReadings() >= 1
                        && s.resolveReadings() <= 1000, context, "metric, k, window or min_readings of " + r);
            }
            SensorScope scope = r.scope();
            check(scope != null && (scope.isAll() || scope.idList() != null && !scope.idList().isEmpty()
                    && scope.idList().size() <= SensorScope.MAX_IDS
                    && scope.idList().stream().allMatch(id -> !id.isEmpty() && id.length() <= SensorScope.MAX_ID_LENGTH)
                    || scope.match() != null && !scope.match().isEmpty() && scope.match().length() <= SensorScope.MAX_PATTERN_LENGTH),
                    context, "the scope of " + r);
            if (scope.match() != null) {
                scope.includes("sensor-00001"); // compiles
            }
        }
    }

    private static void checkDuration(Duration d, Rule r, Object context) {
        check(d != null && !d.isNegative() && !d.isZero(), context, "a duration of " + d + " in " + r);
    }

    private static void checkProblems(RuleFileException e, byte[] content, Object context) {
        check(!e.problems().isEmpty(), context, "a RuleFileException without problems");
        JsonNode doc = tree(content);
        for (String p : e.problems()) {
            Matcher rule = RULE_PROBLEM.matcher(p);
            if (rule.matches()) {
                int i = Integer.parseInt(rule.group(1));
                JsonNode r = doc == null ? null : doc.path("rules").path(i);
                check(r != null && !r.isMissingNode(), context, "a problem names rules[" + i + "], which is not there: " + p);
                if (r.isObject()) {
                    // A rule that is there: the field at fault, and its id when it has one.
                    check(rule.group(4).startsWith(", field"), context, "a rule's problem without the field: " + p);
                    String id = r.path("id").asText("");
                    check(id.isEmpty() ? rule.group(2) == null : id.equals(rule.group(3)), context,
                            "a rule's problem without its id '" + id + "': " + p);
                }
            } else {
                check(FILE_PROBLEM.matcher(p).matches(), context, "a problem that names neither the file, nor the rule "
                        + "and field: " + p);
            }
        }
    }

    /** The file as a tree, read as the loader reads it, or null when it is not YAML or the loader does not read it. */
    private static JsonNode tree(byte[] content) {
        if (content.length > RuleFileLoader.MAX_FILE_BYTES) {
            return null; // refused unread; parsing it here would only time this check
        }
        try {
            return YAML.readTree(content);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void check(boolean ok, Object context, String what) {
        if (!ok) {
            throw new AssertionError(what + "\n  on " + context);
        }
    }
}
