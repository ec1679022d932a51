package io.sensorflow.job.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SensorScope;
import io.sensorflow.rules.Severity;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.alert.AlertIds;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.RulePatterns;
import io.sensorflow.rules.cep.SilenceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Silence, the slow way and the job's way, over many random streams: they must raise the same
 * alerts, at the same watermark.
 *
 * <p>The reference is the textbook pattern ({@link RulePatterns#silence}: a reading not followed by
 * another within {@code after}) fed every on-time reading of the rule's sensors, in a real
 * FlinkCEP operator, with a second textbook pattern for the end of a silence (two consecutive
 * readings more than {@code after} apart), whose matches are the alerts as the rule file defines
 * them. It runs on a doubled clock: a reading at t is stamped 2t, the watermark W is sent as
 * 2W + 1, and {@code after} is 2·after + 1. FlinkCEP times a partial match out at a timestamp
 * before it takes the events of that timestamp, so on its own clock a reading exactly
 * {@code after} later would not stop the silence ({@link #onFlinksOwnClockTheTextbookPatternCallsAGapOfExactlyAfterASilence});
 * the rules say it does. On the doubled clock every watermark falls between readings' times, and
 * a reading is late for CEP exactly when it is late for the rules (2t &lt;= 2W + 1 iff t &lt;= W).
 *
 * <p>The job's path is the job's operators ({@link AlertRulesHarness}: the selector, then each
 * rule's CEP operator of {@link RulePatterns#silenceOverQuiet}). The streams have several
 * sensors, one or two silence rules (equal or different {@code after}, the second sometimes
 * scoped), readings out of order within the out-of-orderness and some later than that (late for
 * both), exact repeats and distinct readings at one time, gaps shorter than, equal to, just over
 * and far over {@code after} on a grid that makes a watermark land on a reading plus
 * {@code after}, the whole fleet quiet while the watermark moves on (idle sources), sensors that
 * stop, a snapshot and restore of both paths in the middle, and in half of them the end of the
 * input (which is no silence).
 */
class SilenceDifferentialTest {

    static final long T0 = 1_000_000_000L; // FlinkCEP keeps the state of an event at the epoch itself
    static final long GRID = 500;
    static final int STREAMS = 400;

    @Test
    void theJobsPathRaisesTheTextbookPatternsAlertsAtTheSameWatermarkOverRandomStreams() throws Exception {
        long readings = 0;
        long textbookEvents = 0;
        long jobEvents = 0;
        long alerts = 0;
        long gapsOfExactlyAfter = 0;
        for (int seed = 0; seed < STREAMS; seed++) {
            Stream stream = Stream.random(seed);
            Counts c = compare(stream, seed);
            readings += stream.readings();
            textbookEvents += c.textbookEvents;
            jobEvents += c.jobEvents;
            alerts += c.alerts;
            gapsOfExactlyAfter += stream.gapsOfExactlyAfter;
            // Every event the job sends CEP makes an alert of some rule: CEP's work is per silence, not per reading.
            assertThat(c.jobEvents).as("seed %d: events to CEP against alerts", seed).isLessThanOrEqualTo(c.alerts);
        }
        System.out.printf("silence differential: %d streams, %,d readings, %,d alerts equal; events fed to CEP:"
                + " textbook %,d (every reading, per rule), job %,d; %,d gaps of exactly a rule's after%n",
                STREAMS, readings, alerts, textbookEvents, jobEvents, gapsOfExactlyAfter);
        assertThat(alerts).isGreaterThan(STREAMS);
        assertThat(gapsOfExactlyAfter).isPositive();
    }

    @Test
    void onFlinksOwnClockTheTextbookPatternCallsAGapOfExactlyAfterASilence() throws Exception {
        SilenceRule rule = new SilenceRule("quiet", Severity.WARNING, "", Duration.ofSeconds(5));
        // Not doubled: a reading at T0 and the next at T0 + 5 s, the watermark at T0 + 5 s.
        try (var cep = AlertRulesHarness.cepHarness(RulePatterns.silence(rule), new TextbookFiring(rule),
                RuleEvent.class, e -> e.sensorId)) {
            cep.open();
            for (long t : new long[] {T0, T0 + 5_000}) {
                cep.processElement(new StreamRecord<>(RuleEvent.of("a", t, 20, RuleEvent.NORMAL, t), t));
            }
            cep.processWatermark(new Watermark(T0 + 5_000));
            assertThat(alertsOf(cep)).as("FlinkCEP: the silence after T0 fired").hasSize(1);
        }
        try (Textbook doubled = new Textbook(List.of(rule), null)) {
            doubled.reading("a", T0);
            doubled.reading("a", T0 + 5_000);
            doubled.watermark(T0 + 5_000);
            assertThat(doubled.alerts).as("the rules: no silence").isEmpty();
            doubled.watermark(T0 + 10_000);
            assertThat(doubled.alerts).extracting(a -> a.spanStart).containsExactly(T0 + 5_000);
        }
    }

    record Counts(long textbookEvents, long jobEvents, long alerts) {}

    /** Runs both paths over {@code stream}, comparing all alerts so far after every watermark. */
    private static Counts compare(Stream stream, int seed) throws Exception {
        List<Rule> rules = new ArrayList<>(stream.rules);
        AlertRulesHarness job = new AlertRulesHarness(rules);
        Textbook textbook = new Textbook(stream.rules, null);
        List<String> jobAlerts = new ArrayList<>();
        long jobEvents = 0;
        long watermark = Long.MIN_VALUE;
        try {
            for (Step step : stream.steps) {
                if (step instanceof Arrival a) {
                    textbook.reading(a.sensor, a.time); // CEP drops it itself when it is late
                    if (a.time > watermark) { // else late: the job's batching operator keeps it from the rules
                        job.reading(a.sensor, a.time, a.value);
                    }
                } else if (step instanceof Advance w) {
                    watermark = w.watermark;
                    job.watermark(watermark);
                    textbook.watermark(watermark);
                    jobAlerts.addAll(keys(job.takeAlerts()));
                    assertSame(seed, "at watermark " + watermark, textbook.keys(), jobAlerts);
                } else if (step instanceof Restore) {
                    List<OperatorSubtaskState> jobState = job.snapshot(1);
                    jobAlerts.addAll(keys(job.takeAlerts()));
                    jobEvents += job.silenceEventsSeen;
                    job.close();
                    job = new AlertRulesHarness(rules, jobState);
                    List<OperatorSubtaskState> textbookState = textbook.snapshot();
                    List<Alert> before = textbook.alerts;
                    long fed = textbook.events;
                    textbook.close();
                    textbook = new Textbook(stream.rules, textbookState);
                    textbook.alerts.addAll(before);
                    textbook.events = fed;
                    // Restored operators start without a watermark, and the sources' first one comes
                    // again: nothing repeats. (Without it a reading late before the restore would be on
                    // time for both paths; FlinkCEP's textbook partial matches then fail on a reading
                    // at a time whose event count CEP had already pruned: "Referring to non existent event".)
                    if (watermark != Long.MIN_VALUE) {
                        job.watermark(watermark);
                        textbook.watermark(watermark);
                        jobAlerts.addAll(keys(job.takeAlerts()));
                        assertSame(seed, "after the restore", textbook.keys(), jobAlerts);
                    }
                } else {
                    job.endOfInput();
                    jobAlerts.addAll(keys(job.takeAlerts()));
                    textbook.endOfInput(watermark);
                    assertSame(seed, "at the end of the input", textbook.keys(), jobAlerts);
                }
            }
            jobEvents += job.silenceEventsSeen;
            return new Counts(textbook.events, jobEvents, jobAlerts.size());
        } finally {
            job.close();
            textbook.close();
        }
    }

    private static void assertSame(int seed, String when, List<String> textbook, List<String> job) {
        List<String> expected = new ArrayList<>(textbook);
        List<String> actual = new ArrayList<>(job);
        expected.sort(null);
        actual.sort(null);
        assertThat(actual).as("seed %d, %s: the job's alerts against the textbook pattern's", seed, when)
                .isEqualTo(expected);
    }

    /** What an alert says, bar when it was detected and its message. */
    static String key(Alert a) {
        return a.ruleId + " " + a.sensorId + " " + a.status + " id=" + a.alertId + " [" + a.spanStart + ".." + a.spanEnd
                + "] resolved=" + a.resolvedAt + " readings=" + Arrays.toString(a.readingTimes) + " kind=" + a.ruleKind
                + " " + a.severity;
    }

    static List<String> keys(List<Alert> alerts) {
        return alerts.stream().map(SilenceDifferentialTest::key).collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    static List<Alert> alertsOf(KeyedOneInputStreamOperatorTestHarness<String, ?, Alert> h) {
        List<Alert> out = new ArrayList<>();
        for (Object o; (o = h.getOutput().poll()) != null; ) {
            if (o instanceof StreamRecord<?> r) {
                out.add(((StreamRecord<Alert>) r).getValue());
            }
        }
        return out;
    }

    /**
     * The reference: per rule, the textbook silence pattern and the textbook end of a silence over
     * every reading of the rule's sensors, on the doubled clock.
     */
    static final class Textbook implements AutoCloseable {
        final List<SilenceRule> rules;
        final List<KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, Alert>> fires = new ArrayList<>();
        final List<KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, Alert>> ends = new ArrayList<>();
        final List<Alert> alerts = new ArrayList<>();
        long events;

        Textbook(List<SilenceRule> rules, List<OperatorSubtaskState> restore) throws Exception {
            this.rules = rules;
            int i = 0;
            for (SilenceRule rule : rules) {
                SilenceRule doubled = new SilenceRule(rule.id(), rule.severity(), "",
                        Duration.ofMillis(2 * rule.after().toMillis() + 1), rule.scope());
                var fire = AlertRulesHarness.cepHarness(RulePatterns.silence(doubled), new TextbookFiring(rule),
                        RuleEvent.class, e -> e.sensorId);
                var end = AlertRulesHarness.cepHarness(gapLongerThan(rule.after().toMillis()), new TextbookResolved(rule),
                        RuleEvent.class, e -> e.sensorId);
                if (restore != null) {
                    fire.initializeState(restore.get(i++));
                    end.initializeState(restore.get(i++));
                }
                fire.open();
                end.open();
                fires.add(fire);
                ends.add(end);
            }
        }

        /** Two consecutive readings more than {@code after} apart, on the readings' own times. */
        static Pattern<RuleEvent, RuleEvent> gapLongerThan(long after) {
            return Pattern.<RuleEvent>begin("last", AfterMatchSkipStrategy.noSkip())
                    .next("back")
                    .where(new IterativeCondition<>() {
                        @Override
                        public boolean filter(RuleEvent back, Context<RuleEvent> ctx) throws Exception {
                            RuleEvent last = ctx.getEventsForPattern("last").iterator().next();
                            return back.timestamp - last.timestamp > after;
                        }
                    });
        }

        void reading(String sensor, long time) throws Exception {
            for (int k = 0; k < rules.size(); k++) {
                if (rules.get(k).scope().includes(sensor)) { // a rule sees only its sensors' readings
                    events++;
                    fires.get(k).processElement(new StreamRecord<>(RuleEvent.of(sensor, time, 20, RuleEvent.NORMAL, time),
                            2 * time));
                    ends.get(k).processElement(new StreamRecord<>(RuleEvent.of(sensor, time, 20, RuleEvent.NORMAL, time),
                            2 * time));
                }
            }
        }

        void watermark(long w) throws Exception {
            for (int k = 0; k < rules.size(); k++) {
                fires.get(k).processWatermark(new Watermark(2 * w + 1));
                ends.get(k).processWatermark(new Watermark(2 * w + 1));
                alerts.addAll(alertsOf(fires.get(k)));
                alerts.addAll(alertsOf(ends.get(k)));
            }
        }

        /**
         * The end of the input, the last watermark being {@code last}: the readings still buffered
         * are taken, but time does not pass. FlinkCEP's final watermark times every partial match
         * out, so a FIRING the end alone made (one after {@code last}, with no reading after it) is
         * no alert of the rules.
         */
        void endOfInput(long last) throws Exception {
            List<Alert> atTheEnd = new ArrayList<>();
            for (int k = 0; k < rules.size(); k++) {
                fires.get(k).processWatermark(new Watermark(Long.MAX_VALUE));
                ends.get(k).processWatermark(new Watermark(Long.MAX_VALUE));
                atTheEnd.addAll(alertsOf(fires.get(k)));
                atTheEnd.addAll(alertsOf(ends.get(k)));
            }
            Set<String> resolved = atTheEnd.stream().filter(a -> a.status.equals(Alert.RESOLVED)).map(a -> a.alertId)
                    .collect(Collectors.toCollection(HashSet::new));
            for (Alert a : atTheEnd) {
                if (a.status.equals(Alert.RESOLVED) || a.spanEnd <= last || resolved.contains(a.alertId)) {
                    alerts.add(a);
                }
            }
        }

        List<String> keys() {
            return SilenceDifferentialTest.keys(alerts);
        }

        List<OperatorSubtaskState> snapshot() throws Exception {
            List<OperatorSubtaskState> states = new ArrayList<>();
            for (int k = 0; k < rules.size(); k++) {
                states.add(fires.get(k).snapshot(1, 1));
                states.add(ends.get(k).snapshot(1, 1));
            }
            return states;
        }

        @Override
        public void close() throws Exception {
            for (int k = 0; k < fires.size(); k++) {
                fires.get(k).close();
                ends.get(k).close();
            }
        }
    }

    /** A textbook match of {@code "last"}: the FIRING, as the rules define it. */
    static final class TextbookFiring extends PatternProcessFunction<RuleEvent, Alert> {
        private final SilenceRule rule;

        TextbookFiring(SilenceRule rule) {
            this.rule = rule;
        }

        @Override
        public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<Alert> out) {
            RuleEvent last = match.get("last").get(0);
            Alert a = base(rule, Alert.FIRING, last.sensorId, last.timestamp);
            a.spanEnd = last.timestamp + rule.after().toMillis();
            a.readingTimes = new long[] {last.timestamp};
            out.collect(a);
        }
    }

    /** A textbook match of a gap longer than {@code after}: the RESOLVED, as the rules define it. */
    static final class TextbookResolved extends PatternProcessFunction<RuleEvent, Alert> {
        private final SilenceRule rule;

        TextbookResolved(SilenceRule rule) {
            this.rule = rule;
        }

        @Override
        public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<Alert> out) {
            RuleEvent last = match.get("last").get(0);
            RuleEvent back = match.get("back").get(0);
            Alert a = base(rule, Alert.RESOLVED, last.sensorId, last.timestamp);
            a.spanEnd = back.timestamp;
            a.resolvedAt = back.timestamp;
            a.readingTimes = new long[] {last.timestamp, back.timestamp};
            out.collect(a);
        }
    }

    static Alert base(SilenceRule rule, String status, String sensor, long last) {
        Alert a = AlertCandidates.of(rule, status, AlertIds.of(rule.id(), sensor, last).toString(), sensor);
        a.spanStart = last;
        return a;
    }

    sealed interface Step permits Arrival, Advance, Restore, End {}

    record Arrival(String sensor, long time, double value) implements Step {}

    record Advance(long watermark) implements Step {}

    record Restore() implements Step {}

    record End() implements Step {}

    /** One random stream: its rules, and readings and watermarks in the order they reach the job. */
    static final class Stream {
        final List<SilenceRule> rules = new ArrayList<>();
        final List<Step> steps = new ArrayList<>();
        int gapsOfExactlyAfter;

        long readings() {
            return steps.stream().filter(s -> s instanceof Arrival).count();
        }

        static Stream random(int seed) {
            Random rnd = new Random(seed);
            Stream s = new Stream();
            int sensors = 2 + rnd.nextInt(4);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < sensors; i++) {
                ids.add("s" + i);
            }
            long after = GRID * (4 + rnd.nextInt(16));
            s.rules.add(new SilenceRule("quiet", Severity.WARNING, "", Duration.ofMillis(after)));
            if (rnd.nextBoolean()) {
                long second = rnd.nextInt(4) == 0 ? after : GRID * (4 + rnd.nextInt(24));
                SensorScope scope = rnd.nextBoolean() ? SensorScope.ALL
                        : SensorScope.ids(ids.subList(0, 1 + rnd.nextInt(sensors)));
                s.rules.add(new SilenceRule("long-quiet", Severity.CRITICAL, "", Duration.ofMillis(second), scope));
            }
            long[] afters = s.rules.stream().mapToLong(r -> r.after().toMillis()).toArray();
            long longest = Arrays.stream(afters).max().orElseThrow();
            long outOfOrder = GRID * rnd.nextInt(6);
            // Most streams mostly silences; some sensors that mostly keep reporting.
            int chatty = new int[] {60, 60, 90, 98}[rnd.nextInt(4)];
            long horizon = longest * (6 + rnd.nextInt(10)) * (chatty > 90 ? 4 : 1);
            // The whole fleet quiet for a while, the watermark moving on.
            long fleetQuietFrom = T0 + rnd.nextInt((int) (horizon / GRID)) * GRID;
            long fleetQuietTo = fleetQuietFrom + longest * (1 + rnd.nextInt(3)) + GRID * rnd.nextInt(3);

            record Timed(Arrival reading, long arrivesAt, int order) {}
            List<Timed> timed = new ArrayList<>();
            int order = 0;
            for (String id : ids) {
                long t = T0 + GRID * rnd.nextInt(8) + (rnd.nextInt(4) == 0 ? rnd.nextInt((int) GRID) : 0);
                long stopAt = rnd.nextInt(3) == 0 ? T0 + rnd.nextLong(horizon) : Long.MAX_VALUE;
                while (t < T0 + horizon && t < stopAt) {
                    if (t < fleetQuietFrom || t >= fleetQuietTo) {
                        long delay = rnd.nextInt(20) == 0 ? outOfOrder + GRID * (1 + rnd.nextInt(4)) // late
                                : outOfOrder == 0 ? 0 : rnd.nextLong(outOfOrder + 1);
                        timed.add(new Timed(new Arrival(id, t, 20), t + delay, order++));
                        int repeat = rnd.nextInt(12);
                        if (repeat == 0) { // the same reading again
                            timed.add(new Timed(new Arrival(id, t, 20), t + delay + rnd.nextInt((int) GRID), order++));
                        } else if (repeat == 1) { // another reading at the same time
                            timed.add(new Timed(new Arrival(id, t, 21), t + delay, order++));
                        }
                    }
                    long a = afters[rnd.nextInt(afters.length)];
                    int kind = rnd.nextInt(100);
                    int odd = (100 - chatty) / 4;
                    long gap = kind < chatty ? GRID * (1 + rnd.nextInt((int) (a / GRID) - 1))
                            : kind < chatty + odd ? a
                            : kind < chatty + 2 * odd ? a + (rnd.nextBoolean() ? 1 : GRID)
                            : a * (2 + rnd.nextInt(3));
                    if (gap == a) {
                        s.gapsOfExactlyAfter++;
                    }
                    t += gap;
                }
            }
            timed.sort(Comparator.comparingLong(Timed::arrivesAt).thenComparingInt(Timed::order));

            int restoreAt = rnd.nextInt(Math.max(1, timed.size()));
            long watermark = Long.MIN_VALUE;
            long maxSeen = Long.MIN_VALUE;
            for (int i = 0; i < timed.size(); i++) {
                Timed next = timed.get(i);
                // Time passes until this reading arrives: bounded out-of-orderness, or idle sources
                // moving the watermark on when nothing comes.
                long target = next.arrivesAt - outOfOrder - 1;
                while (watermark == Long.MIN_VALUE ? target > T0 : watermark + GRID < target) {
                    long step = GRID * (1 + rnd.nextInt(4)) + (rnd.nextInt(5) == 0 ? rnd.nextInt((int) GRID) : 0);
                    long w = watermark == Long.MIN_VALUE ? T0 : Math.min(target, watermark + step);
                    if (w <= watermark) {
                        break;
                    }
                    watermark = w;
                    s.steps.add(new Advance(watermark));
                }
                if (i == restoreAt) {
                    s.steps.add(new Restore());
                }
                s.steps.add(next.reading);
                maxSeen = Math.max(maxSeen, next.reading.time());
                if (rnd.nextInt(3) == 0 && maxSeen - outOfOrder > watermark) {
                    watermark = maxSeen - outOfOrder;
                    s.steps.add(new Advance(watermark));
                }
            }
            long end = maxSeen + (rnd.nextBoolean() ? longest * 2 : GRID * rnd.nextInt(4));
            while (watermark < end) {
                watermark = Math.min(end, watermark + GRID * (1 + rnd.nextInt(6)));
                s.steps.add(new Advance(watermark));
            }
            if (rnd.nextBoolean()) {
                s.steps.add(new End());
            }
            return s;
        }
    }
}
