package io.sensorflow.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.alert.AlertIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming {@link AlertOracle} against a plain reading of the rules' definitions over the
 * whole stream at once (quadratic, no state machines), on random streams full of what makes
 * alerts hard: readings out of order, behind the watermark and too late, duplicates, readings
 * without the metric, values at the thresholds, and silences.
 */
class AlertOracleReferenceTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final int SENSORS = 4;
    private static final OracleParameters P = new OracleParameters(10_000, 2_000, 500, 3_000);
    private static final List<Rule> RULES = List.of(
            new SilenceRule("quiet", Severity.WARNING, "", Duration.ofMillis(2_500)),
            new SequenceRule("hot", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 70, 3,
                    Duration.ofSeconds(4)),
            new SequenceRule("close", Severity.WARNING, "", Metric.DISTANCE_CM, false, 10, 2,
                    Duration.ofMillis(1_500), 1, Duration.ofSeconds(2)),
            new RiseRule("rise", Severity.WARNING, "", Metric.TEMPERATURE, 5, Duration.ofSeconds(5)),
            new RiseRule("rise-cooling", Severity.INFO, "", Metric.TEMPERATURE, 3, Duration.ofSeconds(3),
                    2, Duration.ofSeconds(4)),
            StuckRule.ofReadings("stuck", Severity.WARNING, Metric.TEMPERATURE, 3),
            new StuckRule("frozen", Severity.INFO, "", Metric.DISTANCE_CM, 0, Duration.ofMillis(800), Duration.ofSeconds(2),
                    SensorScope.ALL),
            new SilenceRule("quiet-some", Severity.INFO, "", Duration.ofMillis(1_500), SensorScope.ids(List.of("sensor-01",
                    "sensor-03"))),
            new SequenceRule("hot-some", Severity.CRITICAL, "", Metric.TEMPERATURE, true, 65, 2, Duration.ofSeconds(2), 2,
                    Duration.ZERO, SensorScope.matching("sensor-0[23]")),
            new StuckRule("stuck-some", Severity.INFO, "", Metric.TEMPERATURE, 2, null, Duration.ZERO,
                    SensorScope.matching(".*4")),
            OutlierRule.ofReadings("spike", Severity.WARNING, Metric.TEMPERATURE, 1.5, 4)
                    .with(3, 2, Duration.ofSeconds(2), SensorScope.ALL),
            OutlierRule.ofDuration("spike-timed", Severity.INFO, Metric.DISTANCE_CM, 1, Duration.ofMillis(1_500))
                    .with(2, 1, Duration.ZERO, SensorScope.matching("sensor-0[12]")));

    private final SensorIds ids = new SensorIds(SENSORS, "sensor-", 2);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void theStreamingOracleAgreesWithTheDefinitions(long seed) {
        List<MessageFacts> stream = randomStream(new Random(seed));
        OutcomeOracle oracle = new OutcomeOracle(P, ids, new RuleSet("test", RULES));
        int midway = stream.size() / 2;
        long total = 0;
        for (int i = 0; i < stream.size(); i++) {
            MessageFacts f = stream.get(i);
            byte[] payload = f.toString().getBytes();
            oracle.onMessage(f, ids.key(f.sensor()), payload, payload.length);
            if (i == midway) {
                long reached = oracle.watermark() + 3_000;
                assertThat(oracle.outcome(reached).alerts()).as("midway, seed " + seed)
                        .isEqualTo(reference(stream.subList(0, i + 1), reached));
            }
        }
        for (long reached : new long[] {oracle.watermark(), oracle.watermark() + 2_500, Long.MAX_VALUE}) {
            List<ExpectedAlert> expected = reference(stream, reached);
            assertThat(oracle.outcome(reached).alerts()).as("seed " + seed + ", reached " + reached).isEqualTo(expected);
            total += expected.size();
        }
        assertThat(total).as("the stream should give alerts of every kind").isGreaterThan(10);
        assertThat(oracle.outcome(Long.MAX_VALUE).alerts()).as("seed " + seed).extracting(ExpectedAlert::ruleId)
                .contains("stuck", "frozen", "quiet-some", "hot-some", "stuck-some", "spike", "spike-timed")
                .filteredOn(r -> r.endsWith("-some")).hasSizeGreaterThan(0);
    }

    /** Readings of 4 sensors about every 350 ms over 2 minutes, emitted with every kind of disorder. */
    private static List<MessageFacts> randomStream(Random rnd) {
        List<long[]> timed = new ArrayList<>(); // {emitAt, index}
        List<MessageFacts> readings = new ArrayList<>();
        double[] temps = {20, 60, 65, 69.9, 70, 70.1, 75, 80};
        int[] distances = {50, 95, 99, 100, 101, 1500};
        for (int s = 0; s < SENSORS; s++) {
            long t = rnd.nextInt(1_000);
            long seq = 0;
            boolean withSeq = s != 3;          // sensor 4 has no seq: its identity is the event time
            while (t < 120_000) {
                MessageFacts f = new MessageFacts().reading(s, T0 + t, withSeq ? seq : MessageFacts.NO_SEQ);
                if (rnd.nextInt(5) > 0) {
                    f.value(Measurement.TEMPERATURE, (int) Math.round(temps[rnd.nextInt(temps.length)] * 10));
                }
                if (rnd.nextInt(3) > 0) {
                    f.value(Measurement.DISTANCE_CM, distances[rnd.nextInt(distances.length)]);
                }
                if (!f.has(Measurement.TEMPERATURE) && !f.has(Measurement.DISTANCE_CM)) {
                    f.value(Measurement.HUMIDITY, 500);
                }
                if (rnd.nextInt(40) == 0) {
                    f.reject(ExpectedRejectReason.OUT_OF_RANGE);
                }
                long emitAt = t;
                int disorder = rnd.nextInt(20);
                if (disorder == 0) {
                    emitAt += 500 + rnd.nextInt(2_000);     // out of order, maybe behind the watermark
                } else if (disorder == 1) {
                    emitAt += 5_000 + rnd.nextInt(15_000);  // far behind: ignored or too late
                }
                timed.add(new long[] {emitAt, readings.size()});
                readings.add(f);
                if (rnd.nextInt(15) == 0) {                 // a duplicate, shortly after
                    timed.add(new long[] {emitAt + rnd.nextInt(3_000), readings.size()});
                    readings.add(f.copy());
                }
                if (rnd.nextInt(10) == 0 && withSeq) {      // another reading at the same time
                    MessageFacts same = f.copy();
                    same.reading(s, T0 + t, ++seq).value(Measurement.TEMPERATURE, 800);
                    timed.add(new long[] {emitAt + rnd.nextInt(300), readings.size()});
                    readings.add(same);
                }
                seq++;
                // steps of 100 ms, so that gaps often equal a rule's duration exactly
                t += 100 * (rnd.nextInt(30) == 0 ? 20 + rnd.nextInt(40) : 1 + rnd.nextInt(6));
            }
        }
        timed.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        List<MessageFacts> stream = new ArrayList<>();
        timed.forEach(a -> stream.add(readings.get((int) a[1])));
        return stream;
    }

    // ---- the definitions, read plainly ----

    private record R(int sensor, long ts, long identity, MessageFacts facts) {}

    private List<ExpectedAlert> reference(List<MessageFacts> stream, long eventTimeReached) {
        List<R> eligible = new ArrayList<>();
        Set<List<Long>> seen = new HashSet<>();
        long maxTs = Long.MIN_VALUE;
        long w = Long.MIN_VALUE;
        for (MessageFacts f : stream) {
            if (!f.isValid()) {
                continue;
            }
            long ts = f.eventTime();
            long windowEnd = Math.floorDiv(ts, P.windowSizeMs()) * P.windowSizeMs() + P.windowSizeMs();
            if (windowEnd - 1 + P.allowedLatenessMs() <= w) {
                continue; // too late even for aggregates
            }
            long identity = f.hasSeq() ? f.seq() : ts;
            if (ts > w && seen.add(List.of((long) f.sensor(), ts, identity, f.hasSeq() ? 1L : 0L))) {
                eligible.add(new R(f.sensor(), ts, identity, f));
            }
            maxTs = Math.max(maxTs, ts);
            w = Math.floorDiv(maxTs - P.outOfOrdernessMs(), P.watermarkGranularityMs()) * P.watermarkGranularityMs() - 1;
        }
        List<ExpectedAlert> out = new ArrayList<>();
        for (int s = 0; s < SENSORS; s++) {
            final int sensor = s;
            List<R> rs = new ArrayList<>(eligible.stream().filter(r -> r.sensor == sensor).toList());
            rs.sort(Comparator.comparingLong(R::ts).thenComparingLong(R::identity));
            for (Rule rule : RULES) {
                if (!rule.scope().includes(ids.id(s))) {
                    continue;
                }
                if (rule instanceof SilenceRule q) {
                    silence(q, ids.id(s), rs, eventTimeReached, out);
                } else if (rule instanceof SequenceRule q) {
                    sequence(q, ids.id(s), withMetric(rs, q.metric()), out);
                } else if (rule instanceof StuckRule q) {
                    stuck(q, ids.id(s), withMetric(rs, q.metric()), out);
                } else if (rule instanceof OutlierRule q) {
                    outlier(q, ids.id(s), withMetric(rs, q.metric()), out);
                } else {
                    rise((RiseRule) rule, ids.id(s), withMetric(rs, ((RiseRule) rule).metric()), out);
                }
            }
        }
        out.sort(AlertOracle.ORDER);
        return out;
    }

    private static List<R> withMetric(List<R> rs, Metric m) {
        Measurement metric = Measurement.fromField(m.fieldName());
        return rs.stream().filter(r -> r.facts.has(metric)).toList();
    }

    private static double value(R r, Metric m) {
        return r.facts.value(Measurement.fromField(m.fieldName())) / 10.0;
    }

    private static void silence(SilenceRule q, String sensor, List<R> rs, long reached, List<ExpectedAlert> out) {
        long d = q.after().toMillis();
        for (int i = 0; i + 1 < rs.size(); i++) {
            long a = rs.get(i).ts;
            long b = rs.get(i + 1).ts;
            if (b - a > d) {
                String id = AlertIds.of(q.id(), sensor, a).toString();
                out.add(new ExpectedAlert(id, q.id(), sensor, "FIRING", a, a + d, List.of(a), Arrays.asList((Double) null)));
                out.add(new ExpectedAlert(id, q.id(), sensor, "RESOLVED", a, b, List.of(a, b), Arrays.asList(null, null)));
            }
        }
        if (!rs.isEmpty()) {
            long z = rs.get(rs.size() - 1).ts;
            if (reached >= z + d) {
                out.add(new ExpectedAlert(AlertIds.of(q.id(), sensor, z).toString(), q.id(), sensor, "FIRING", z, z + d,
                        List.of(z), Arrays.asList((Double) null)));
            }
        }
    }

    /** Matches: every N extremes in a row within D; the rule is met by extreme readings. */
    private static void sequence(SequenceRule q, String sensor, List<R> rs, List<ExpectedAlert> out) {
        int n = q.count();
        List<ExpectedAlert> matches = new ArrayList<>();
        boolean[] met = new boolean[rs.size()];
        for (int j = 0; j < rs.size(); j++) {
            met[j] = q.isExtreme(value(rs.get(j), q.metric()));
        }
        int i = 0;
        while (i < rs.size()) {
            if (!met[i]) {
                i++;
                continue;
            }
            int end = i;
            while (end < rs.size() && met[end]) {
                end++;
            }
            for (int j = i + n - 1; j < end; j++) {
                if (rs.get(j).ts - rs.get(j - n + 1).ts < q.within().toMillis()) {
                    List<R> window = rs.subList(j - n + 1, j + 1);
                    matches.add(new ExpectedAlert(AlertIds.of(q.id(), sensor, rs.get(i).ts).toString(), q.id(), sensor,
                            "FIRING", window.get(0).ts, rs.get(j).ts, window.stream().map(R::ts).toList(),
                            window.stream().map(r -> value(r, q.metric())).toList()));
                }
            }
            i = end;
        }
        episodes(q, sensor, rs, met, matches, out);
    }

    /**
     * The episodes' life over the whole list: resolutions at the M-th reading in a row that does not
     * meet the rule after one that does; matches and resolutions in event-time order, resolutions
     * first at one time; a match opens an episode when none is open and the last RESOLVED is at
     * least the cooldown before it, a resolution closes the open one.
     */
    private static void episodes(EpisodeRule q, String sensor, List<R> rs, boolean[] met, List<ExpectedAlert> matches,
            List<ExpectedAlert> out) {
        int m = q.resolveReadings();
        List<R> resolutions = new ArrayList<>();
        for (int j = m; j < rs.size(); j++) {
            boolean back = met[j - m];
            for (int k = j - m + 1; k <= j && back; k++) {
                back = !met[k];
            }
            if (back) {
                resolutions.add(rs.get(j));
            }
        }
        ExpectedAlert open = null;
        Long resolvedAt = null;
        int a = 0;
        int b = 0;
        while (a < matches.size() || b < resolutions.size()) {
            if (b < resolutions.size() && (a == matches.size() || resolutions.get(b).ts <= matches.get(a).spanEndMs())) {
                R r = resolutions.get(b++);
                if (open != null) {
                    List<Long> times = new ArrayList<>(open.readingTimes());
                    times.add(r.ts);
                    List<Double> values = new ArrayList<>(open.values());
                    values.add(value(r, q.metric()));
                    out.add(new ExpectedAlert(open.alertId(), q.id(), sensor, "RESOLVED", open.spanStartMs(), r.ts, times, values));
                    open = null;
                    resolvedAt = r.ts;
                }
            } else {
                ExpectedAlert f = matches.get(a++);
                if (open == null && (resolvedAt == null || f.spanEndMs() >= resolvedAt + q.cooldown().toMillis())) {
                    out.add(f);
                    open = f;
                }
            }
        }
    }

    /** Matches: every rising reading; the rule is met by rising readings. */
    private static void rise(RiseRule q, String sensor, List<R> rs, List<ExpectedAlert> out) {
        List<ExpectedAlert> matches = new ArrayList<>();
        boolean[] met = new boolean[rs.size()];
        for (int i = 0; i < rs.size(); i++) {
            R b = rs.get(i);
            R low = null;
            for (int k = 0; k < i; k++) {
                R a = rs.get(k);
                if (b.ts - a.ts < q.within().toMillis()
                        && (low == null || value(a, q.metric()) <= value(low, q.metric()))) {
                    low = a; // <=: the latest of equal lows
                }
            }
            boolean rises = low != null && value(b, q.metric()) - value(low, q.metric()) >= q.by();
            if (rises) {
                matches.add(new ExpectedAlert(AlertIds.of(q.id(), sensor, b.ts).toString(), q.id(), sensor, "FIRING",
                        low.ts, b.ts, List.of(low.ts, b.ts), List.of(value(low, q.metric()), value(b, q.metric()))));
            }
            met[i] = rises;
        }
        episodes(q, sensor, rs, met, matches, out);
    }

    /**
     * Matches: of each run of equal values (s its first reading), every reading from the N-th, or
     * every one at least D after s; the rule is met by readings equal to the one before. Ids count the runs that
     * start at one time.
     */
    private static void stuck(StuckRule q, String sensor, List<R> rs, List<ExpectedAlert> out) {
        List<ExpectedAlert> matches = new ArrayList<>();
        boolean[] met = new boolean[rs.size()];
        for (int j = 1; j < rs.size(); j++) {
            met[j] = value(rs.get(j), q.metric()) == value(rs.get(j - 1), q.metric());
        }
        long lastStart = Long.MIN_VALUE;
        int ordinal = 0;
        int i = 0;
        while (i < rs.size()) {
            int end = i + 1;
            while (end < rs.size() && met[end]) {
                end++;
            }
            ordinal = rs.get(i).ts == lastStart ? ordinal + 1 : 0;
            lastStart = rs.get(i).ts;
            for (int j = i + 1; j < end; j++) {
                if (q.byReadings() ? j - i + 1 >= q.readings() : rs.get(j).ts - rs.get(i).ts >= q.forDuration().toMillis()) {
                    matches.add(new ExpectedAlert(AlertIds.of(q.id(), sensor, rs.get(i).ts, ordinal).toString(), q.id(), sensor,
                            "FIRING", rs.get(i).ts, rs.get(j).ts, List.of(rs.get(i).ts, rs.get(j).ts),
                            List.of(value(rs.get(i), q.metric()), value(rs.get(j), q.metric()))));
                }
            }
            i = end;
        }
        episodes(q, sensor, rs, met, matches, out);
    }

    /**
     * Matches: every outlier, the window of reading i being the N readings before it, or of the
     * 1000 before it those in [ts - D, ts); the rule is met by outliers. Only the first match of a
     * time can open an episode, so its time names it.
     */
    private static void outlier(OutlierRule q, String sensor, List<R> rs, List<ExpectedAlert> out) {
        List<ExpectedAlert> matches = new ArrayList<>();
        boolean[] met = new boolean[rs.size()];
        for (int i = 0; i < rs.size(); i++) {
            long ts = rs.get(i).ts;
            List<Double> window = new ArrayList<>();
            for (int j = Math.max(0, i - (q.byReadings() ? q.windowReadings() : 1000)); j < i; j++) {
                if (q.byReadings() || rs.get(j).ts >= ts - q.windowDuration().toMillis() && rs.get(j).ts < ts) {
                    window.add(value(rs.get(j), q.metric()));
                }
            }
            int n = window.size();
            if (n >= q.minReadings()) {
                double mean = window.stream().reduce(0.0, Double::sum) / n;
                double sd = Math.sqrt(window.stream().map(v -> (v - mean) * (v - mean)).reduce(0.0, Double::sum) / (n - 1));
                met[i] = sd > 0 && Math.abs(value(rs.get(i), q.metric()) - mean) > q.k() * sd;
            }
            if (met[i]) {
                matches.add(new ExpectedAlert(AlertIds.of(q.id(), sensor, ts).toString(), q.id(), sensor, "FIRING",
                        ts, ts, List.of(ts), List.of(value(rs.get(i), q.metric()))));
            }
        }
        episodes(q, sensor, rs, met, matches, out);
    }
}
