package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.alerts.DifferentialStreams.Step;
import io.sensorflow.job.alerts.RuleDifferentialTest.OutlierTextbook;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.Metric;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job's outlier path on dense streams, beside {@code RuleDifferentialTest}'s outlier case (a
 * reading about every 10 s): a reading every 0.5 to 1.5 s for 5 minutes, in steps of 250 ms so that
 * a reading is often exactly {@code D} after another (a duration window's edge), windows of 2 to 10
 * s, values in tenths from a few so that one lands on {@code k * sd}, flat stretches (sd 0) and
 * spikes, readings without the metric, repeats, readings at one time, late ones, the whole fleet
 * quiet for 40 s. The reference is the same: {@link OutlierTextbook}'s patterns over every reading,
 * through the job's {@link AlertLifecycle} ({@link TextbookReference}); the job's path is
 * {@link DifferentialStreams#throughTheJob}, with a failure and restore in the middle. Both must
 * give the same alerts, id for id.
 */
class OutlierDifferentialTest {

    static final long S = 1_000L;
    static final long T0 = 1_800_000_000_000L;
    static final long OUT_OF_ORDERNESS = 3 * S;
    static final String[] SENSORS = {"a", "b", "c"};

    /** A reading as generated: its sensor, time, seq and temperature (NaN: none). */
    record Gen(String sensor, long ts, long seq, double temperature) {}

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25})
    void theJobsPathGivesTheAlertsOfTheTextbookPatternAppliedToEveryReading(long seed) throws Exception {
        Random rnd = new Random(seed);
        List<OutlierRule> rules = randomRules(rnd);
        List<Step> steps = steps(randomStream(rnd), rnd);
        List<Rule> asRules = new ArrayList<>(rules);
        List<Alert> expected = new ArrayList<>();
        for (OutlierRule rule : rules) {
            expected.addAll(TextbookReference.alerts(new OutlierTextbook(rule), DifferentialStreams.inRuleOrder(steps)));
        }
        SortedSet<Integer> restores = new TreeSet<>(List.of(steps.size() / 2));
        List<Alert> actual = DifferentialStreams.throughTheJob(asRules, steps, restores);
        Map<String, List<String>> want = RuleDifferentialTest.byRuleAndSensor(expected);
        Map<String, List<String>> got = RuleDifferentialTest.byRuleAndSensor(actual);
        assertThat(got).as("seed %d, rules %s; first differences:%n%s", seed, rules,
                RuleDifferentialTest.differences(want, got)).isEqualTo(want);
        assertThat(expected).as("seed " + seed + ": alerts of both kinds of window, fired and resolved")
                .anyMatch(a -> a.status.equals(Alert.FIRING) && a.ruleId.startsWith("readings-"))
                .anyMatch(a -> a.status.equals(Alert.FIRING) && a.ruleId.startsWith("duration-"))
                .anyMatch(a -> a.status.equals(Alert.RESOLVED));
    }

    /**
     * The readings in the order they arrive, a watermark (the latest time seen less the
     * out-of-orderness) after about one in four, the readings at or behind the watermark left out
     * (late for the rules: the job's check upstream keeps them from the rules, and the definition says so).
     */
    private static List<Step> steps(List<Gen> stream, Random rnd) {
        List<Step> steps = new ArrayList<>();
        long maxTs = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        for (Gen g : stream) {
            if (g.ts > watermark) {
                Reading r = new Reading();
                r.sensorId = g.sensor;
                r.eventTime = g.ts;
                r.seq = g.seq;
                r.temperature = g.temperature;
                r.humidity = 50; // a reading without the temperature still has a metric
                steps.add(new Step(r, 0));
            }
            maxTs = Math.max(maxTs, g.ts);
            long w = maxTs - OUT_OF_ORDERNESS - 1;
            if (rnd.nextInt(4) == 0 && w > watermark) {
                watermark = w;
                steps.add(new Step(null, w));
            }
        }
        return steps;
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
                int n = 2 + rnd.nextInt(9);
                rules.add(OutlierRule.ofReadings("readings-" + i, Severity.WARNING, Metric.TEMPERATURE, k, n)
                        .with(2 + rnd.nextInt(n - 1), m, cooldown, SensorScope.ALL));
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
                Gen g = new Gen(sensor, T0 + t, seq++, withTemperature ? v : Double.NaN);
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
                    readings.add(new Gen(sensor, g.ts, seq++, rnd.nextBoolean() ? v : v + 3));
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
}
