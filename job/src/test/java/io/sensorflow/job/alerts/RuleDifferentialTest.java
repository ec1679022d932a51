package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.alerts.DifferentialStreams.Step;
import io.sensorflow.job.alerts.TextbookReference.Textbook;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.alert.AlertIds;
import io.sensorflow.rules.cep.RuleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13's proof that the job's path (the candidate selector, which leaves readings out, and the
 * rule's CEP operators) gives exactly the alerts of the rule's textbook patterns run over every
 * reading (the {@link TextbookReference}), over many random streams ({@link DifferentialStreams}:
 * disorder, duplicates, readings without the metric, bursts at one time, gaps, whole-fleet silence,
 * a failure and restore in the middle), with random rules (thresholds the values hit exactly,
 * cooldown 0 and longer, resolution by 1 reading and more).
 *
 * <p>Each kind's textbook is the README's meaning: the condition is a pattern matched at every
 * reading where it holds (AfterMatchSkipStrategy noSkip), the resolution likewise, and the
 * lifecycle turns those into one FIRING per episode.
 */
class RuleDifferentialTest {

    /**
     * Per kind: rule sets (two random rules each), each run over streams one after the other (each
     * stream's sensors its own, each stream starting well after the one before ended), with failures
     * and restores along the way: 240 streams of 2 to 7 sensors per kind. Most of the time goes into
     * setting up the operators' test harnesses, hence several streams per rule set.
     */
    static final int RULE_SETS = 24;
    static final int STREAMS_PER_RULE_SET = 10;
    static final long S = DifferentialStreams.S;

    @ParameterizedTest
    @ValueSource(strings = {"sequence", "rise", "stuck", "outlier"})
    void theJobGivesTheAlertsOfTheTextbookPatternOverEveryReading(String kind) throws Exception {
        for (long set = 1; set <= RULE_SETS; set++) {
            Random random = new Random(set * 7919 + kind.hashCode());
            List<Textbook> textbooks = List.of(textbook(kind, "r1", random), textbook(kind, "r2", random));
            List<Step> steps = new ArrayList<>();
            for (int k = 0; k < STREAMS_PER_RULE_SET; k++) {
                steps.addAll(DifferentialStreams.after(steps, "x" + k + "-",
                        DifferentialStreams.stream(set * 1000 + k, values(kind))));
            }
            List<Rule> rules = new ArrayList<>();
            List<Alert> expected = new ArrayList<>();
            for (Textbook t : textbooks) {
                rules.add(t.rule());
                expected.addAll(TextbookReference.alerts(t, DifferentialStreams.inRuleOrder(steps)));
            }
            java.util.SortedSet<Integer> restores = new java.util.TreeSet<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                restores.add(random.nextInt(steps.size()));
            }
            List<Alert> actual = DifferentialStreams.throughTheJob(rules, steps, restores);
            Map<String, List<String>> want = byRuleAndSensor(expected);
            Map<String, List<String>> got = byRuleAndSensor(actual);
            if (!got.equals(want)) {
                String differences = differences(want, got);
                assertThat(got).as("%s, rule set %d, rules %s, restores at steps %s of %d; first differences:%n%s%n"
                        + "the readings and watermarks of those sensors:%n%s", kind, set, rules, restores, steps.size(),
                        differences, describe(steps, differences)).isEqualTo(want);
            }
        }
    }

    /** Per rule and sensor whose alerts differ, the first alert that does, expected and actual. */
    static String differences(Map<String, List<String>> want, Map<String, List<String>> got) {
        StringBuilder b = new StringBuilder();
        java.util.Set<String> keys = new java.util.TreeSet<>(want.keySet());
        keys.addAll(got.keySet());
        for (String k : keys) {
            List<String> w = want.getOrDefault(k, List.of());
            List<String> g = got.getOrDefault(k, List.of());
            int i = 0;
            while (i < w.size() && i < g.size() && w.get(i).equals(g.get(i))) {
                i++;
            }
            if (i < w.size() || i < g.size()) {
                b.append(k).append(" #").append(i).append(": expected ").append(i < w.size() ? w.get(i) : "nothing")
                        .append("\n    actual ").append(i < g.size() ? g.get(i) : "nothing").append('\n');
            }
        }
        return b.toString();
    }

    /**
     * The steps of the sensors {@code differences} names, one a line: readings as
     * sensor@seconds=value#seq (and L with the time that judged it, for a reading late for rules),
     * watermarks as W seconds.
     */
    static String describe(List<Step> steps, String differences) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.reading() == null) {
                b.append(i).append(": W ").append(s.watermark() / (double) S).append('\n');
            } else if (differences.contains(" " + s.reading().sensorId + " #")) {
                b.append(i).append(": ").append(s.reading().sensorId).append("@").append(s.reading().eventTime / (double) S)
                        .append("=").append(s.reading().temperature).append("#").append(s.reading().seq)
                        .append(s.reading().lateForRules ? " L " + s.reading().judgedBy / (double) S : "").append('\n');
            }
        }
        return b.toString();
    }

    /** Per rule and sensor, its alerts in the order they came (across sensors the order is free). */
    static Map<String, List<String>> byRuleAndSensor(List<Alert> alerts) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Alert a : alerts) {
            out.computeIfAbsent(a.ruleId + " " + a.sensorId, k -> new ArrayList<>()).add(a.status + " " + a.alertId
                    + " [" + a.spanStart / S + ".." + a.spanEnd / S + "] at " + Arrays.toString(a.readingTimes)
                    + " " + Arrays.toString(a.values));
        }
        return out;
    }

    static DifferentialStreams.Values values(String kind) {
        switch (kind) {
            case "sequence":
                // Around a threshold of 70, on it too, with runs on both sides.
                return (random, previous) -> {
                    boolean high = Double.isNaN(previous) ? random.nextBoolean()
                            : (previous > 70) == (random.nextDouble() < 0.7);
                    return high ? 70.5 + random.nextInt(4) : 68 + random.nextInt(3);
                };
            case "rise":
                return (random, previous) -> Double.isNaN(previous) ? 60
                        : Math.max(40, Math.min(80, previous + random.nextInt(9) - 4));
            case "outlier":
                // Calm readings, some from few values (so that one lands on k * sd), flat stretches (sd 0)
                // and spikes, which repeat into stretches of outliers.
                return (random, previous) -> {
                    double p = random.nextDouble();
                    if (!Double.isNaN(previous) && p < 0.3) {
                        return previous;
                    }
                    if (p < 0.42) {
                        return 20 + (random.nextBoolean() ? 1 : -1) * (3 + random.nextInt(20));
                    }
                    if (p < 0.6) {
                        return 20 + random.nextInt(3);
                    }
                    return Math.round((20 + random.nextGaussian()) * 10) / 10.0;
                };
            default:
                // Few values, so that runs of one come often; 0.0 and -0.0 are one value.
                return (random, previous) -> {
                    if (!Double.isNaN(previous) && random.nextDouble() < 0.7) {
                        return previous == 0.0 && random.nextBoolean() ? -previous : previous;
                    }
                    double[] pick = {0.0, -0.0, 20.5, 21};
                    return pick[random.nextInt(pick.length)];
                };
        }
    }

    static Duration cooldown(Random random) {
        return random.nextBoolean() ? Duration.ZERO : Duration.ofSeconds(10 * (1 + random.nextInt(12)));
    }

    static Textbook textbook(String kind, String id, Random random) {
        switch (kind) {
            case "sequence": {
                SequenceRule rule = new SequenceRule(id, Severity.WARNING, "", Metric.TEMPERATURE, true,
                        random.nextBoolean() ? 70 : 70.5, 2 + random.nextInt(3), Duration.ofSeconds(15 + 5 * random.nextInt(10)),
                        1 + random.nextInt(3), cooldown(random));
                return new SequenceTextbook(rule);
            }
            case "rise": {
                RiseRule rule = new RiseRule(id, Severity.WARNING, "", Metric.TEMPERATURE, 2 + random.nextInt(7),
                        Duration.ofSeconds(10 + 5 * random.nextInt(10)), 1 + random.nextInt(3), cooldown(random));
                return new RiseTextbook(rule);
            }
            case "outlier": {
                double[] ks = {0.5, 1, 1.5, 2, 2.5, 3};
                double k = ks[random.nextInt(ks.length)];
                OutlierRule rule;
                if (random.nextBoolean()) {
                    int n = 2 + random.nextInt(9);
                    rule = OutlierRule.ofReadings(id, Severity.WARNING, Metric.TEMPERATURE, k, n)
                            .with(2 + random.nextInt(n - 1), 1 + random.nextInt(3), cooldown(random), SensorScope.ALL);
                } else {
                    rule = OutlierRule.ofDuration(id, Severity.WARNING, Metric.TEMPERATURE, k,
                            Duration.ofSeconds(20 + 10 * random.nextInt(10)))
                            .with(2 + random.nextInt(4), 1 + random.nextInt(3), cooldown(random), SensorScope.ALL);
                }
                return new OutlierTextbook(rule);
            }
            default: {
                StuckRule rule = random.nextBoolean()
                        ? new StuckRule(id, Severity.WARNING, "", Metric.TEMPERATURE, 2 + random.nextInt(4), null,
                                cooldown(random), SensorScope.ALL)
                        : new StuckRule(id, Severity.WARNING, "", Metric.TEMPERATURE, 0,
                                Duration.ofSeconds(10 + 5 * random.nextInt(8)), cooldown(random), SensorScope.ALL);
                return new StuckTextbook(rule);
            }
        }
    }

    /** For each of a sensor's events, the first event of the stretch of events it is in ({@code together}: this one continues the one before). */
    static int[] stretchStarts(List<RuleEvent> events, java.util.function.BiPredicate<RuleEvent, RuleEvent> together) {
        int[] start = new int[events.size()];
        for (int i = 0; i < events.size(); i++) {
            start[i] = i > 0 && together.test(events.get(i - 1), events.get(i)) ? start[i - 1] : i;
        }
        return start;
    }

    /**
     * The id of the episode of the stretch starting at {@code start}: its time and which of the stretches starting then
     * it is, counting those whose events are {@code inOne} (runs of extreme readings, not the readings between them).
     */
    static String stretchId(String ruleId, List<RuleEvent> events, int[] starts, int start, Predicate<RuleEvent> inOne) {
        int ordinal = 0;
        for (int j = 0; j < start; j++) {
            if (starts[j] == j && inOne.test(events.get(j)) && events.get(j).timestamp == events.get(start).timestamp) {
                ordinal++;
            }
        }
        return AlertIds.of(ruleId, events.get(start).sensorId, events.get(start).timestamp, ordinal).toString();
    }

    static Alert candidate(EpisodeRule rule, String alertId, List<RuleEvent> readings) {
        return AlertCandidates.firing(rule, alertId, readings.get(0).sensorId,
                readings.stream().mapToLong(e -> e.timestamp).toArray(), readings.stream().mapToDouble(e -> e.value).toArray());
    }

    private static RuleEvent first(IterativeCondition.Context<RuleEvent> ctx, String name) throws Exception {
        return ctx.getEventsForPattern(name).iterator().next();
    }

    /** {@code count} readings in a row past the threshold within {@code within}; resolved by M in a row back. */
    record SequenceTextbook(SequenceRule rule) implements Textbook {
        @Override
        public Pattern<RuleEvent, RuleEvent> firing() {
            SequenceRule r = rule;
            return Pattern.<RuleEvent>begin("run", AfterMatchSkipStrategy.noSkip())
                    .where(SimpleCondition.of(e -> r.isExtreme(e.value)))
                    .times(r.count()).consecutive()
                    .within(r.within());
        }

        @Override
        public List<Alert> firings(List<Map<String, List<RuleEvent>>> matches, Map<String, List<RuleEvent>> events) {
            List<Alert> out = new ArrayList<>();
            for (Map<String, List<RuleEvent>> m : matches) {
                List<RuleEvent> run = m.get("run");
                List<RuleEvent> own = events.get(run.get(0).sensorId);
                int[] starts = stretchStarts(own, (a, b) -> rule.isExtreme(a.value) && rule.isExtreme(b.value));
                int start = starts[(int) run.get(0).runLength];
                out.add(candidate(rule, stretchId(rule.id(), own, starts, start, e -> rule.isExtreme(e.value)), run));
            }
            return out;
        }

        @Override
        public Pattern<RuleEvent, RuleEvent> resolution() {
            SequenceRule r = rule;
            return Pattern.<RuleEvent>begin("extreme", AfterMatchSkipStrategy.noSkip())
                    .where(SimpleCondition.of(e -> r.isExtreme(e.value)))
                    .next("back").where(SimpleCondition.of(e -> !r.isExtreme(e.value)))
                    .times(r.resolveReadings()).consecutive();
        }
    }

    /**
     * A reading at least {@code by} above one less than {@code within} before it (a match per such
     * pair: the alert names the lowest, the later of equal ones); resolved by M in a row without.
     */
    record RiseTextbook(RiseRule rule) implements Textbook {
        @Override
        public Pattern<RuleEvent, RuleEvent> firing() {
            double by = rule.by();
            return Pattern.<RuleEvent>begin("from", AfterMatchSkipStrategy.noSkip())
                    .followedByAny("to")
                    .where(new IterativeCondition<RuleEvent>() {
                        @Override
                        public boolean filter(RuleEvent to, Context<RuleEvent> ctx) throws Exception {
                            return to.value - first(ctx, "from").value >= by;
                        }
                    })
                    .within(rule.within());
        }

        @Override
        public List<Alert> firings(List<Map<String, List<RuleEvent>>> matches, Map<String, List<RuleEvent>> events) {
            // The matches ending at one reading come together; of them the lowest start, the later of equal ones.
            Map<String, RuleEvent[]> best = new java.util.LinkedHashMap<>();
            for (Map<String, List<RuleEvent>> m : matches) {
                RuleEvent from = m.get("from").get(0);
                RuleEvent to = m.get("to").get(0);
                RuleEvent[] b = best.computeIfAbsent(to.sensorId + "#" + to.runLength, k -> new RuleEvent[] {from, to});
                if (from.value < b[0].value || from.value == b[0].value && from.runLength > b[0].runLength) {
                    b[0] = from;
                }
            }
            List<Alert> out = new ArrayList<>();
            for (RuleEvent[] b : best.values()) {
                out.add(candidate(rule, AlertIds.of(rule.id(), b[1].sensorId, b[1].timestamp).toString(), List.of(b[0], b[1])));
            }
            return out;
        }

        @Override
        public void mark(List<RuleEvent> events, Predicate<RuleEvent> matched) {
            for (RuleEvent e : events) {
                e.kind = matched.test(e) ? RuleEvent.RISE : RuleEvent.NORMAL;
            }
        }

        @Override
        public Pattern<RuleEvent, RuleEvent> resolution() {
            return Pattern.<RuleEvent>begin("rise", AfterMatchSkipStrategy.noSkip())
                    .where(SimpleCondition.of(e -> e.kind == RuleEvent.RISE))
                    .next("back").where(SimpleCondition.of(e -> e.kind != RuleEvent.RISE))
                    .times(rule.resolveReadings()).consecutive();
        }
    }

    /** One value {@code readings} times in a row, or for at least {@code for}; resolved by another value after a repeat. */
    record StuckTextbook(StuckRule rule) implements Textbook {
        @Override
        public Pattern<RuleEvent, RuleEvent> firing() {
            IterativeCondition<RuleEvent> same = new IterativeCondition<>() {
                @Override
                public boolean filter(RuleEvent e, Context<RuleEvent> ctx) throws Exception {
                    return e.value == first(ctx, "first").value;
                }
            };
            Pattern<RuleEvent, RuleEvent> first = Pattern.<RuleEvent>begin("first", AfterMatchSkipStrategy.noSkip());
            if (rule.byReadings()) {
                return first.next("same").where(same).times(rule.readings() - 1).consecutive();
            }
            long forMs = rule.forDuration().toMillis();
            return first.next("same").where(same).oneOrMore().consecutive().optional()
                    .next("last").where(new IterativeCondition<RuleEvent>() {
                        @Override
                        public boolean filter(RuleEvent e, Context<RuleEvent> ctx) throws Exception {
                            RuleEvent f = first(ctx, "first");
                            return e.value == f.value && e.timestamp - f.timestamp >= forMs;
                        }
                    });
        }

        @Override
        public List<Alert> firings(List<Map<String, List<RuleEvent>>> matches, Map<String, List<RuleEvent>> events) {
            // A `for` rule's pattern matches at one reading once per earlier reading of its run that far back: one candidate.
            Map<String, Alert> out = new java.util.LinkedHashMap<>();
            for (Map<String, List<RuleEvent>> m : matches) {
                RuleEvent last = null;
                for (List<RuleEvent> part : m.values()) {
                    for (RuleEvent e : part) {
                        last = last == null || e.runLength > last.runLength ? e : last;
                    }
                }
                List<RuleEvent> own = events.get(last.sensorId);
                int[] starts = stretchStarts(own, (a, b) -> a.value == b.value);
                int start = starts[(int) last.runLength];
                out.putIfAbsent(last.sensorId + "#" + last.runLength,
                        candidate(rule, stretchId(rule.id(), own, starts, start, e -> true), List.of(own.get(start), last)));
            }
            return new ArrayList<>(out.values());
        }

        @Override
        public Pattern<RuleEvent, RuleEvent> resolution() {
            return Pattern.<RuleEvent>begin("a", AfterMatchSkipStrategy.noSkip())
                    .next("b").where(new IterativeCondition<RuleEvent>() {
                        @Override
                        public boolean filter(RuleEvent e, Context<RuleEvent> ctx) throws Exception {
                            return e.value == first(ctx, "a").value;
                        }
                    })
                    .next("c").where(new IterativeCondition<RuleEvent>() {
                        @Override
                        public boolean filter(RuleEvent e, Context<RuleEvent> ctx) throws Exception {
                            return e.value != first(ctx, "b").value;
                        }
                    });
        }
    }

    /**
     * A reading more than {@code k} standard deviations from the mean of its window (README: the
     * {@code N} readings before it; or, of the last 1000 readings before it, those at or after
     * {@code r - D} and before {@code r}'s time), which holds at least {@code min_readings} readings
     * and an sd above 0; resolved by M readings in a row that are none. One match per reading: the
     * one whose "window" is that reading's window, the condition computing the statistics over it.
     * <ul>
     *   <li>N readings: {@code begin("window").times(min_readings, N).consecutive().next("r")}, "window"
     *       N readings, or fewer when they start at the sensor's first;
     *   <li>a duration D: {@code begin("before").optional().next("window").oneOrMore().consecutive()
     *       .next("r")}, "window" spanning at most D and starting at or after {@code r - D}, "before"
     *       before {@code r - D} or none when "window" starts at the sensor's first reading (or
     *       "window" the last 1000 readings).
     * </ul>
     * (Each event's place among its sensor's events is in {@link RuleEvent#runLength}.)
     */
    record OutlierTextbook(OutlierRule rule) implements Textbook {
        @Override
        public Pattern<RuleEvent, RuleEvent> firing() {
            if (rule.byReadings()) {
                return Pattern.<RuleEvent>begin("window", AfterMatchSkipStrategy.noSkip())
                        .times(rule.minReadings(), rule.windowReadings()).consecutive()
                        .next("r").where(new OutlierOverWindow(rule));
            }
            long d = rule.windowDuration().toMillis();
            return Pattern.<RuleEvent>begin("before", AfterMatchSkipStrategy.noSkip()).optional()
                    .next("window").where(new IterativeCondition<RuleEvent>() {
                        @Override
                        public boolean filter(RuleEvent e, Context<RuleEvent> ctx) throws Exception {
                            for (RuleEvent w : ctx.getEventsForPattern("window")) {
                                return e.timestamp - w.timestamp <= d; // [r - D, r) and readings at r's time span at most D
                            }
                            return true;
                        }
                    }).oneOrMore().consecutive()
                    .next("r").where(new OutlierOverWindow(rule));
        }

        @Override
        public List<Alert> firings(List<Map<String, List<RuleEvent>>> matches, Map<String, List<RuleEvent>> events) {
            List<Alert> out = new ArrayList<>();
            for (Map<String, List<RuleEvent>> m : matches) {
                RuleEvent r = m.get("r").get(0);
                out.add(candidate(rule, AlertIds.of(rule.id(), r.sensorId, r.timestamp).toString(), List.of(r)));
            }
            return out;
        }

        @Override
        public void mark(List<RuleEvent> events, Predicate<RuleEvent> matched) {
            for (RuleEvent e : events) {
                e.kind = matched.test(e) ? RuleEvent.OUTLIER : RuleEvent.NORMAL;
            }
        }

        @Override
        public Pattern<RuleEvent, RuleEvent> resolution() {
            return Pattern.<RuleEvent>begin("outlier", AfterMatchSkipStrategy.noSkip())
                    .where(SimpleCondition.of(e -> e.kind == RuleEvent.OUTLIER))
                    .next("back").where(SimpleCondition.of(e -> e.kind != RuleEvent.OUTLIER))
                    .times(rule.resolveReadings()).consecutive();
        }
    }

    /** Whether "r" is an outlier over the match's "window", when that is r's window (see {@link OutlierTextbook}). */
    static final class OutlierOverWindow extends IterativeCondition<RuleEvent> {
        private final OutlierRule rule;

        OutlierOverWindow(OutlierRule rule) {
            this.rule = rule;
        }

        @Override
        public boolean filter(RuleEvent r, Context<RuleEvent> ctx) throws Exception {
            List<RuleEvent> window = new ArrayList<>();
            ctx.getEventsForPattern("window").forEach(window::add);
            if (window.isEmpty()) {
                return false;
            }
            boolean fromFirst = window.get(0).runLength == 0;
            if (rule.byReadings()) {
                if (window.size() != rule.windowReadings() && !fromFirst) {
                    return false; // not r's window: another match has it
                }
            } else {
                long from = r.timestamp - rule.windowDuration().toMillis();
                boolean beforeFrom = false;
                boolean hasBefore = false;
                for (RuleEvent b : ctx.getEventsForPattern("before")) {
                    hasBefore = true;
                    beforeFrom = b.timestamp < from;
                }
                boolean starts = hasBefore ? beforeFrom || window.size() == OutlierRule.MAX_WINDOW_READINGS : fromFirst;
                if (window.get(0).timestamp < from || window.size() > OutlierRule.MAX_WINDOW_READINGS || !starts) {
                    return false;
                }
            }
            List<Double> values = new ArrayList<>();
            for (RuleEvent e : window) {
                if (rule.byReadings() || e.timestamp < r.timestamp) {
                    values.add(e.value);
                }
            }
            int n = values.size();
            if (n < rule.minReadings()) {
                return false;
            }
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            double mean = sum / n;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            double sd = Math.sqrt(squares / (n - 1));
            return sd > 0 && Math.abs(r.value - mean) > rule.k() * sd;
        }
    }
}
