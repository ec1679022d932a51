package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.alert.AlertIds;
import io.sensorflow.rules.cep.RuleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job's outlier path (OutlierCandidates' picks, the one-event pattern on the statistics they
 * carry, the resolution pattern, AlertLifecycle: {@link AlertRulesHarness}, with a snapshot and a
 * restore in the middle) against the textbook: a FlinkCEP pattern applied to every reading that
 * finds the outliers itself, its condition computing the window's mean and standard deviation
 * from the events of the match, with the episodes' life (the first outlier of a stretch fires, M
 * readings in a row that are none resolve, no repeat while open, cooldown) read plainly from the
 * rule's definition. Over random streams with disorder, exact repeats, readings at one time,
 * readings without the metric, flat stretches (sd 0), values on the boundary, gaps and the whole
 * fleet going quiet, both must give the same alerts.
 *
 * <p>The textbook patterns, per kind of window:
 * <ul>
 *   <li>N readings: {@code begin("window").times(N).consecutive().next("r").where(outlier over
 *       "window")}; with {@code min_readings} N (the default for N up to 10), so that a reading
 *       with fewer than N before it, which this pattern cannot see, is no outlier either;
 *   <li>a duration D: {@code begin("before").next("window").oneOrMore().consecutive().next("r")},
 *       "window" holding readings that span at most D, "r" an outlier over the readings of
 *       "window" before its time when "before" is before r - D and "window" starts at or after
 *       it: the match whose "before" is the last reading before r - D. Every sensor's stream
 *       starts with a marker long before its first reading, so that there always is one.
 * </ul>
 */
class OutlierDifferentialTest {

    static final long S = 1_000L;
    static final long T0 = 1_800_000_000_000L;
    static final long OUT_OF_ORDERNESS = 3 * S;
    static final String[] SENSORS = {"a", "b", "c"};

    /** A reading as generated: its sensor, time, seq, temperature (NaN: none), and its place in the stream. */
    record Gen(String sensor, long ts, long seq, double temperature, double distance) {}

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25})
    void theJobsPathGivesTheAlertsOfTheTextbookPatternAppliedToEveryReading(long seed) throws Exception {
        Random rnd = new Random(seed);
        List<OutlierRule> rules = randomRules(rnd);
        List<Gen> stream = randomStream(rnd);

        // The job's path.
        List<Rule> asRules = new ArrayList<>(rules);
        AlertRulesHarness job = new AlertRulesHarness(asRules);
        List<Alert> jobAlerts = new ArrayList<>();
        // The reference: per rule a CEP operator fed every reading with the metric.
        List<KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, RuleEvent>> textbook = new ArrayList<>();
        for (OutlierRule rule : rules) {
            KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, RuleEvent> h = cep(textbookPattern(rule));
            h.open();
            for (String sensor : SENSORS) {
                RuleEvent marker = RuleEvent.of(sensor, T0 - 3_600 * S, Double.NaN, (byte) 0, 0);
                marker.episodeOrdinal = -1;
                h.processElement(new StreamRecord<>(marker, marker.timestamp));
            }
            textbook.add(h);
        }
        Map<String, List<Gen>> fed = new HashMap<>(); // per sensor, what the rules see, in the order it came
        Set<List<Object>> seen = new HashSet<>();
        long maxTs = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        int restoreAt = stream.size() / 2;
        for (int i = 0; i < stream.size(); i++) {
            Gen g = stream.get(i);
            if (i == restoreAt) {
                List<OperatorSubtaskState> snapshot = job.snapshot(1);
                jobAlerts.addAll(job.takeAlerts());
                job.close();
                job = new AlertRulesHarness(asRules, snapshot);
            }
            if (g.ts <= watermark) {
                continue; // late for the rules: upstream keeps it from them, in the job as in the definition
            }
            Reading r = new Reading();
            r.sensorId = g.sensor;
            r.eventTime = g.ts;
            r.seq = g.seq;
            r.temperature = g.temperature;
            r.distanceCm = g.distance;
            job.reading(r);
            if (seen.add(List.of(g.sensor, g.ts, g.seq, g.temperature, g.distance)) && !Double.isNaN(g.temperature)) {
                List<Gen> list = fed.computeIfAbsent(g.sensor, s -> new ArrayList<>());
                RuleEvent e = RuleEvent.of(g.sensor, g.ts, g.temperature, (byte) 0, g.ts);
                e.episodeOrdinal = list.size(); // which reading it is (in the order they came), to find it in the matches
                list.add(g);
                for (KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, RuleEvent> h : textbook) {
                    h.processElement(new StreamRecord<>(e, e.timestamp));
                }
            }
            maxTs = Math.max(maxTs, g.ts);
            long w = maxTs - OUT_OF_ORDERNESS - 1;
            if (rnd.nextInt(4) == 0 && w > watermark) {
                watermark = w;
                job.watermark(w);
                for (KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, RuleEvent> h : textbook) {
                    h.processWatermark(new Watermark(w));
                }
            }
        }
        job.endOfInput();
        jobAlerts.addAll(job.takeAlerts());
        job.close();

        List<String> expected = new ArrayList<>();
        for (int k = 0; k < rules.size(); k++) {
            KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, RuleEvent> h = textbook.get(k);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            Map<String, Set<Integer>> outliers = new HashMap<>();
            for (Object o : h.getOutput()) {
                if (o instanceof StreamRecord<?> rec) {
                    RuleEvent e = (RuleEvent) rec.getValue();
                    assertThat(outliers.computeIfAbsent(e.sensorId, s -> new HashSet<>()).add(e.episodeOrdinal))
                            .as("one match per outlier").isTrue();
                }
            }
            h.close();
            for (String sensor : SENSORS) {
                // In the order CEP took them: by time, at one time as they came (a stable sort of the arrivals).
                List<Gen> arrived = fed.getOrDefault(sensor, List.of());
                List<Integer> inOrder = new ArrayList<>();
                for (int i = 0; i < arrived.size(); i++) {
                    inOrder.add(i);
                }
                inOrder.sort(Comparator.comparingLong(i -> arrived.get(i).ts));
                List<Gen> rs = new ArrayList<>();
                Set<Integer> outlierPlaces = new HashSet<>();
                for (int place = 0; place < inOrder.size(); place++) {
                    rs.add(arrived.get(inOrder.get(place)));
                    if (outliers.getOrDefault(sensor, Set.of()).contains(inOrder.get(place))) {
                        outlierPlaces.add(place);
                    }
                }
                episodes(rules.get(k), sensor, rs, outlierPlaces, expected);
            }
        }
        List<String> actual = new ArrayList<>();
        for (Alert a : jobAlerts) {
            actual.add(describe(a.status, a.ruleId, a.sensorId, a.alertId, a.spanStart, a.spanEnd, a.readingTimes, a.values));
        }
        expected.sort(Comparator.naturalOrder());
        actual.sort(Comparator.naturalOrder());
        List<String> missing = new ArrayList<>(expected);
        actual.forEach(missing::remove);
        List<String> extra = new ArrayList<>(actual);
        expected.forEach(extra::remove);
        assertThat(missing).as("seed " + seed + ": alerts of the textbook the job did not emit (it emitted " + extra
                + " that the textbook did not), rules " + rules).isEmpty();
        assertThat(actual).as("seed " + seed).isEqualTo(expected);
        assertThat(expected).as("seed " + seed + ": alerts of both kinds of window, fired and resolved")
                .anyMatch(a -> a.startsWith("FIRING readings-"))
                .anyMatch(a -> a.startsWith("FIRING duration-"))
                .anyMatch(a -> a.startsWith("RESOLVED"));
    }

    private static String describe(String status, String rule, String sensor, String id, long from, long to, long[] times,
            double[] values) {
        return status + " " + rule + " " + sensor + " " + id + " [" + from + ".." + to + "] " + Arrays.toString(times) + " "
                + Arrays.toString(values);
    }

    /** Two rules with a window of readings, two with a duration, each with random k, resolution and cooldown. */
    private static List<OutlierRule> randomRules(Random rnd) {
        double[] ks = {0.5, 1, 1.5, 2, 2.5, 3};
        long[] cooldowns = {0, 0, 5 * S, 20 * S};
        List<OutlierRule> rules = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            double k = ks[rnd.nextInt(ks.length)];
            int m = 1 + rnd.nextInt(4);
            Duration cooldown = Duration.ofMillis(cooldowns[rnd.nextInt(cooldowns.length)]);
            if (i < 2) {
                int n = 2 + rnd.nextInt(9); // min_readings min(N, 10) = N
                rules.add(OutlierRule.ofReadings("readings-" + i, Severity.WARNING, Metric.TEMPERATURE, k, n)
                        .with(n, m, cooldown, SensorScope.ALL));
            } else {
                Duration d = Duration.ofSeconds(2 + rnd.nextInt(9));
                rules.add(OutlierRule.ofDuration("duration-" + i, Severity.WARNING, Metric.TEMPERATURE, k, d)
                        .with(2 + rnd.nextInt(4), m, cooldown, SensorScope.ALL));
            }
        }
        return rules;
    }

    /**
     * Three sensors, a reading about every second for 5 minutes, in tenths; calm stretches, flat ones,
     * spikes, values from a few so that a value lands on k * sd; some without a temperature, some at
     * one time with another seq, gaps, and the whole fleet quiet for 40 s; sent out of order (up to
     * the out-of-orderness, some further: late), some twice.
     */
    private static List<Gen> randomStream(Random rnd) {
        List<long[]> order = new ArrayList<>(); // {emitAt, index}
        List<Gen> readings = new ArrayList<>();
        for (String sensor : SENSORS) {
            long t = 250 * rnd.nextInt(4);
            long seq = 0;
            double level = 20;
            int mode = 0; // 0 noisy, 1 flat, 2 few values
            while (t < 300 * S) {
                if (t >= 120 * S && t < 160 * S) {
                    t = 160 * S + 250 * rnd.nextInt(3); // the whole fleet quiet
                }
                if (rnd.nextInt(25) == 0) {
                    mode = rnd.nextInt(3);
                }
                double v = switch (mode) {
                    case 1 -> level;
                    case 2 -> 20 + rnd.nextInt(3);
                    default -> level + Math.round(rnd.nextGaussian() * 10) / 10.0;
                };
                if (rnd.nextInt(15) == 0) {
                    v += (rnd.nextBoolean() ? 1 : -1) * (5 + rnd.nextInt(30)); // a spike
                }
                if (rnd.nextInt(40) == 0) {
                    level = 15 + rnd.nextInt(15);
                }
                v = Math.round(v * 10) / 10.0;
                boolean withTemperature = rnd.nextInt(12) != 0;
                Gen g = new Gen(sensor, T0 + t, seq++, withTemperature ? v : Double.NaN, withTemperature ? Double.NaN : 50);
                long emitAt = t;
                int disorder = rnd.nextInt(10);
                if (disorder == 0) {
                    emitAt += rnd.nextInt((int) OUT_OF_ORDERNESS);
                } else if (disorder == 1 && rnd.nextInt(5) == 0) {
                    emitAt += OUT_OF_ORDERNESS + rnd.nextInt(10_000); // likely late
                }
                order.add(new long[] {emitAt, readings.size()});
                readings.add(g);
                if (rnd.nextInt(20) == 0) { // an exact repeat, shortly after
                    order.add(new long[] {emitAt + rnd.nextInt(2_000), readings.size()});
                    readings.add(g);
                }
                if (rnd.nextInt(15) == 0) { // another reading at the same time
                    order.add(new long[] {emitAt + rnd.nextInt(300), readings.size()});
                    readings.add(new Gen(sensor, g.ts, seq++, rnd.nextBoolean() ? v : v + 3, Double.NaN));
                }
                // steps of 250 ms, so that a reading is often exactly D after another (a window's edge)
                t += 250 * (rnd.nextInt(30) == 0 ? 20 + rnd.nextInt(80) : 2 + rnd.nextInt(5));
            }
        }
        order.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        List<Gen> stream = new ArrayList<>();
        order.forEach(a -> stream.add(readings.get((int) a[1])));
        return stream;
    }

    /**
     * The episodes of one rule on one sensor, from its readings (in the order the rules take them)
     * and which of them are outliers: a FIRE at an outlier whose previous reading is none, a CLEAR at
     * the M-th reading in a row that is none after one that is; in event-time order, at one time the
     * CLEARs first; a FIRE opens an episode when none is open and the cooldown since the last
     * RESOLVED is over, a CLEAR closes the open one.
     */
    private static void episodes(OutlierRule rule, String sensor, List<Gen> rs, Set<Integer> outliers, List<String> out) {
        record Event(long ts, boolean clear, int index) {}
        List<Event> events = new ArrayList<>();
        int m = rule.resolveReadings();
        for (int i = 0; i < rs.size(); i++) {
            if (outliers.contains(i) && (i == 0 || !outliers.contains(i - 1))) {
                events.add(new Event(rs.get(i).ts, false, i));
            }
            if (i >= m && outliers.contains(i - m)) {
                boolean back = true;
                for (int j = i - m + 1; j <= i; j++) {
                    back &= !outliers.contains(j);
                }
                if (back) {
                    events.add(new Event(rs.get(i).ts, true, i));
                }
            }
        }
        events.sort(Comparator.comparingLong(Event::ts).thenComparing(e -> !e.clear).thenComparingInt(Event::index));
        Gen open = null;
        Long resolvedAt = null;
        long lastStart = Long.MIN_VALUE;
        int ordinal = 0;
        String openId = null;
        for (Event e : events) {
            Gen g = rs.get(e.index);
            if (e.clear) {
                if (open != null && g.ts > open.ts) {
                    out.add(describe(Alert.RESOLVED, rule.id(), sensor, openId, open.ts, g.ts, new long[] {open.ts, g.ts},
                            new double[] {open.temperature, g.temperature}));
                    open = null;
                    resolvedAt = g.ts;
                }
                continue;
            }
            ordinal = g.ts == lastStart ? ordinal + 1 : 0; // every first outlier counts, as episodes that may start
            lastStart = g.ts;
            if (open == null && (resolvedAt == null || g.ts >= resolvedAt + rule.cooldown().toMillis())) {
                open = g;
                openId = AlertIds.of(rule.id(), sensor, g.ts, ordinal).toString();
                out.add(describe(Alert.FIRING, rule.id(), sensor, openId, g.ts, g.ts, new long[] {g.ts},
                        new double[] {g.temperature}));
            }
        }
    }

    // ---- the textbook patterns ----

    static Pattern<RuleEvent, RuleEvent> textbookPattern(OutlierRule rule) {
        if (rule.byReadings()) {
            return Pattern.<RuleEvent>begin("window", AfterMatchSkipStrategy.noSkip())
                    .where(new IsReading())
                    .times(rule.windowReadings()).consecutive()
                    .next("r").where(new OutlierOverWindow(rule.k(), rule.minReadings(), 0));
        }
        long d = rule.windowDuration().toMillis();
        return Pattern.<RuleEvent>begin("before", AfterMatchSkipStrategy.noSkip())
                .next("window").where(new WithinSpan(d)).oneOrMore().consecutive()
                .next("r").where(new OutlierOverWindow(rule.k(), rule.minReadings(), d));
    }

    /** Not the marker that starts each sensor's stream. */
    static final class IsReading extends IterativeCondition<RuleEvent> {
        @Override
        public boolean filter(RuleEvent e, Context<RuleEvent> ctx) {
            return e.episodeOrdinal >= 0;
        }
    }

    /** A reading at most {@code d} after the first of the window so far (a window [r - D, r) plus readings at r's time spans at most D). */
    static final class WithinSpan extends IterativeCondition<RuleEvent> {
        private final long d;

        WithinSpan(long d) {
            this.d = d;
        }

        @Override
        public boolean filter(RuleEvent e, Context<RuleEvent> ctx) throws Exception {
            if (e.episodeOrdinal < 0) {
                return false;
            }
            for (RuleEvent first : ctx.getEventsForPattern("window")) {
                return e.timestamp - first.timestamp <= d;
            }
            return true;
        }
    }

    /**
     * The rule's condition over the match: for a window of readings, the events of "window"; for a
     * duration, those of "window" before r's time, provided that "before" is before r - D and
     * "window" starts at or after it (else another match has the window). Mean and sample
     * standard deviation in doubles, oldest first.
     */
    static final class OutlierOverWindow extends IterativeCondition<RuleEvent> {
        private final double k;
        private final int min;
        private final long d;

        OutlierOverWindow(double k, int min, long d) {
            this.k = k;
            this.min = min;
            this.d = d;
        }

        @Override
        public boolean filter(RuleEvent r, Context<RuleEvent> ctx) throws Exception {
            if (r.episodeOrdinal < 0) {
                return false;
            }
            List<Double> window = new ArrayList<>();
            boolean first = true;
            for (RuleEvent e : ctx.getEventsForPattern("window")) {
                if (d > 0 && first && e.timestamp < r.timestamp - d) {
                    return false;
                }
                first = false;
                if (d == 0 || e.timestamp < r.timestamp) {
                    window.add(e.value);
                }
            }
            if (d > 0) {
                for (RuleEvent before : ctx.getEventsForPattern("before")) {
                    if (before.timestamp >= r.timestamp - d) {
                        return false;
                    }
                }
            }
            int n = window.size();
            if (n < min) {
                return false;
            }
            double sum = 0;
            for (double v : window) {
                sum += v;
            }
            double mean = sum / n;
            double squares = 0;
            for (double v : window) {
                squares += (v - mean) * (v - mean);
            }
            double sd = Math.sqrt(squares / (n - 1));
            return sd > 0 && Math.abs(r.value - mean) > k * sd;
        }
    }

    /** The outlier of each match. */
    static final class TheOutlier extends PatternProcessFunction<RuleEvent, RuleEvent> {
        @Override
        public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<RuleEvent> out) {
            out.collect(match.get("r").get(0));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, RuleEvent> cep(Pattern<RuleEvent, RuleEvent> p)
            throws Exception {
        CepOperator<RuleEvent, String, RuleEvent> op = new CepOperator<>(
                TypeInformation.of(RuleEvent.class).createSerializer(new SerializerConfigImpl()), false,
                NFACompiler.compileFactory(p, false), null, p.getAfterMatchSkipStrategy(), new TheOutlier(), null);
        return new KeyedOneInputStreamOperatorTestHarness<>(op, e -> e.sensorId, Types.STRING);
    }
}
