package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.alerts.DifferentialStreams.Step;
import io.sensorflow.job.alerts.TextbookReference.Textbook;
import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Late;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.StuckRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code late: evaluate} held to its definition: over random streams whose sensors go offline and
 * send their queue oldest first when back, and whose readings now and then come late on their own
 * (so older than what their sensor already gave), a rule that evaluates late readings must give,
 * through the job's operators (with failures and restores), the textbook pattern's alerts over the
 * readings it is given (those on time, and each late one newer than all its sensor gave the rules
 * before it), the alerts whose deciding reading was late marked so with its delay; its twin that
 * skips late readings, the textbook's alerts over the readings on time.
 *
 * <p>A reading is late when at or behind its partition's clock (the latest time seen less the
 * out-of-orderness, as the batching operator judges), which runs ahead of the watermarks the
 * operators get (a step now and then): so a late reading can find readings of its sensor still held.
 * Every kind that takes {@code late}: sequence, rise, stuck and outlier.
 */
class LateDifferentialTest {

    static final long S = DifferentialStreams.S;
    static final int RULE_SETS = 12;
    static final int STREAMS_PER_RULE_SET = 6;

    @ParameterizedTest
    @ValueSource(strings = {"sequence", "rise", "stuck", "outlier"})
    void theJobGivesTheTextbookAlertsOfTheReadingsEachRuleIsGiven(String kind) throws Exception {
        int lateAlerts = 0;
        int lateGiven = 0;
        int lateSkipped = 0;
        int lateAtOneTime = 0;
        for (long set = 1; set <= RULE_SETS; set++) {
            Random random = new Random(set * 104_729 + kind.hashCode());
            Textbook evaluating = withLate(RuleDifferentialTest.textbook(kind, "late", random), Late.EVALUATE);
            Textbook skipping = RuleDifferentialTest.textbook(kind, "skip", random);
            List<Step> steps = new ArrayList<>();
            for (int k = 0; k < STREAMS_PER_RULE_SET; k++) {
                steps.addAll(DifferentialStreams.after(steps, "x" + k + "-",
                        stream(set * 1000 + k, RuleDifferentialTest.values(kind))));
            }
            // What each rule is given, and the delay of each late reading the evaluating one takes.
            List<Step> onTime = new ArrayList<>();
            List<Step> given = new ArrayList<>();
            Map<String, Long> delays = new HashMap<>();
            Map<String, Long> newest = new HashMap<>();
            for (Step s : steps) {
                Reading r = s.reading();
                if (r == null) {
                    continue;
                }
                long before = newest.getOrDefault(r.sensorId, Long.MIN_VALUE);
                if (!r.lateForRules) {
                    onTime.add(s);
                    given.add(s);
                    newest.put(r.sensorId, Math.max(before, r.eventTime));
                } else if (r.eventTime > before) {
                    given.add(s);
                    newest.put(r.sensorId, r.eventTime);
                    delays.put(r.sensorId + "@" + r.eventTime, r.judgedBy - r.eventTime);
                    lateGiven++;
                } else {
                    lateSkipped++;
                    if (r.eventTime == before) {
                        lateAtOneTime++;
                    }
                }
            }
            List<Alert> expected = new ArrayList<>(TextbookReference.alerts(evaluating, DifferentialStreams.inRuleOrder(given)));
            expected.addAll(TextbookReference.alerts(skipping, DifferentialStreams.inRuleOrder(onTime)));
            java.util.SortedSet<Integer> restores = new java.util.TreeSet<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                restores.add(random.nextInt(steps.size()));
            }
            List<Rule> rules = List.of(evaluating.rule(), skipping.rule());
            List<Alert> actual = DifferentialStreams.throughTheJob(rules, steps, restores);
            Map<String, List<String>> want = byRuleAndSensor(expected, delays);
            Map<String, List<String>> got = byRuleAndSensor(actual, null);
            if (!got.equals(want)) {
                String differences = RuleDifferentialTest.differences(want, got);
                assertThat(got).as("%s, rule set %d, rules %s, restores at steps %s of %d; first differences:%n%s%n"
                        + "the readings (L: late, judged by) and watermarks of those sensors:%n%s", kind, set, rules,
                        restores, steps.size(), differences, RuleDifferentialTest.describe(steps, differences)).isEqualTo(want);
            }
            lateAlerts += (int) actual.stream().filter(a -> a.late).count();
        }
        // The streams do what they are for.
        assertThat(lateGiven).as("late readings evaluated").isGreaterThan(100);
        assertThat(lateSkipped).as("late readings skipped as older").isGreaterThan(20);
        assertThat(lateAtOneTime).as("of those, at the time of the sensor's newest given (a repeat or a burst)")
                .isGreaterThan(100);
        assertThat(lateAlerts).as("late alerts").isGreaterThan(10);
    }

    static Textbook withLate(Textbook t, Late late) {
        EpisodeRule rule = t.rule().withLate(late);
        if (rule instanceof SequenceRule s) {
            return new RuleDifferentialTest.SequenceTextbook(s);
        }
        if (rule instanceof RiseRule r) {
            return new RuleDifferentialTest.RiseTextbook(r);
        }
        if (rule instanceof OutlierRule o) {
            return new RuleDifferentialTest.OutlierTextbook(o);
        }
        return new RuleDifferentialTest.StuckTextbook((StuckRule) rule);
    }

    /**
     * As {@link RuleDifferentialTest#byRuleAndSensor}, each alert followed by whether it is late and by
     * how much: from the alert itself ({@code delays} null), or, for the reference, the delay of the
     * late reading that decided it (a FIRING's last, a RESOLVED's resolving one) for the rule that evaluates them.
     */
    static Map<String, List<String>> byRuleAndSensor(List<Alert> alerts, Map<String, Long> delays) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Alert a : alerts) {
            Long delay;
            if (delays == null) {
                delay = a.late ? a.detectionDelayMs : null;
            } else {
                long decided = a.status.equals(Alert.FIRING) ? a.spanEnd : a.resolvedAt;
                delay = a.ruleId.equals("late") ? delays.get(a.sensorId + "@" + decided) : null;
            }
            out.computeIfAbsent(a.ruleId + " " + a.sensorId, k -> new ArrayList<>()).add(a.status + " " + a.alertId
                    + " [" + a.spanStart / S + ".." + a.spanEnd / S + "] at " + Arrays.toString(a.readingTimes)
                    + " " + Arrays.toString(a.values) + (delay == null ? "" : " late " + delay));
        }
        return out;
    }

    /**
     * A stream of {@code values}: 2 to 6 sensors reading every 6 to 14 s, up to 5 s out of order,
     * some offline for 20 s to 3 minutes (their readings then come at the end, oldest first), some
     * readings held back 10 to 60 s on their own, now and then 2 to 4 readings at one time (late or
     * not), a few repeated; every reading in arrival order,
     * marked late when at or behind the partition's clock, with a watermark step now and then.
     */
    static List<Step> stream(long seed, DifferentialStreams.Values values) {
        Random random = new Random(seed);
        int sensors = 2 + random.nextInt(5);
        int ticks = 20 + random.nextInt(40);
        List<Reading> made = new ArrayList<>();
        List<Long> arrival = new ArrayList<>();
        long seq = 0;
        for (int s = 0; s < sensors; s++) {
            double previous = Double.NaN;
            long t = random.nextInt(10) * S;
            long offlineFrom = Long.MAX_VALUE;
            long offlineTo = Long.MIN_VALUE;
            for (int k = 0; k < ticks; k++) {
                t += (6 + random.nextInt(9)) * S;
                if (t > offlineTo && random.nextDouble() < 0.05) {
                    offlineFrom = t;
                    offlineTo = t + (20 + random.nextInt(160)) * S;
                }
                // Now and then a burst of readings at one time (a producer that stamps whole seconds).
                int atOnce = random.nextDouble() < 0.08 ? 2 + random.nextInt(3) : 1;
                long lateBy = random.nextDouble() < 0.05 ? (10 + random.nextInt(50)) * S : -1;
                for (int b = 0; b < atOnce; b++) {
                    Reading r = new Reading();
                    r.sensorId = "s" + s;
                    r.eventTime = t;
                    r.seq = seq++;
                    r.humidity = 50;
                    previous = values.next(random, previous);
                    r.temperature = previous;
                    long at;
                    if (t >= offlineFrom && t <= offlineTo) {
                        at = offlineTo + r.seq; // queued, sent oldest first at the end (a millisecond apart)
                    } else if (lateBy >= 0) {
                        at = t + lateBy + b; // late on its own
                    } else {
                        at = t + random.nextInt((int) DifferentialStreams.OUT_OF_ORDERNESS + 1);
                    }
                    made.add(r);
                    arrival.add(at);
                    if (random.nextDouble() < 0.04) {
                        made.add(DifferentialStreams.copy(r));
                        arrival.add(at + random.nextInt(3) * S);
                    }
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(arrival::get)); // stable
        List<Step> steps = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        long clock = Long.MIN_VALUE; // the partition's: the batching operator judges by it
        long watermark = Long.MIN_VALUE;
        for (int i : order) {
            Reading r = made.get(i);
            if (r.eventTime <= clock) {
                r.lateForRules = true;
                r.judgedBy = clock;
            }
            steps.add(new Step(r, 0));
            maxSeen = Math.max(maxSeen, r.eventTime);
            clock = maxSeen - DifferentialStreams.OUT_OF_ORDERNESS - 1;
            if (random.nextInt(4) == 0 && clock > watermark) {
                watermark = clock;
                steps.add(new Step(null, watermark));
            }
        }
        return steps;
    }
}
