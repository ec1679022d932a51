package io.sensorflow.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFileLoaderTest {

    private static final String HEADER = "version: 1\nrules:\n";
    private static final String SILENCE = "  - id: quiet\n    kind: silence\n    severity: warning\n    after: 5m\n";

    private static List<String> problemsOf(String yaml) {
        try {
            RuleFileLoader.load("rules.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        } catch (RuleFileException e) {
            return e.problems();
        }
        throw new AssertionError("the file was accepted:\n" + yaml);
    }

    @Test
    void theDefaultRulesLoad() {
        RuleSet rules = RuleFileLoader.loadDefault();

        assertThat(rules.rules()).extracting(Rule::id).containsExactly(
                "sensor-silence", "temperature-extreme-run", "obstacle-close-run", "temperature-rapid-rise");
        assertThat(rules.rules().get(0)).isEqualTo(new SilenceRule("sensor-silence", Severity.WARNING,
                "No reading from a sensor for 5 minutes.", Duration.ofMinutes(5)));
        SequenceRule hot = (SequenceRule) rules.rules().get(1);
        assertThat(hot.metric()).isEqualTo(Metric.TEMPERATURE);
        assertThat(hot.above()).isTrue();
        assertThat(hot.threshold()).isEqualTo(70.0);
        assertThat(hot.count()).isEqualTo(3);
        assertThat(hot.within()).isEqualTo(Duration.ofMinutes(1));
        assertThat(hot.isExtreme(70.5)).isTrue();
        assertThat(hot.isExtreme(70.0)).isFalse();
        assertThat(hot.resolveReadings()).isEqualTo(10);
        assertThat(hot.cooldown()).isEqualTo(Duration.ofMinutes(15));
        SequenceRule close = (SequenceRule) rules.rules().get(2);
        assertThat(close.metric()).isEqualTo(Metric.DISTANCE_CM);
        assertThat(close.above()).isFalse();
        assertThat(close.isExtreme(9.9)).isTrue();
        assertThat(rules.rules().get(3)).isEqualTo(new RiseRule("temperature-rapid-rise", Severity.WARNING,
                "Temperature up by 10 °C or more within 5 minutes.", Metric.TEMPERATURE, 10.0, Duration.ofMinutes(5), 10,
                Duration.ofMinutes(15)));
    }

    @Test
    void aRiseResolvesAfterThreeReadingsWithoutARiseUnlessItSaysOtherwise() {
        String up = "  - id: up\n    kind: rise\n    severity: info\n    metric: humidity\n    by: 5\n    within: 1m\n";
        RiseRule defaults = (RiseRule) RuleFileLoader.load("rules.yaml", (HEADER + up).getBytes(StandardCharsets.UTF_8))
                .rules().get(0);
        assertThat(defaults.resolveReadings()).isEqualTo(3);
        assertThat(defaults.cooldown()).isZero();
        RiseRule set = (RiseRule) RuleFileLoader.load("rules.yaml",
                (HEADER + up + "    resolve: {readings: 20}\n    cooldown: 1h\n").getBytes(StandardCharsets.UTF_8)).rules().get(0);
        assertThat(set.resolveReadings()).isEqualTo(20);
        assertThat(set.cooldown()).isEqualTo(Duration.ofHours(1));
        assertThat(problemsOf(HEADER + up + "    resolve: {readings: -1}\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'up'), field 'resolve.readings': ");
    }

    @Test
    void aFileOnDiskLoadsAndItsNameIsInTheMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site-rules.yaml");
        Files.writeString(file, HEADER + SILENCE);
        assertThat(RuleFileLoader.load(file).rules()).hasSize(1);

        Files.writeString(file, HEADER + SILENCE.replace("after: 5m", "after: soon"));
        assertThatThrownBy(() -> RuleFileLoader.load(file)).isInstanceOf(RuleFileException.class)
                .hasMessageStartingWith(file + ": rules[0] (id 'quiet'), field 'after': ");
        assertThatThrownBy(() -> RuleFileLoader.load(dir.resolve("missing.yaml")))
                .hasMessageContaining("missing.yaml: cannot be read");
    }

    @Test
    void notYaml() {
        assertThat(problemsOf("rules: [unclosed")).singleElement().asString()
                .startsWith("rules.yaml: not valid YAML: ").contains("line");
    }

    @Test
    void emptyOrWithoutRules() {
        assertThat(problemsOf("")).containsExactly("rules.yaml: the file is empty");
        assertThat(problemsOf("version: 1\n")).singleElement().asString()
                .startsWith("rules.yaml: field 'rules': ").contains("rules");
        assertThat(problemsOf("version: 1\nrules: []\n")).singleElement().asString()
                .startsWith("rules.yaml: field 'rules': ");
    }

    @Test
    void unknownVersionOrTopLevelField() {
        assertThat(problemsOf("version: 2\nrules:\n" + SILENCE)).singleElement().asString()
                .startsWith("rules.yaml: field 'version': ");
        assertThat(problemsOf(HEADER + SILENCE + "colour: blue\n")).singleElement().asString()
                .startsWith("rules.yaml: field 'colour': ");
    }

    @Test
    void unknownKind() {
        assertThat(problemsOf(HEADER + SILENCE.replace("kind: silence", "kind: sulk"))).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'quiet'), field 'kind': ");
    }

    @Test
    void missingField() {
        assertThat(problemsOf(HEADER + "  - id: hot\n    kind: sequence\n    severity: critical\n    metric: temperature\n"
                + "    above: 70\n    within: 1m\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'count': ").contains("count");
    }

    @Test
    void fieldOfAnotherKind() {
        assertThat(problemsOf(HEADER + SILENCE + "    count: 3\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'quiet'), field 'count': ");
    }

    @Test
    void wrongTypeOrValue() {
        String hot = "  - id: hot\n    kind: sequence\n    severity: critical\n    metric: temperature\n    above: 70\n"
                + "    count: 3\n    within: 1m\n";
        assertThat(problemsOf(HEADER + hot.replace("count: 3", "count: three"))).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'count': ");
        assertThat(problemsOf(HEADER + hot.replace("count: 3", "count: 1"))).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'count': ").contains("2");
        assertThat(problemsOf(HEADER + hot.replace("above: 70", "above: hot"))).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'above': ");
        assertThat(problemsOf(HEADER + hot.replace("metric: temperature", "metric: pressure"))).singleElement()
                .asString().startsWith("rules.yaml: rules[0] (id 'hot'), field 'metric': ");
        assertThat(problemsOf(HEADER + hot.replace("within: 1m", "within: 0s"))).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'within': ");
        assertThat(problemsOf(HEADER + hot.replace("severity: critical", "severity: dire"))).singleElement()
                .asString().startsWith("rules.yaml: rules[0] (id 'hot'), field 'severity': ");
        assertThat(problemsOf(HEADER + "  - id: up\n    kind: rise\n    severity: info\n    metric: humidity\n"
                + "    by: -5\n    within: 1m\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'up'), field 'by': ");
    }

    @Test
    void aSequenceResolvesAfterCountReadingsBackWithNoCooldownUnlessItSaysOtherwise() {
        String hot = "  - id: hot\n    kind: sequence\n    severity: critical\n    metric: temperature\n    above: 70\n"
                + "    count: 3\n    within: 1m\n";
        SequenceRule defaults = (SequenceRule) RuleFileLoader.load("rules.yaml", (HEADER + hot).getBytes(StandardCharsets.UTF_8))
                .rules().get(0);
        assertThat(defaults.resolveReadings()).isEqualTo(3);
        assertThat(defaults.cooldown()).isZero();
        SequenceRule set = (SequenceRule) RuleFileLoader.load("rules.yaml",
                (HEADER + hot + "    resolve: {readings: 7}\n    cooldown: 10m\n").getBytes(StandardCharsets.UTF_8)).rules().get(0);
        assertThat(set.resolveReadings()).isEqualTo(7);
        assertThat(set.cooldown()).isEqualTo(Duration.ofMinutes(10));
        assertThat(((SequenceRule) RuleFileLoader.load("rules.yaml", (HEADER + hot + "    cooldown: 0s\n")
                .getBytes(StandardCharsets.UTF_8)).rules().get(0)).cooldown()).isZero();
    }

    @Test
    void aWrongResolveOrCooldownIsNamed() {
        String hot = "  - id: hot\n    kind: sequence\n    severity: critical\n    metric: temperature\n    above: 70\n"
                + "    count: 3\n    within: 1m\n";
        assertThat(problemsOf(HEADER + hot + "    resolve: {readings: 0}\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'resolve.readings': ").contains("1");
        assertThat(problemsOf(HEADER + hot + "    resolve: {readings: 1001}\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'resolve.readings': ").contains("1000");
        assertThat(problemsOf(HEADER + hot + "    resolve: {after: 1m}\n")).isNotEmpty().allSatisfy(p -> assertThat(p)
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'resolve"));
        assertThat(problemsOf(HEADER + hot + "    resolve: 3\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'resolve': ");
        assertThat(problemsOf(HEADER + hot + "    cooldown: -5s\n")).containsExactly(
                "rules.yaml: rules[0] (id 'hot'), field 'cooldown': must be 0 or longer, not -5s");
        assertThat(problemsOf(HEADER + hot + "    cooldown: soon\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'hot'), field 'cooldown': 'soon' is not a duration");
        assertThat(problemsOf(HEADER + SILENCE + "    cooldown: 5m\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'quiet'), field 'cooldown': ");
    }

    @Test
    void everyKindTakesLateSkipTheEpisodeKindsEvaluateAndNothingElse() {
        String hot = "  - id: hot\n    kind: sequence\n    severity: critical\n    metric: temperature\n    above: 70\n"
                + "    count: 3\n    within: 1m\n";
        String up = "  - id: up\n    kind: rise\n    severity: warning\n    metric: temperature\n    by: 10\n    within: 5m\n";
        String frozen = STUCK + "    readings: 10\n";
        String spike = OUTLIER + "    window: {readings: 10}\n";
        for (String rule : List.of(SILENCE, hot, up, frozen, spike)) {
            assertThat(RuleFileLoader.load("rules.yaml", (HEADER + rule + "    late: skip\n").getBytes(StandardCharsets.UTF_8))
                    .rules()).isEqualTo(RuleFileLoader.load("rules.yaml", (HEADER + rule).getBytes(StandardCharsets.UTF_8)).rules());
            assertThat(problemsOf(HEADER + rule + "    late: drop\n")).singleElement().asString()
                    .startsWith("rules.yaml: rules[0] (id '").contains("field 'late': ").contains("skip").contains("evaluate");
            assertThat(problemsOf(HEADER + rule + "    late: true\n")).singleElement().asString()
                    .startsWith("rules.yaml: rules[0] (id '").contains("field 'late': ");
        }
        for (String rule : List.of(hot, up, frozen, spike)) {
            Rule skip = RuleFileLoader.load("rules.yaml", (HEADER + rule).getBytes(StandardCharsets.UTF_8)).rules().get(0);
            Rule evaluate = RuleFileLoader.load("rules.yaml", (HEADER + rule + "    late: evaluate\n")
                    .getBytes(StandardCharsets.UTF_8)).rules().get(0);
            assertThat(((EpisodeRule) skip).late()).isEqualTo(Late.SKIP);
            assertThat(((EpisodeRule) evaluate).late()).isEqualTo(Late.EVALUATE);
            assertThat(evaluate).isEqualTo(((EpisodeRule) skip).withLate(Late.EVALUATE));
            // Which readings a rule sees is no part of its state: switching keeps the state (the uid).
            assertThat(io.sensorflow.rules.cep.CompiledRule.uid(evaluate)).isEqualTo(io.sensorflow.rules.cep.CompiledRule.uid(skip));
        }
        assertThat(problemsOf(HEADER + SILENCE + "    late: evaluate\n")).containsExactly(
                "rules.yaml: rules[0] (id 'quiet'), field 'late': a silence rule cannot evaluate late readings ('evaluate'):"
                        + " the watermark has already passed the gap such a reading would fill, and a silence reported is"
                        + " not taken back; leave 'late' out (or write 'skip')");
        // Reported with the file's other problems, at once.
        assertThat(problemsOf(HEADER + SILENCE + "    late: evaluate\n" + hot.replace("id: hot", "id: quiet")))
                .hasSize(2).anySatisfy(p -> assertThat(p).contains("field 'late'"))
                .anySatisfy(p -> assertThat(p).contains("field 'id': the same id"));
    }

    @Test
    void aSequenceNeedsExactlyOneOfAboveAndBelow() {
        String both = "  - id: hot\n    kind: sequence\n    severity: critical\n    metric: temperature\n    above: 70\n"
                + "    below: 10\n    count: 3\n    within: 1m\n";
        assertThat(problemsOf(HEADER + both)).containsExactly(
                "rules.yaml: rules[0] (id 'hot'), fields 'above'/'below': give exactly one of them");
        assertThat(problemsOf(HEADER + both.replace("    above: 70\n", "").replace("    below: 10\n", "")))
                .containsExactly("rules.yaml: rules[0] (id 'hot'), fields 'above'/'below': give exactly one of them");
    }

    @Test
    void badOrDuplicateIds() {
        assertThat(problemsOf(HEADER + SILENCE.replace("id: quiet", "id: Quiet Rule"))).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'Quiet Rule'), field 'id': ");
        assertThat(problemsOf(HEADER + SILENCE + SILENCE)).containsExactly(
                "rules.yaml: rules[1] (id 'quiet'), field 'id': the same id as rules[0]; ids must be unique");
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingTheRuleAndField() {
        // YAML lets the last one count; in a rule file that hides the first.
        assertThat(problemsOf(HEADER + SILENCE + "    after: 10m\n")).containsExactly(
                "rules.yaml: rules[0] (id 'quiet'), field 'after': given again at line 7; a key may be given only once");
        assertThat(problemsOf(HEADER + SILENCE.replace("    kind", "    id: other\n    kind"))).containsExactly(
                "rules.yaml: rules[0] (id 'other'), field 'id': given again at line 4; a key may be given only once");
        assertThat(problemsOf(HEADER + SILENCE.replace("    kind", "    description: {a: 1, b: 2, a: 3}\n    kind")))
                .containsExactly("rules.yaml: rules[0] (id 'quiet'), field 'description': the key 'a' given again at line 4; "
                        + "a key may be given only once");
        assertThat(problemsOf(HEADER + SILENCE + "version: 1\n")).containsExactly(
                "rules.yaml: field 'version': given again at line 7; a key may be given only once");
        assertThat(problemsOf("{\"version\": 1, \"rules\": [{\"id\": \"a\", \"kind\": \"silence\", \"severity\": \"info\", "
                + "\"after\": \"5m\", \"after\": \"1h\"}]}")).containsExactly(
                "rules.yaml: rules[0] (id 'a'), field 'after': given again at line 1; a key may be given only once");
        // The rule cannot be read to name it (the file is wrong further on): the problem is the top-level field's.
        assertThat(problemsOf(HEADER + SILENCE + "    after: 10m\n  - [unclosed\n")).containsExactly(
                "rules.yaml: field 'rules': the key 'after' given again at line 7; a key may be given only once");
        assertThat(problemsOf("- {a: 1, a: 2}\n")).containsExactly(
                "rules.yaml: the file: the key 'a' given again at line 1; a key may be given only once");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String twoBad = SILENCE.replace("after: 5m", "after: never")
                + "  - id: hot\n    kind: sequence\n    severity: critical\n    metric: temperature\n    above: 70\n"
                + "    count: 1\n    within: 1m\n";
        assertThat(problemsOf(HEADER + twoBad)).hasSize(2).anySatisfy(p -> assertThat(p).contains("rules[0]"))
                .anySatisfy(p -> assertThat(p).contains("rules[1]"));
    }

    private static final String STUCK = "  - id: frozen\n    kind: stuck\n    severity: warning\n    metric: humidity\n";

    private static Rule only(String yaml) {
        return RuleFileLoader.load("rules.yaml", yaml.getBytes(StandardCharsets.UTF_8)).rules().get(0);
    }

    @Test
    void aStuckRuleTakesReadingsOrADurationAndACooldown() {
        assertThat(only(HEADER + STUCK + "    readings: 20\n")).isEqualTo(new StuckRule("frozen", Severity.WARNING, "",
                Metric.HUMIDITY, 20, null, Duration.ZERO, SensorScope.ALL));
        StuckRule timed = (StuckRule) only(HEADER + STUCK + "    for: 15m\n    cooldown: 1h\n    description: frozen\n");
        assertThat(timed.byReadings()).isFalse();
        assertThat(timed.forDuration()).isEqualTo(Duration.ofMinutes(15));
        assertThat(timed.cooldown()).isEqualTo(Duration.ofHours(1));
        assertThat(timed.resolveReadings()).isEqualTo(1);
        assertThat(((StuckRule) only(HEADER + STUCK + "    readings: 100000\n")).readings()).isEqualTo(100_000);
        assertThat(((StuckRule) only(HEADER + STUCK + "    readings: 2\n")).readings()).isEqualTo(2);
    }

    @Test
    void eachMistakeInAStuckRuleIsNamed() {
        assertThat(problemsOf(HEADER + STUCK)).containsExactly("rules.yaml: rules[0] (id 'frozen'), fields 'readings'/'for': "
                + "give exactly one of them (readings: N in a row, or for: a duration)");
        assertThat(problemsOf(HEADER + STUCK + "    readings: 5\n    for: 1m\n")).containsExactly("rules.yaml: rules[0] "
                + "(id 'frozen'), fields 'readings'/'for': give exactly one of them (readings: N in a row, or for: a duration)");
        assertThat(problemsOf(HEADER + STUCK + "    readings: 1\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'frozen'), field 'readings': ").contains("2");
        assertThat(problemsOf(HEADER + STUCK + "    readings: 100001\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'frozen'), field 'readings': ").contains("100000");
        assertThat(problemsOf(HEADER + STUCK + "    readings: 2.5\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'frozen'), field 'readings': ");
        assertThat(problemsOf(HEADER + STUCK + "    for: 0s\n")).containsExactly(
                "rules.yaml: rules[0] (id 'frozen'), field 'for': must be longer than 0, not 0s");
        assertThat(problemsOf(HEADER + STUCK + "    for: a while\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'frozen'), field 'for': 'a while' is not a duration");
        assertThat(problemsOf(HEADER + STUCK + "    for: 5\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'frozen'), field 'for': ");
        assertThat(problemsOf(HEADER + STUCK + "    readings: 5\n    resolve: {readings: 3}\n")).containsExactly(
                "rules.yaml: rules[0] (id 'frozen'), field 'resolve': a stuck rule is resolved by the first reading with"
                        + " another value; it takes no 'resolve'");
        assertThat(problemsOf(HEADER + STUCK.replace("    metric: humidity\n", "") + "    readings: 5\n"))
                .singleElement().asString().startsWith("rules.yaml: rules[0] (id 'frozen'), field 'metric': ");
        assertThat(problemsOf(HEADER + STUCK + "    readings: 5\n    within: 1m\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'frozen'), field 'within': ");
        assertThat(problemsOf(HEADER + STUCK + "    readings: 5\n    cooldown: -1m\n")).containsExactly(
                "rules.yaml: rules[0] (id 'frozen'), field 'cooldown': must be 0 or longer, not -1m");
        assertThat(problemsOf(HEADER + SILENCE + "    readings: 5\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'quiet'), field 'readings': ");
    }

    @Test
    void everyKindTakesAScopeOfIdsOrAPattern() {
        assertThat(only(HEADER + SILENCE).scope()).isEqualTo(SensorScope.ALL);
        Rule listed = only(HEADER + SILENCE + "    sensors: {ids: [freezer-1, freezer-2]}\n");
        assertThat(listed.scope()).isEqualTo(SensorScope.ids(List.of("freezer-2", "freezer-1")));
        assertThat(listed.scope().includes("freezer-1")).isTrue();
        assertThat(listed.scope().includes("freezer-3")).isFalse();
        Rule matching = only(HEADER + "  - id: hot\n    kind: sequence\n    severity: critical\n    metric: temperature\n"
                + "    above: 70\n    count: 3\n    within: 1m\n    sensors:\n      match: 'greenhouse-[0-9]+'\n");
        assertThat(matching.scope().includes("greenhouse-12")).isTrue();
        assertThat(matching.scope().includes("greenhouse-12x")).as("the whole id must match").isFalse();
        assertThat(matching.scope().includes("a-greenhouse-12")).isFalse();
        assertThat(only(HEADER + "  - id: up\n    kind: rise\n    severity: info\n    metric: humidity\n    by: 5\n"
                + "    within: 1m\n    sensors: {match: 'x.*'}\n").scope().match()).isEqualTo("x.*");
        assertThat(only(HEADER + STUCK + "    readings: 5\n    sensors: {ids: [a]}\n").scope().idList()).containsExactly("a");
        String ids = "[" + String.join(", ", java.util.stream.IntStream.range(0, SensorScope.MAX_IDS)
                .mapToObj(i -> "'" + "s".repeat(90) + i + "'").toList()) + "]";
        assertThat(only(HEADER + SILENCE + "    sensors: {ids: " + ids + "}\n").scope().idList()).hasSize(10_000);
    }

    @Test
    void eachMistakeInAScopeIsNamed() {
        String at = "rules.yaml: rules[0] (id 'quiet'), field ";
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {ids: [a], match: 'a.*'}\n")).containsExactly(at + "'sensors': "
                + "give exactly one of 'ids' (a list of sensor ids) and 'match' (a regular expression the whole id must match)");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {}\n")).containsExactly(at + "'sensors': "
                + "give exactly one of 'ids' (a list of sensor ids) and 'match' (a regular expression the whole id must match)");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: [a, b]\n")).singleElement().asString().startsWith(at + "'sensors': ");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {ids: []}\n")).singleElement().asString()
                .startsWith(at + "'sensors.ids': ");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {ids: [a, '']}\n")).singleElement().asString()
                .startsWith(at + "'sensors.ids': ");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {ids: [a, 5]}\n")).singleElement().asString()
                .startsWith(at + "'sensors.ids': ");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {ids: [a, '" + "x".repeat(129) + "']}\n")).singleElement()
                .asString().startsWith(at + "'sensors.ids': ").contains("128");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {ids: [a, b, a]}\n")).containsExactly(
                at + "'sensors.ids': 'a' is listed twice (ids[0] and ids[2])");
        String tooMany = "[" + String.join(", ", java.util.stream.IntStream.range(0, SensorScope.MAX_IDS + 1)
                .mapToObj(Integer::toString).map(i -> "'" + i + "'").toList()) + "]";
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {ids: " + tooMany + "}\n")).singleElement().asString()
                .startsWith(at + "'sensors.ids': ").contains("10,000");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {match: 'freezer-(1'}\n")).containsExactly(
                at + "'sensors.match': not a Java regular expression: Unclosed group at index 10");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {match: '(.*a){12}'}\n")).containsExactly(at + "'sensors.match': "
                + "backtracks without end on an id of 127 'a' and one other character (a repeated group with .* in it, such as (.*a){12}):"
                + " it would stall the job at each new sensor id. Write it without them");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {match: ''}\n")).singleElement().asString()
                .startsWith(at + "'sensors.match': ");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {match: '" + "a".repeat(501) + "'}\n")).singleElement()
                .asString().startsWith(at + "'sensors.match': ").contains("500");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {match: 5}\n")).singleElement().asString()
                .startsWith(at + "'sensors.match': ");
        assertThat(problemsOf(HEADER + SILENCE + "    sensors: {pattern: 'a.*'}\n")).isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith(at + "'sensors"));
    }

    private static final String OUTLIER = "  - id: spike\n    kind: outlier\n    severity: warning\n    metric: temperature\n"
            + "    k: 3\n";

    @Test
    void anOutlierRuleTakesAWindowOfReadingsOrADurationAndDefaultsItsMinimumAndResolution() {
        assertThat(only(HEADER + OUTLIER + "    window: {readings: 30}\n")).isEqualTo(new OutlierRule("spike",
                Severity.WARNING, "", Metric.TEMPERATURE, 3, 30, null, 10, 10, Duration.ZERO, SensorScope.ALL));
        assertThat(((OutlierRule) only(HEADER + OUTLIER + "    window: {readings: 4}\n")).minReadings())
                .as("min(N, 10)").isEqualTo(4);
        OutlierRule timed = (OutlierRule) only(HEADER + OUTLIER.replace("k: 3", "k: 2.5") + "    window:\n"
                + "      duration: 10m\n    resolve: {readings: 3}\n    cooldown: 1h\n    sensors: {match: 'greenhouse-.*'}\n");
        assertThat(timed.byReadings()).isFalse();
        assertThat(timed.k()).isEqualTo(2.5);
        assertThat(timed.windowDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(timed.minReadings()).isEqualTo(10);
        assertThat(timed.resolveReadings()).isEqualTo(3);
        assertThat(timed.cooldown()).isEqualTo(Duration.ofHours(1));
        assertThat(timed.scope().match()).isEqualTo("greenhouse-.*");
        assertThat(timed.kind()).isEqualTo("outlier");
        OutlierRule most = (OutlierRule) only(HEADER + OUTLIER.replace("k: 3", "k: 100")
                + "    window: {readings: 1000}\n    min_readings: 1000\n");
        assertThat(most.minReadings()).isEqualTo(1000);
        assertThat(((OutlierRule) only(HEADER + OUTLIER + "    window: {readings: 2}\n    min_readings: 2\n"))
                .windowReadings()).isEqualTo(2);
        assertThat(((OutlierRule) only(HEADER + OUTLIER + "    window: {duration: 1m}\n    min_readings: 500\n"))
                .minReadings()).isEqualTo(500);
    }

    @Test
    void eachMistakeInAnOutlierRuleIsNamed() {
        String at = "rules.yaml: rules[0] (id 'spike'), field";
        assertThat(problemsOf(HEADER + OUTLIER)).singleElement().asString().startsWith(at + " 'window': ");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {}\n")).containsExactly(at + " 'window': give exactly one of"
                + " 'readings' (the last N readings) and 'duration' (the readings of the last D)");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {readings: 10, duration: 5m}\n")).containsExactly(at
                + " 'window': give exactly one of 'readings' (the last N readings) and 'duration' (the readings of the last D)");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: 10\n")).singleElement().asString().startsWith(at + " 'window': ");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {readings: 1}\n")).singleElement().asString()
                .startsWith(at + " 'window.readings': ").contains("2");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {readings: 1001}\n")).singleElement().asString()
                .startsWith(at + " 'window.readings': ").contains("1000");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {readings: 2.5}\n")).singleElement().asString()
                .startsWith(at + " 'window.readings': ");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {duration: 0s}\n")).containsExactly(
                at + " 'window.duration': must be longer than 0, not 0s");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {duration: a while}\n")).singleElement().asString()
                .startsWith(at + " 'window.duration': 'a while' is not a duration");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {count: 5}\n")).isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith(at + " 'window"));
        String ten = "    window: {readings: 10}\n";
        assertThat(problemsOf(HEADER + OUTLIER + ten + "    min_readings: 11\n")).containsExactly(at
                + " 'min_readings': 11 is more than the window's 10 readings: the rule could never fire");
        assertThat(problemsOf(HEADER + OUTLIER + ten + "    min_readings: 1\n")).singleElement().asString()
                .startsWith(at + " 'min_readings': ").contains("2");
        assertThat(problemsOf(HEADER + OUTLIER + "    window: {duration: 1m}\n    min_readings: 1001\n")).singleElement()
                .asString().startsWith(at + " 'min_readings': ").contains("1000");
        assertThat(problemsOf(HEADER + OUTLIER.replace("k: 3", "k: 0") + ten)).singleElement().asString()
                .startsWith(at + " 'k': ");
        assertThat(problemsOf(HEADER + OUTLIER.replace("k: 3", "k: -2") + ten)).singleElement().asString()
                .startsWith(at + " 'k': ");
        assertThat(problemsOf(HEADER + OUTLIER.replace("k: 3", "k: 101") + ten)).singleElement().asString()
                .startsWith(at + " 'k': ").contains("100");
        assertThat(problemsOf(HEADER + OUTLIER.replace("k: 3", "k: three") + ten)).singleElement().asString()
                .startsWith(at + " 'k': ");
        assertThat(problemsOf(HEADER + OUTLIER.replace("    k: 3\n", "") + ten)).singleElement().asString()
                .startsWith(at + " 'k': ");
        assertThat(problemsOf(HEADER + OUTLIER.replace("    metric: temperature\n", "") + ten)).singleElement()
                .asString().startsWith(at + " 'metric': ");
        assertThat(problemsOf(HEADER + OUTLIER + ten + "    resolve: {readings: 0}\n")).singleElement().asString()
                .startsWith(at + " 'resolve.readings': ");
        assertThat(problemsOf(HEADER + OUTLIER + ten + "    resolve: {after: 5m}\n")).isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith(at + " 'resolve"));
        assertThat(problemsOf(HEADER + OUTLIER + ten + "    cooldown: -1m\n")).containsExactly(
                at + " 'cooldown': must be 0 or longer, not -1m");
        assertThat(problemsOf(HEADER + OUTLIER + ten + "    within: 1m\n")).singleElement().asString()
                .startsWith(at + " 'within': ");
        assertThat(problemsOf(HEADER + OUTLIER + ten + "    late: later\n")).singleElement().asString()
                .startsWith(at + " 'late': ");
        assertThat(problemsOf(HEADER + SILENCE + "    k: 3\n")).singleElement().asString()
                .startsWith("rules.yaml: rules[0] (id 'quiet'), field 'k': ");
    }
}
