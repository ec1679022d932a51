package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;

/**
 * Random reading streams for the differential tests, as the job's alert operators get them: a few
 * sensors reporting about every 10 s, arriving up to {@link #OUT_OF_ORDERNESS} out of order, with
 * exact repeats, readings without the metric, bursts at one event time, a sensor's gaps and the
 * whole fleet's silences; watermarks as the job's (the latest time seen minus the
 * out-of-orderness), and the readings at or behind the watermark left out, as the job's lateness
 * check upstream of the rules does. Seeded: a failing seed replays.
 */
final class DifferentialStreams {

    static final long S = 1_000L;
    static final long OUT_OF_ORDERNESS = 5 * S;

    /** One step of a stream: a reading, or a watermark (reading null). */
    record Step(Reading reading, long watermark) {}

    /** A reading's value from the previous one of its sensor (NaN before the first). */
    interface Values {
        double next(Random random, double previous);
    }

    private DifferentialStreams() {}

    /**
     * A stream of the temperature values {@code values} makes: the readings in arrival order, a
     * watermark after a few of them, only readings ahead of the watermark they arrive after.
     */
    static List<Step> stream(long seed, Values values) {
        Random random = new Random(seed);
        int sensors = 2 + random.nextInt(6);
        int ticks = 30 + random.nextInt(60);
        double missing = random.nextDouble() < 0.5 ? 0 : 0.1;
        double duplicates = random.nextDouble() < 0.3 ? 0 : 0.08;
        double bursts = random.nextDouble() < 0.5 ? 0 : 0.06;
        List<Reading> made = new ArrayList<>();
        List<Long> arrival = new ArrayList<>();
        long seq = 0;
        for (int s = 0; s < sensors; s++) {
            String id = "s" + s;
            double previous = Double.NaN;
            long t = random.nextInt(10) * S;
            for (int k = 0; k < ticks; k++) {
                if (random.nextDouble() < 0.04) {
                    t += (30 + random.nextInt(300)) * S; // a gap of this sensor
                }
                t += (6 + random.nextInt(9)) * S;
                int atOnce = random.nextDouble() < bursts ? 2 + random.nextInt(5) : 1;
                for (int b = 0; b < atOnce; b++) {
                    Reading r = new Reading();
                    r.sensorId = id;
                    r.eventTime = t;
                    r.seq = seq++;
                    r.humidity = 50;
                    if (random.nextDouble() < missing) {
                        r.temperature = Double.NaN; // a reading without the rule's metric
                    } else {
                        previous = values.next(random, previous);
                        r.temperature = previous;
                    }
                    made.add(r);
                    arrival.add(t + random.nextInt((int) OUT_OF_ORDERNESS + 1));
                    if (random.nextDouble() < duplicates) {
                        made.add(copy(r));
                        arrival.add(t + random.nextInt((int) (2 * OUT_OF_ORDERNESS)));
                    }
                }
            }
        }
        // The whole fleet goes quiet: every reading after a point moves later by the same stretch.
        if (random.nextDouble() < 0.4) {
            long at = random.nextInt(ticks) * 10 * S;
            long quiet = (60 + random.nextInt(600)) * S;
            for (int i = 0; i < made.size(); i++) {
                if (made.get(i).eventTime > at) {
                    made.get(i).eventTime += quiet;
                    arrival.set(i, arrival.get(i) + quiet);
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(arrival::get)); // stable: a sensor's readings of one time stay in order
        List<Step> steps = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        for (int i : order) {
            Reading r = made.get(i);
            if (r.eventTime > watermark) { // else late for the rules: the job's check upstream leaves it out
                steps.add(new Step(r, 0));
            }
            maxSeen = Math.max(maxSeen, r.eventTime);
            if (random.nextInt(4) == 0 && maxSeen - OUT_OF_ORDERNESS - 1 > watermark) {
                watermark = maxSeen - OUT_OF_ORDERNESS - 1;
                steps.add(new Step(null, watermark));
            }
        }
        return steps;
    }

    /**
     * {@code stream} moved to start well after everything in {@code before} (ten minutes after its
     * latest reading, so the sensors of {@code before} have gone quiet), its sensors renamed with
     * {@code prefix}: streams one after the other through one set of operators.
     */
    static List<Step> after(List<Step> before, String prefix, List<Step> stream) {
        long end = 0;
        for (Step s : before) {
            end = Math.max(end, s.reading() != null ? s.reading().eventTime : s.watermark());
        }
        long shift = before.isEmpty() ? 0 : end + 600 * S;
        List<Step> out = new ArrayList<>(stream.size());
        for (Step s : stream) {
            if (s.reading() == null) {
                out.add(new Step(null, s.watermark() + shift));
            } else {
                Reading r = copy(s.reading());
                r.sensorId = prefix + r.sensorId;
                r.eventTime += shift;
                if (r.lateForRules) {
                    r.judgedBy += shift;
                }
                out.add(new Step(r, 0));
            }
        }
        return out;
    }

    /** A fresh reading with {@code r}'s fields (a test's readings carry no others). */
    static Reading copy(Reading r) {
        Reading c = new Reading();
        c.sensorId = r.sensorId;
        c.sourceTopic = r.sourceTopic;
        c.sourcePartition = r.sourcePartition;
        c.eventTime = r.eventTime;
        c.seq = r.seq;
        c.temperature = r.temperature;
        c.humidity = r.humidity;
        c.lateForRules = r.lateForRules; // as the batching operator marked it (LateDifferentialTest)
        c.judgedBy = r.judgedBy;
        return c;
    }

    /**
     * The stream's readings that rules see, each once and in the job's order: by event time, a
     * sensor's readings of one time in the order they came, an exact repeat left out.
     */
    static List<Reading> inRuleOrder(List<Step> steps) {
        List<Reading> readings = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Step s : steps) {
            if (s.reading() != null && seen.add(s.reading().sensorId + "|" + s.reading().eventTime + "|" + s.reading().seq)) {
                readings.add(s.reading());
            }
        }
        readings.sort(Comparator.comparingLong(r -> r.eventTime)); // stable
        return readings;
    }

    /**
     * Runs {@code steps} through the job's operators ({@link AlertRulesHarness}) and returns every
     * alert. At each of {@code restores} (step indexes) it takes a snapshot, goes on with a few more
     * steps whose alerts are then lost, as in a failure, and restores from the snapshot into new
     * operators that replay the stream from there.
     */
    static List<Alert> throughTheJob(List<io.sensorflow.rules.Rule> rules, List<Step> steps,
            java.util.SortedSet<Integer> restores) throws Exception {
        List<Alert> alerts = new ArrayList<>();
        AlertRulesHarness h = new AlertRulesHarness(rules);
        long checkpoint = 0;
        try {
            for (int i = 0; i < steps.size(); i++) {
                if (restores.contains(i)) {
                    List<OperatorSubtaskState> snapshot = h.snapshot(++checkpoint);
                    alerts.addAll(h.takeAlerts());
                    for (int j = i; j < Math.min(steps.size(), i + 7); j++) {
                        feed(h, steps.get(j)); // after the checkpoint, lost in the failure
                    }
                    h.close();
                    h = new AlertRulesHarness(rules, snapshot);
                }
                feed(h, steps.get(i));
            }
            h.endOfInput();
            alerts.addAll(h.takeAlerts());
        } finally {
            h.close();
        }
        return alerts;
    }

    private static void feed(AlertRulesHarness h, Step s) throws Exception {
        if (s.reading() != null) {
            Reading r = s.reading();
            Reading fresh = copy(r); // the harness lends it a slot; a replay reads the record afresh
            h.reading(fresh);
        } else {
            h.watermark(s.watermark());
        }
    }
}
