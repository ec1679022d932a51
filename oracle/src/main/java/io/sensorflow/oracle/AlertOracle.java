package io.sensorflow.oracle;

import io.sensorflow.rules.EpisodeRule;
import io.sensorflow.rules.Late;
import io.sensorflow.rules.OutlierRule;
import io.sensorflow.rules.RiseRule;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.RuleSet;
import io.sensorflow.rules.SequenceRule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.StuckRule;
import io.sensorflow.rules.alert.AlertIds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Works out the alerts the job must emit for a rule set. Created and fed by {@link OutcomeOracle}
 * (see {@link OutcomeOracle#outcome(long)}), which passes each valid reading that is not too late
 * for aggregation with the watermark W before it, and each new watermark:
 * <ol>
 *   <li>a reading counts for alerts only if its event time is after W; of those, a reading with
 *       the same sensor, event time, seq and values as an earlier one is a duplicate and is ignored;
 *   <li>per sensor, the readings are taken in event-time order, readings with the same time in the
 *       order they were sent; a rule ignores the
 *       readings that lack its metric; silence rules take every reading; a rule with a scope
 *       ignores the sensors outside it (a list of ids, or a regex the whole id must match);
 *   <li><b>silence</b> (after D): for consecutive readings a, b with b - a &gt; D, FIRING over
 *       [a, a + D] (readings [a]) and RESOLVED over [a, b] (readings [a, b]), both with the id of
 *       (rule, sensor, a); after the last reading z, FIRING iff the event time reached is at least
 *       z + D. Silence alerts carry no values (null);
 *   <li><b>sequence</b> (N extremes within D, resolved by M, cooldown C): in a run r1..rk of
 *       consecutive extreme readings, a match at every j &gt;= N with r_j - r_{j-N+1} &lt; D, over
 *       [r_{j-N+1}, r_j] with those N readings, id of (rule, sensor, r1); and a resolution at the
 *       M-th reading in a row within the threshold after an extreme one. Per rule and sensor, the
 *       matches and resolutions of one event time are taken resolutions first: the first match of
 *       the time is a FIRING when no episode is open and the last RESOLVED (if any) is at least C
 *       before it, and opens one (so a run that goes on past a cooldown fires when it is over); a
 *       resolution of an open episode is its RESOLVED, with the FIRING's id, over [its start, the
 *       resolution], with its readings and the resolving one; anything else is dropped;
 *   <li><b>rise</b> (by X within T, resolved by M, cooldown C): b rises iff an earlier reading a
 *       has b - a &lt; T and value(b) - value(a) &gt;= X, a being the lowest of them (the latest on a
 *       tie); a match at every rising reading b, over [a, b] with readings [a, b], id of (rule,
 *       sensor, b); a resolution at the M-th reading in a row that does not rise after one that
 *       does; their life as for sequences;
 *   <li><b>stuck</b> (N readings or a duration D, cooldown C): a repeat is a reading whose value
 *       equals the previous one's ({@code ==} on doubles); a run is a stretch of readings with one
 *       value, s its first; a match at every reading r of a run from its N-th (or every r with
 *       r - s &gt;= D), over [s, r] with readings [s, r], id of (rule, sensor, s, the ordinal of runs
 *       starting at s); a resolution at the first reading with another value after a repeat; their
 *       life as for sequences;
 *   <li><b>outlier</b> (k, a window of N readings or of a duration D, min_readings m, resolved by M,
 *       cooldown C): the window of a reading r is the N readings before it, or of the last 1000
 *       readings before it those with a time in [r - D, r); r is an outlier iff the window holds
 *       n &gt;= m readings, and with mean = (their sum, oldest first) / n and sd = sqrt((the sum of
 *       (v - mean) * (v - mean), oldest first) / (n - 1)), sd &gt; 0 and |value(r) - mean| &gt; k * sd; a match
 *       at every outlier r, over [r, r] with readings [r], id of (rule, sensor, r); a resolution at
 *       the M-th reading in a row that is no outlier after one that is; their life as for sequences.
 * </ol>
 * Values are the payload's tenths as doubles, which is what the job parses from the text.
 *
 * <p>Late readings ({@code late: evaluate}): a reading at or behind W (late for rules) is given to
 * the sequence, rise, stuck and outlier rules with {@code late: evaluate} (and no other) when its
 * time is after that of every reading of its sensor given to the rules before it (those after
 * their W, and late ones given so); it is then the sensor's next reading in event-time order for
 * those rules, and silence rules never see it. The alerts whose last reading (a FIRING's matching
 * one, a RESOLVED's resolving one) is such a reading are late, by W minus its time.
 *
 * <p>Once W has passed a reading, no eligible reading can come before it any more (eligible
 * readings are after W, and W only grows), so readings wait in event-time order only until W
 * passes them; the memory held is the sensors' rule state plus the readings after W.
 */
public final class AlertOracle {

    /** The order of {@link #alerts}: sensor, span start, rule, status, then span end and id. */
    public static final Comparator<ExpectedAlert> ORDER = Comparator.comparing(ExpectedAlert::sensorId)
            .thenComparingLong(ExpectedAlert::spanStartMs)
            .thenComparing(ExpectedAlert::ruleId)
            .thenComparing(ExpectedAlert::status)
            .thenComparingLong(ExpectedAlert::spanEndMs)
            .thenComparing(ExpectedAlert::alertId);

    private static final Comparator<Reading> READING_ORDER = Comparator.comparingLong(Reading::ts)
            .thenComparingInt(Reading::sensor).thenComparingLong(Reading::arrival);

    private final SensorIds ids;
    private final List<SilenceRule> silences = new ArrayList<>();
    private final List<SequenceRule> sequences = new ArrayList<>();
    private final List<Measurement> sequenceMetrics = new ArrayList<>();
    private final List<RiseRule> rises = new ArrayList<>();
    private final List<Measurement> riseMetrics = new ArrayList<>();
    private final List<StuckRule> stucks = new ArrayList<>();
    private final List<Measurement> stuckMetrics = new ArrayList<>();
    private final List<OutlierRule> outliers = new ArrayList<>();
    private final List<Measurement> outlierMetrics = new ArrayList<>();
    /** Per sensor, whether each rule applies to it (silences, sequences, rises, stucks, outliers); null where no rule has a scope. */
    private final boolean[][] inScope;
    private final boolean scoped;
    private final SensorState[] sensors;
    /** Eligible readings the watermark has not passed yet, in processing order (a duplicate is not added). */
    private final TreeSet<Reading> pending = new TreeSet<>(READING_ORDER);
    /** The sensor and content of each pending reading, to spot a repeat. */
    private final Set<SensorContent> pendingContents = new HashSet<>();
    private long arrivals;
    private final List<ExpectedAlert> emitted = new ArrayList<>();
    /** The rules with late: evaluate, by id; empty when none. */
    private final Set<String> evaluateLate = new HashSet<>();
    /** Per sensor, the latest time of a reading given to the rules (on time, or late and evaluated); null when no rule evaluates late. */
    private final long[] newestGiven;
    /** Per sensor id, the late readings given to the rules: their time and by how much they were late. */
    private final Map<String, Map<Long, Long>> lateDelays = new HashMap<>();

    AlertOracle(RuleSet rules, SensorIds ids) {
        this.ids = ids;
        this.sensors = new SensorState[ids.size()];
        for (Rule r : rules.rules()) {
            if (r instanceof SilenceRule s) {
                silences.add(s);
            } else if (r instanceof SequenceRule s) {
                sequences.add(s);
                sequenceMetrics.add(Measurement.fromField(s.metric().fieldName()));
            } else if (r instanceof RiseRule rise) {
                rises.add(rise);
                riseMetrics.add(Measurement.fromField(rise.metric().fieldName()));
            } else if (r instanceof StuckRule stuck) {
                stucks.add(stuck);
                stuckMetrics.add(Measurement.fromField(stuck.metric().fieldName()));
            } else if (r instanceof OutlierRule outlier) {
                outliers.add(outlier);
                outlierMetrics.add(Measurement.fromField(outlier.metric().fieldName()));
            } else {
                throw new IllegalArgumentException("rule '" + r.id() + "': the oracle does not know " + r.getClass());
            }
        }
        this.scoped = rules.rules().stream().anyMatch(r -> !r.scope().isAll());
        this.inScope = new boolean[ids.size()][];
        for (Rule r : rules.rules()) {
            if (r instanceof EpisodeRule e && e.late() == Late.EVALUATE) {
                evaluateLate.add(r.id());
            }
        }
        this.newestGiven = evaluateLate.isEmpty() ? null : new long[ids.size()];
        if (newestGiven != null) {
            Arrays.fill(newestGiven, Long.MIN_VALUE);
        }
    }

    /** Whether a rule takes the reading being processed: every rule takes one on time, only those with late: evaluate a late one. */
    private boolean takes(Rule rule, boolean late) {
        return !late || evaluateLate.contains(rule.id());
    }

    /** Whether the {@code k}-th rule of {@code kind}'s list applies to sensor {@code i}: decided once per sensor. */
    private boolean applies(int sensor, List<? extends Rule> kind, int k) {
        if (!scoped) {
            return true;
        }
        boolean[] in = inScope[sensor];
        if (in == null) {
            String id = ids.id(sensor);
            List<Rule> all = new ArrayList<>(silences);
            all.addAll(sequences);
            all.addAll(rises);
            all.addAll(stucks);
            all.addAll(outliers);
            in = inScope[sensor] = new boolean[all.size()];
            for (int j = 0; j < in.length; j++) {
                in[j] = all.get(j).scope().includes(id);
            }
        }
        int offset = kind == silences ? 0 : kind == sequences ? silences.size()
                : kind == rises ? silences.size() + sequences.size()
                : kind == stucks ? silences.size() + sequences.size() + rises.size()
                : silences.size() + sequences.size() + rises.size() + stucks.size();
        return in[offset + k];
    }

    /**
     * A valid reading that is not too late for aggregation, and the watermark before it. Ignored
     * when at or behind that watermark, or when it repeats a pending reading.
     */
    void reading(MessageFacts r, long watermarkBefore) {
        if (r.eventTime() > watermarkBefore) {
            if (newestGiven != null) {
                newestGiven[r.sensor()] = Math.max(newestGiven[r.sensor()], r.eventTime());
            }
            if (pendingContents.add(new SensorContent(r.sensor(), ReadingContent.of(r)))) {
                pending.add(new Reading(r.sensor(), r.eventTime(), arrivals++, r.value(Measurement.TEMPERATURE),
                        r.value(Measurement.HUMIDITY), r.value(Measurement.DISTANCE_CM), ReadingContent.of(r)));
            }
        } else if (newestGiven != null && r.eventTime() > newestGiven[r.sensor()]) {
            // Late for rules, and newer than all its sensor gave them: no reading of the sensor is
            // pending (each would be newer), so it is the sensor's next reading, now.
            newestGiven[r.sensor()] = r.eventTime();
            lateDelays.computeIfAbsent(ids.id(r.sensor()), s -> new HashMap<>())
                    .put(r.eventTime(), watermarkBefore - r.eventTime());
            SensorState s = sensors[r.sensor()];
            if (s == null) {
                s = sensors[r.sensor()] = new SensorState();
            }
            process(new Reading(r.sensor(), r.eventTime(), arrivals++, r.value(Measurement.TEMPERATURE),
                    r.value(Measurement.HUMIDITY), r.value(Measurement.DISTANCE_CM), ReadingContent.of(r)), s, emitted, true);
        }
    }

    /** The watermark moved to {@code w}: the readings at or before it are final, in order. */
    void watermark(long w) {
        while (!pending.isEmpty() && pending.first().ts() <= w) {
            Reading r = pending.pollFirst();
            pendingContents.remove(new SensorContent(r.sensor(), r.content()));
            SensorState s = sensors[r.sensor()];
            if (s == null) {
                s = sensors[r.sensor()] = new SensorState();
            }
            process(r, s, emitted, false);
        }
    }

    /**
     * Every alert of the readings seen so far, sorted by {@link #ORDER}, given that the job's
     * event time (its watermark) has reached {@code eventTimeReached}: that decides whether the
     * silence after each sensor's last reading has fired. Does not change the state, so more
     * readings may follow.
     */
    List<ExpectedAlert> alerts(long eventTimeReached) {
        List<ExpectedAlert> out = new ArrayList<>(emitted);
        Map<Integer, SensorState> ahead = new HashMap<>();
        for (Reading r : pending) {
            SensorState s = ahead.computeIfAbsent(r.sensor(),
                    i -> sensors[i] == null ? new SensorState() : sensors[i].copy());
            process(r, s, out, false);
        }
        for (int i = 0; i < sensors.length; i++) {
            SensorState s = ahead.getOrDefault(i, sensors[i]);
            if (s == null) {
                continue; // (a sensor given only late readings has episodes but no last reading for silence)
            }
            // What the last event time decided, on copies: more readings may come at that time.
            for (int k = 0; k < s.sequence.length; k++) {
                if (s.sequence[k] != null) {
                    s.sequence[k].episodes.copy().decide(sequences.get(k), ids.id(i), out);
                }
            }
            for (int k = 0; k < s.rise.length; k++) {
                if (s.rise[k] != null) {
                    s.rise[k].episodes.copy().decide(rises.get(k), ids.id(i), out);
                }
            }
            for (int k = 0; k < s.stuck.length; k++) {
                if (s.stuck[k] != null) {
                    s.stuck[k].episodes.copy().decide(stucks.get(k), ids.id(i), out);
                }
            }
            for (int k = 0; k < s.outlier.length; k++) {
                if (s.outlier[k] != null) {
                    s.outlier[k].episodes.copy().decide(outliers.get(k), ids.id(i), out);
                }
            }
            for (int k = 0; k < silences.size(); k++) {
                SilenceRule rule = silences.get(k);
                if (!s.hasLast || !applies(i, silences, k)) {
                    continue;
                }
                long after = rule.after().toMillis();
                if (s.lastTs <= Long.MAX_VALUE - after && eventTimeReached >= s.lastTs + after) {
                    out.add(silence(rule, i, ExpectedAlert.FIRING, s.lastTs, s.lastTs + after, s.lastTs));
                }
            }
        }
        if (!lateDelays.isEmpty()) {
            out.replaceAll(a -> {
                Long delay = evaluateLate.contains(a.ruleId())
                        ? lateDelays.getOrDefault(a.sensorId(), Map.of()).get(a.spanEndMs()) : null;
                return delay == null ? a : a.late(delay);
            });
        }
        out.sort(ORDER);
        return out;
    }

    /** {@code late}: a late reading given to the rules with late: evaluate; silence rules do not see it. */
    private void process(Reading r, SensorState s, List<ExpectedAlert> out, boolean late) {
        long ts = r.ts();
        if (!late) {
            processSilence(r, s, out);
        }
        for (int k = 0; k < sequences.size(); k++) {
            int tenths = r.value(sequenceMetrics.get(k));
            if (tenths != MessageFacts.ABSENT && applies(r.sensor(), sequences, k) && takes(sequences.get(k), late)) {
                s.sequence(k, sequences.get(k).count()).accept(sequences.get(k), ids.id(r.sensor()), ts,
                        Tenths.toDouble(tenths), out);
            }
        }
        for (int k = 0; k < rises.size(); k++) {
            int tenths = r.value(riseMetrics.get(k));
            if (tenths != MessageFacts.ABSENT && applies(r.sensor(), rises, k) && takes(rises.get(k), late)) {
                s.rise(k).accept(rises.get(k), ids.id(r.sensor()), ts, Tenths.toDouble(tenths), out);
            }
        }
        for (int k = 0; k < stucks.size(); k++) {
            int tenths = r.value(stuckMetrics.get(k));
            if (tenths != MessageFacts.ABSENT && applies(r.sensor(), stucks, k) && takes(stucks.get(k), late)) {
                s.stuck(k).accept(stucks.get(k), ids.id(r.sensor()), ts, Tenths.toDouble(tenths), out);
            }
        }
        for (int k = 0; k < outliers.size(); k++) {
            int tenths = r.value(outlierMetrics.get(k));
            if (tenths != MessageFacts.ABSENT && applies(r.sensor(), outliers, k) && takes(outliers.get(k), late)) {
                s.outlier(k).accept(outliers.get(k), ids.id(r.sensor()), ts, Tenths.toDouble(tenths), out);
            }
        }
    }

    /** The silence rules' part of an on-time reading, and it becomes the sensor's last. */
    private void processSilence(Reading r, SensorState s, List<ExpectedAlert> out) {
        long ts = r.ts();
        if (s.hasLast) {
            for (int k = 0; k < silences.size(); k++) {
                SilenceRule rule = silences.get(k);
                if (!applies(r.sensor(), silences, k)) {
                    continue;
                }
                long after = rule.after().toMillis();
                if (ts - s.lastTs > after) {
                    out.add(silence(rule, r.sensor(), ExpectedAlert.FIRING, s.lastTs, s.lastTs + after, s.lastTs));
                    out.add(silence(rule, r.sensor(), ExpectedAlert.RESOLVED, s.lastTs, ts, s.lastTs, ts));
                }
            }
        }
        s.hasLast = true;
        s.lastTs = ts;
    }

    private ExpectedAlert silence(SilenceRule rule, int sensor, String status, long episodeStart, long spanEnd,
            long... readingTimes) {
        String sensorId = ids.id(sensor);
        List<Long> times = new ArrayList<>(readingTimes.length);
        for (long t : readingTimes) {
            times.add(t);
        }
        return new ExpectedAlert(AlertIds.of(rule.id(), sensorId, episodeStart).toString(), rule.id(), sensorId,
                status, episodeStart, spanEnd, times, Arrays.asList(new Double[readingTimes.length]));
    }

    private record SensorContent(int sensor, ReadingContent content) {}

    /** An eligible reading: its sensor, event time, place in the stream, metric values in tenths (or ABSENT) and content. */
    private record Reading(int sensor, long ts, long arrival, int temperature, int humidity, int distance,
            ReadingContent content) {

        int value(Measurement m) {
            switch (m) {
                case TEMPERATURE: return temperature;
                case HUMIDITY: return humidity;
                default: return distance;
            }
        }
    }

    /** One sensor's rule state: its last reading, and per sequence and rise rule the run or episode in progress. */
    private final class SensorState {
        boolean hasLast;
        long lastTs;
        final SequenceState[] sequence = new SequenceState[sequences.size()];
        final RiseState[] rise = new RiseState[rises.size()];
        final StuckState[] stuck = new StuckState[stucks.size()];
        final OutlierState[] outlier = new OutlierState[outliers.size()];

        SequenceState sequence(int k, int count) {
            if (sequence[k] == null) {
                sequence[k] = new SequenceState(count);
            }
            return sequence[k];
        }

        RiseState rise(int k) {
            if (rise[k] == null) {
                rise[k] = new RiseState();
            }
            return rise[k];
        }

        StuckState stuck(int k) {
            if (stuck[k] == null) {
                stuck[k] = new StuckState();
            }
            return stuck[k];
        }

        OutlierState outlier(int k) {
            if (outlier[k] == null) {
                outlier[k] = new OutlierState();
            }
            return outlier[k];
        }

        SensorState copy() {
            SensorState c = new SensorState();
            c.hasLast = hasLast;
            c.lastTs = lastTs;
            for (int k = 0; k < sequence.length; k++) {
                c.sequence[k] = sequence[k] == null ? null : sequence[k].copy();
            }
            for (int k = 0; k < rise.length; k++) {
                c.rise[k] = rise[k] == null ? null : rise[k].copy();
            }
            for (int k = 0; k < stuck.length; k++) {
                c.stuck[k] = stuck[k] == null ? null : stuck[k].copy();
            }
            for (int k = 0; k < outlier.length; k++) {
                c.outlier[k] = outlier[k] == null ? null : outlier[k].copy();
            }
            return c;
        }
    }

    /**
     * The life of a sequence or rise rule's episodes on one sensor: the open FIRING, the last
     * RESOLVED, the readings in a row that do not meet the rule since the last one that did, and
     * the match and resolution of the latest event time, decided once no reading of that time can
     * follow (a resolution before a match).
     */
    private static final class Episodes {
        ExpectedAlert open;
        boolean hasResolved;
        long lastResolved;
        /** Readings in a row not meeting the rule since the last one that did; none due before the first. */
        long normals = Long.MIN_VALUE;
        long decideTs = Long.MIN_VALUE;
        /** The first match and the first resolution at {@link #decideTs}, if any. */
        ExpectedAlert match;
        boolean resolution;
        long resolutionTs;
        double resolutionValue;

        /** A reading at {@code ts} comes: what the times before it made is decided. */
        void at(EpisodeRule rule, String sensorId, long ts, List<ExpectedAlert> out) {
            if (ts != decideTs) {
                decide(rule, sensorId, out);
                decideTs = ts;
            }
        }

        void met() {
            normals = 0;
        }

        void notMet(EpisodeRule rule, long ts, double value) {
            if (normals >= 0 && ++normals == rule.resolveReadings() && !resolution) {
                resolution = true;
                resolutionTs = ts;
                resolutionValue = value;
            }
        }

        void matched(ExpectedAlert m) {
            if (match == null) {
                match = m;
            }
        }

        void decide(EpisodeRule rule, String sensorId, List<ExpectedAlert> out) {
            if (resolution && open != null) {
                List<Long> t = new ArrayList<>(open.readingTimes());
                List<Double> v = new ArrayList<>(open.values());
                t.add(resolutionTs);
                v.add(resolutionValue);
                out.add(new ExpectedAlert(open.alertId(), rule.id(), sensorId, ExpectedAlert.RESOLVED, open.spanStartMs(),
                        resolutionTs, t, v));
                open = null;
                hasResolved = true;
                lastResolved = resolutionTs;
            }
            if (match != null && open == null
                    && (!hasResolved || match.spanEndMs() - lastResolved >= rule.cooldown().toMillis())) {
                out.add(match);
                open = match;
            }
            match = null;
            resolution = false;
        }

        Episodes copy() {
            Episodes c = new Episodes();
            c.open = open;
            c.hasResolved = hasResolved;
            c.lastResolved = lastResolved;
            c.normals = normals;
            c.decideTs = decideTs;
            c.match = match;
            c.resolution = resolution;
            c.resolutionTs = resolutionTs;
            c.resolutionValue = resolutionValue;
            return c;
        }
    }

    /** The run of extreme readings in progress: its first reading, its length, whether it has matched, its last N readings; and its episodes. */
    private static final class SequenceState {
        long runStart = Long.MIN_VALUE;
        /** Which of the runs starting at runStart this is: several can, at one event time. */
        int runOrdinal;
        long length;
        final long[] times;
        final double[] values;
        Episodes episodes = new Episodes();

        SequenceState(int count) {
            times = new long[count];
            values = new double[count];
        }

        void accept(SequenceRule rule, String sensorId, long ts, double value, List<ExpectedAlert> out) {
            episodes.at(rule, sensorId, ts, out);
            if (!rule.isExtreme(value)) {
                length = 0;
                episodes.notMet(rule, ts, value);
                return;
            }
            episodes.met();
            int n = times.length;
            if (length == 0) {
                runOrdinal = runStart == ts ? runOrdinal + 1 : 0;
                runStart = ts;
            }
            times[(int) (length % n)] = ts;
            values[(int) (length % n)] = value;
            length++;
            if (length < n) {
                return;
            }
            long first = length - n;
            if (ts - times[(int) (first % n)] < rule.within().toMillis()) {
                List<Long> t = new ArrayList<>(n);
                List<Double> v = new ArrayList<>(n);
                for (long i = first; i < length; i++) {
                    t.add(times[(int) (i % n)]);
                    v.add(values[(int) (i % n)]);
                }
                episodes.matched(new ExpectedAlert(AlertIds.of(rule.id(), sensorId, runStart, runOrdinal).toString(),
                        rule.id(), sensorId, ExpectedAlert.FIRING, t.get(0), ts, t, v));
            }
        }

        SequenceState copy() {
            SequenceState c = new SequenceState(times.length);
            c.runStart = runStart;
            c.runOrdinal = runOrdinal;
            c.length = length;
            System.arraycopy(times, 0, c.times, 0, times.length);
            System.arraycopy(values, 0, c.values, 0, values.length);
            c.episodes = episodes.copy();
            return c;
        }
    }

    /**
     * The readings of the last {@code within} that can still be the lowest point of a rise: a
     * queue ascending in time and strictly ascending in value (a reading drops every earlier one
     * that is not lower, so on equal values the later stays).
     */
    private static final class RiseState {
        long[] times = new long[8];
        double[] values = new double[8];
        int head;
        int size;

        Episodes episodes = new Episodes();

        void accept(RiseRule rule, String sensorId, long ts, double value, List<ExpectedAlert> out) {
            episodes.at(rule, sensorId, ts, out);
            long within = rule.within().toMillis();
            while (size > 0 && ts - times[head] >= within) {
                head = (head + 1) % times.length;
                size--;
            }
            boolean rises = size > 0 && value - values[head] >= rule.by();
            if (rises) {
                // Every rising reading is a match; only the first of its time may open an episode, so
                // its time names the episode.
                long from = times[head];
                episodes.matched(new ExpectedAlert(AlertIds.of(rule.id(), sensorId, ts).toString(), rule.id(),
                        sensorId, ExpectedAlert.FIRING, from, ts, List.of(from, ts), List.of(values[head], value)));
            }
            if (rises) {
                episodes.met();
            } else {
                episodes.notMet(rule, ts, value);
            }
            while (size > 0 && values[(head + size - 1) % values.length] >= value) {
                size--;
            }
            if (size == times.length) {
                grow();
            }
            int at = (head + size) % times.length;
            times[at] = ts;
            values[at] = value;
            size++;
        }

        private void grow() {
            long[] t = new long[times.length * 2];
            double[] v = new double[values.length * 2];
            for (int i = 0; i < size; i++) {
                t[i] = times[(head + i) % times.length];
                v[i] = values[(head + i) % values.length];
            }
            times = t;
            values = v;
            head = 0;
        }

        RiseState copy() {
            RiseState c = new RiseState();
            c.times = times.clone();
            c.values = values.clone();
            c.head = head;
            c.size = size;
            c.episodes = episodes.copy();
            return c;
        }
    }

    /** The run of one value in progress (its first reading, value, length, whether it has matched) and its episodes. */
    private static final class StuckState {
        boolean hasLast;
        double last;
        long runStart = Long.MIN_VALUE;
        double runValue;
        /** Which of the runs starting at runStart this is: several can, at one event time. */
        int runOrdinal;
        long length;
        Episodes episodes = new Episodes();

        void accept(StuckRule rule, String sensorId, long ts, double value, List<ExpectedAlert> out) {
            episodes.at(rule, sensorId, ts, out);
            if (hasLast && value == last) {
                last = value;
                length++;
                episodes.met();
                if (rule.byReadings() ? length >= rule.readings() : ts - runStart >= rule.forDuration().toMillis()) {
                    episodes.matched(new ExpectedAlert(AlertIds.of(rule.id(), sensorId, runStart, runOrdinal).toString(),
                            rule.id(), sensorId, ExpectedAlert.FIRING, runStart, ts, List.of(runStart, ts),
                            List.of(runValue, value)));
                }
                return;
            }
            if (hasLast) {
                episodes.notMet(rule, ts, value);
            }
            runOrdinal = runStart == ts ? runOrdinal + 1 : 0;
            runStart = ts;
            runValue = value;
            length = 1;
            hasLast = true;
            last = value;
        }

        StuckState copy() {
            StuckState c = new StuckState();
            c.hasLast = hasLast;
            c.last = last;
            c.runStart = runStart;
            c.runValue = runValue;
            c.runOrdinal = runOrdinal;
            c.length = length;
            c.episodes = episodes.copy();
            return c;
        }
    }

    /**
     * The readings before the next one that can be in its window (the last N, or the last 1000 for
     * a duration window, oldest first), and the episodes.
     */
    private static final class OutlierState {
        ArrayDeque<Long> times = new ArrayDeque<>();
        ArrayDeque<Double> values = new ArrayDeque<>();
        Episodes episodes = new Episodes();

        void accept(OutlierRule rule, String sensorId, long ts, double value, List<ExpectedAlert> out) {
            episodes.at(rule, sensorId, ts, out);
            List<Double> window = new ArrayList<>();
            java.util.Iterator<Long> t = times.iterator();
            for (double v : values) {
                long time = t.next();
                if (rule.byReadings() || time >= ts - rule.windowDuration().toMillis() && time < ts) {
                    window.add(v);
                }
            }
            boolean outlier = false;
            int n = window.size();
            if (n >= rule.minReadings()) {
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
                outlier = sd > 0 && Math.abs(value - mean) > rule.k() * sd;
            }
            if (outlier) {
                // Every outlier is a match; only the first of its time may open an episode, so its
                // time names the episode.
                episodes.matched(new ExpectedAlert(AlertIds.of(rule.id(), sensorId, ts).toString(),
                        rule.id(), sensorId, ExpectedAlert.FIRING, ts, ts, List.of(ts), List.of(value)));
                episodes.met();
            } else {
                episodes.notMet(rule, ts, value);
            }
            times.addLast(ts);
            values.addLast(value);
            if (values.size() > (rule.byReadings() ? rule.windowReadings() : OutlierRule.MAX_WINDOW_READINGS)) {
                times.removeFirst();
                values.removeFirst();
            }
        }

        OutlierState copy() {
            OutlierState c = new OutlierState();
            c.times = times.clone();
            c.values = values.clone();
            c.episodes = episodes.copy();
            return c;
        }
    }
}
