package io.sensorflow.rules.cep;

import io.sensorflow.rules.OutlierRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings an outlier rule's two patterns need. Per sensor it keeps the window (the last
 * {@code N} values, or the times and values of the last {@code D}, in a ring of primitives) and,
 * for each reading, computes the window's mean and sample standard deviation as the rule defines
 * them (oldest first, cep-rules/README). Every outlier is a match of the firing pattern
 * ({@link RulePatterns#outlier}); what is left out, and why that cannot change an alert:
 * <ul>
 *   <li>an outlier after the first of a stretch of them, when it provably opens no episode
 *       ({@link Episodes}: one is open and nothing at its time can close it, or a cooldown lasts,
 *       or an earlier match of its time is the one that decides); the first of each stretch is
 *       sent, carrying its window's statistics ({@link RuleEvent#OUTLIER}), as the resolution
 *       pattern needs an outlier right before the readings that resolve;
 *   <li>readings that are no outlier other than the first {@code resolveReadings} after an outlier
 *       while an episode may be open (an outlier since the last resolution; {@link RuleEvent#BACK},
 *       then {@link RuleEvent#NORMAL}): the resolution has matched by the
 *       {@code resolveReadings}-th, or there is nothing to resolve.
 * </ul>
 * So CEP sees about two events per stretch of outliers, not one per reading, and keeps no partial
 * match but a resolution's.
 *
 * <p>The state per sensor is bounded whatever the input: a window of {@code N} readings keeps at
 * most {@code N} values (N at most 1,000); a duration window at most
 * {@value OutlierRule#MAX_WINDOW_READINGS} (time, value) pairs: past that the oldest goes, so the
 * window of a sensor that sends more than 1,000 readings within {@code D} is its last 1,000 readings
 * (the rule's definition says so, and the oracle does the same). The work per reading is
 * proportional to the window's size (two passes over it, to compute the statistics in one order).
 */
public final class OutlierCandidates implements CandidateSelector<OutlierCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 2;

    private final OutlierRule rule;
    /** How many readings the window keeps at most. */
    private final int capacity;
    /** The window's duration, or 0 for a window of readings. */
    private final long durationMs;
    private final int minReadings;
    private final int resolveReadings;
    private final long cooldownMs;

    public OutlierCandidates(OutlierRule rule) {
        this.rule = rule;
        this.capacity = rule.byReadings() ? rule.windowReadings() : OutlierRule.MAX_WINDOW_READINGS;
        this.durationMs = rule.byReadings() ? 0 : rule.windowDuration().toMillis();
        this.minReadings = rule.minReadings();
        this.resolveReadings = rule.resolveReadings();
        this.cooldownMs = rule.cooldown().toMillis();
    }

    /** Per sensor: the window, oldest first, in a ring that grows up to the rule's capacity; and the episode's bookkeeping. */
    public static final class State {
        double[] values;
        /** The readings' times, for a duration window only. */
        long[] times;
        int head;
        int size;
        /** Whether the last reading was an outlier: the next one is then no first of a stretch. */
        boolean lastOutlier;
        long lastTime = Long.MIN_VALUE;
        /** The rule's episodes on the sensor, as far as the selector can tell. */
        Episodes episodes = new Episodes();
        /** Readings that are no outlier since the last one that was, up to {@code resolveReadings} (fresh: none due). */
        int normalsPassed = Integer.MAX_VALUE;

        private int at(int i) {
            int j = head + i;
            return j >= values.length ? j - values.length : j;
        }

        double value(int i) {
            return values[at(i)];
        }

        long time(int i) {
            return times[at(i)];
        }

        void pollFirst() {
            head = at(1);
            size--;
        }

        /** Appends a reading, dropping the oldest when {@code capacity} are kept. */
        void push(long t, double v, int capacity, boolean timed) {
            if (size == capacity) {
                pollFirst();
            } else if (values == null || size == values.length) {
                int grown = values == null ? Math.min(capacity, 8) : Math.min(capacity, values.length * 2);
                double[] nv = new double[grown];
                long[] nt = timed ? new long[grown] : null;
                for (int i = 0; i < size; i++) {
                    nv[i] = value(i);
                    if (timed) {
                        nt[i] = time(i);
                    }
                }
                values = nv;
                times = nt;
                head = 0;
            }
            int at = at(size);
            values[at] = v;
            if (timed) {
                times[at] = t;
            }
            size++;
        }
    }

    @Override
    public State newState() {
        return new State();
    }

    @Override
    public void accept(State s, String sensorId, long timestamp, double value, Consumer<RuleEvent> out) {
        if (Double.isNaN(value)) {
            return; // no reading of this metric: not in any window, and neither an outlier nor a normal reading
        }
        s.lastTime = timestamp;
        s.episodes.at(timestamp, cooldownMs);
        int n = s.size;
        if (durationMs > 0) {
            while (s.size > 0 && timestamp - s.time(0) > durationMs) {
                s.pollFirst(); // before timestamp - D: in no later window either
            }
            n = s.size;
            while (n > 0 && s.time(n - 1) >= timestamp) {
                n--; // readings at this very time are not before it: [r - D, r)
            }
        }
        boolean outlier = false;
        double mean = 0;
        double sd = 0;
        if (n >= minReadings) { // else no outlier, whatever the statistics (and n >= 2 below)
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += s.value(i);
            }
            mean = sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double d = s.value(i) - mean;
                squares += d * d;
            }
            sd = Math.sqrt(squares / (n - 1));
            outlier = rule.isOutlier(value, n, mean, sd);
        }
        if (outlier) {
            int decision = s.episodes.match(!s.lastOutlier, timestamp, cooldownMs, out);
            if (decision != Episodes.LEAVE) {
                // Only the first match of a time may open an episode, so its time names the episode.
                RuleEvent e = RuleEvent.of(sensorId, timestamp, value, RuleEvent.OUTLIER, timestamp);
                e.windowReadings = n;
                e.windowMean = mean;
                e.windowSd = sd;
                s.episodes.pick(decision, e, out);
            }
            s.normalsPassed = 0;
        } else if (s.normalsPassed < resolveReadings) {
            if (s.episodes.unresolved) { // else no episode can be open: a resolution would change nothing
                out.accept(RuleEvent.of(sensorId, timestamp, value,
                        s.normalsPassed == 0 ? RuleEvent.BACK : RuleEvent.NORMAL, timestamp));
            }
            if (++s.normalsPassed == resolveReadings) {
                s.episodes.resolution(timestamp, out);
            }
        }
        s.lastOutlier = outlier;
        s.push(timestamp, value, capacity, durationMs > 0);
    }

    @Override
    public boolean isEmpty(State s, long watermark) {
        // Every reading still to come is after the watermark: once the last one kept is a whole
        // duration behind it, no later window holds any of them, and a reading with an empty window
        // is no outlier, as with a fresh state. A window of readings has no such end. Readings due
        // to a resolution keep the state, and so does an episodes' life that may still leave out a
        // match (open, cooling down; for a state of version 1, episodes unknown, until a cooldown
        // after the latest reading).
        return (s.size == 0 || durationMs > 0 && CandidateSelector.passedBy(watermark, s.lastTime, durationMs)) && !s.episodes.unresolved
                && s.episodes.isEmpty(watermark, cooldownMs, s.lastTime);
    }

    @Override
    public void write(State s, DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION_MARK + FORMAT_VERSION);
        out.writeBoolean(s.lastOutlier);
        out.writeLong(s.lastTime);
        out.writeBoolean(s.times != null);
        out.writeInt(s.size);
        for (int i = 0; i < s.size; i++) {
            if (s.times != null) {
                out.writeLong(s.time(i));
            }
            out.writeDouble(s.value(i));
        }
        out.writeInt(s.normalsPassed);
        s.episodes.writeWithMatches(out);
    }

    @Override
    public State read(DataInput in) throws IOException {
        int version = CandidateSelector.formatVersion(in.readUnsignedByte(), FORMAT_VERSION, "outlier rule state");
        if (version == 0) {
            throw new IOException("outlier rule state without a format version: outlier rules were versioned from the start");
        }
        State s = new State();
        s.lastOutlier = in.readBoolean();
        s.lastTime = in.readLong();
        boolean timed = in.readBoolean();
        int size = in.readInt();
        if (size < 0 || size > OutlierRule.MAX_WINDOW_READINGS) {
            throw new IOException("outlier rule state with a window of " + size + " readings, more than "
                    + OutlierRule.MAX_WINDOW_READINGS);
        }
        for (int i = 0; i < size; i++) {
            long t = timed ? in.readLong() : 0;
            s.push(t, in.readDouble(), capacity, durationMs > 0);
        }
        s.normalsPassed = in.readInt();
        // Version 1 sent the first outlier of each stretch only and did not follow the episodes:
        // from it every outlier is sent (Episodes.unknown).
        s.episodes = Episodes.readWithMatches(in, version >= 2);
        return s;
    }
}
