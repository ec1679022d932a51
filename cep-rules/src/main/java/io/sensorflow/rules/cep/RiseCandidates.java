package io.sensorflow.rules.cep;

import io.sensorflow.rules.RiseRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings of a rise rule's metric that can change one of its alerts, each carrying the
 * reading it may rise from: the lowest of the sensor's readings less than {@code within} before it
 * (on equal values the later), kept with a monotonic queue (ascending values), so each reading
 * costs O(1) amortized and the state holds at most the readings of one window. CEP cannot take
 * that reading from the stream itself: it is usually behind the watermark by the time the rise
 * shows, and CEP drops such records as late. The patterns ({@link RulePatterns#rise},
 * {@link RulePatterns#resolved}) decide on what the events carry; what is left out, and why that
 * cannot change an alert:
 * <ul>
 *   <li>a rising reading after the first of a stretch of them, when it provably opens no episode
 *       ({@link Episodes}: one is open and nothing at its time can close it, or a cooldown lasts,
 *       or an earlier match of its time is the one that decides); the first of each stretch is
 *       sent, as the resolution pattern needs a rising reading right before the readings that
 *       resolve;
 *   <li>readings without a rise other than the first {@code resolveReadings} after a rising one
 *       while an episode may be open (a match since the last resolution): the resolution has
 *       matched by the {@code resolveReadings}-th, or there is nothing to resolve.
 * </ul>
 */
public final class RiseCandidates implements CandidateSelector<RiseCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 2;

    private final RiseRule rule;
    private final long withinMs;
    private final int resolveReadings;
    private final long cooldownMs;

    public RiseCandidates(RiseRule rule) {
        this.rule = rule;
        this.withinMs = rule.within().toMillis();
        this.resolveReadings = rule.resolveReadings();
        this.cooldownMs = rule.cooldown().toMillis();
    }

    /** Per sensor: a queue of (time, value), ascending in both, and whether a rise is going on. */
    public static final class State {
        long[] times = new long[4];
        double[] values = new double[4];
        int head;
        int size;
        boolean rising;
        long lastTime = Long.MIN_VALUE;
        /** The rule's episodes on the sensor, as far as the selector can tell. */
        Episodes episodes = new Episodes();
        /** Readings without a rise since the last rising one, up to {@code resolveReadings} (fresh: none due). */
        int normalsPassed = Integer.MAX_VALUE;
        /** Whether a rise began since the last resolution: only then can readings without one close an episode. */
        boolean unresolved;
        /**
         * The time of the last match. A resolution at that same time does not end its episode: at one
         * event time resolutions are taken before matches.
         */
        long lastMatchTime = Long.MIN_VALUE;

        // Capacity is a power of two, so positions wrap with a mask.
        long time(int i) {
            return times[(head + i) & (times.length - 1)];
        }

        double value(int i) {
            return values[(head + i) & (values.length - 1)];
        }

        void pollFirst() {
            head = (head + 1) & (times.length - 1);
            size--;
        }

        void push(long t, double v) {
            if (size == times.length) {
                long[] nt = new long[size * 2];
                double[] nv = new double[size * 2];
                for (int i = 0; i < size; i++) {
                    nt[i] = time(i);
                    nv[i] = value(i);
                }
                times = nt;
                values = nv;
                head = 0;
            }
            int at = (head + size) & (times.length - 1);
            times[at] = t;
            values[at] = v;
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
            return;
        }
        s.lastTime = timestamp;
        s.episodes.at(timestamp, cooldownMs);
        while (s.size > 0 && timestamp - s.time(0) >= withinMs) {
            s.pollFirst();
        }
        long fromTime = s.size > 0 ? s.time(0) : RuleEvent.NONE;
        double fromValue = s.size > 0 ? s.value(0) : Double.NaN;
        boolean rises = RulePatterns.rises(rule, timestamp, value, fromTime, fromValue);
        if (rises) {
            int later = Episodes.SEND;
            if (!s.rising) {
                s.episodes.matched();
            } else {
                later = s.episodes.later(cooldownMs);
            }
            if (later != Episodes.LEAVE) {
                RuleEvent e = event(sensorId, timestamp, value, RuleEvent.RISE, fromTime, fromValue);
                if (later == Episodes.SEND) {
                    out.accept(e);
                } else {
                    s.episodes.deferred = e;
                }
            }
            s.unresolved = true;
            s.lastMatchTime = timestamp;
            s.normalsPassed = 0;
        } else if (s.normalsPassed < resolveReadings) {
            if (s.unresolved) { // else no episode can be open: a resolution would change nothing
                out.accept(event(sensorId, timestamp, value, s.normalsPassed == 0 ? RuleEvent.BACK : RuleEvent.NORMAL,
                        fromTime, fromValue));
            }
            if (++s.normalsPassed == resolveReadings) {
                RuleEvent deferred = s.episodes.resolved();
                if (deferred != null) {
                    out.accept(deferred); // a rise of this time that opens once the resolution closed the episode
                }
                if (timestamp > s.lastMatchTime) {
                    s.unresolved = false;
                }
            }
        }
        s.rising = rises;
        while (s.size > 0 && s.value(s.size - 1) >= value) {
            s.size--;
        }
        s.push(timestamp, value);
    }

    private static RuleEvent event(String sensorId, long timestamp, double value, byte kind, long fromTime, double fromValue) {
        RuleEvent e = RuleEvent.of(sensorId, timestamp, value, kind, timestamp);
        e.fromTime = fromTime;
        e.fromValue = fromValue;
        return e;
    }

    @Override
    public boolean isEmpty(State s, long watermark) {
        // Every reading still to come is after the watermark, so once the last one is a whole window
        // behind it nothing kept can be a starting point; a rise still open then ends with the
        // next reading anyway, which has nothing to rise from. Readings due to a resolution keep it.
        // Kept while the episodes' life may still leave out a match (open, cooling down).
        return (s.size == 0 || CandidateSelector.passedBy(watermark, s.lastTime, withinMs)) && !s.unresolved
                && s.episodes.isEmpty(watermark, cooldownMs);
    }

    @Override
    public void write(State s, DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION_MARK + FORMAT_VERSION);
        out.writeBoolean(s.rising);
        out.writeLong(s.lastTime);
        out.writeInt(s.size);
        for (int i = 0; i < s.size; i++) {
            out.writeLong(s.time(i));
            out.writeDouble(s.value(i));
        }
        out.writeInt(s.normalsPassed);
        out.writeBoolean(s.unresolved);
        out.writeLong(s.lastMatchTime);
        s.episodes.write(out);
    }

    /**
     * Reads this version's form and the two before it: version 0 had no resolution (nothing is
     * due), neither followed the episodes (every match is sent, {@link Episodes#unknown}).
     */
    @Override
    public State read(DataInput in) throws IOException {
        State s = new State();
        int first = in.readUnsignedByte();
        int version = CandidateSelector.formatVersion(first, FORMAT_VERSION, "rise rule state");
        s.rising = version == 0 ? first == 1 : in.readBoolean();
        s.lastTime = in.readLong();
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            s.push(in.readLong(), in.readDouble());
        }
        if (version >= 1) {
            s.normalsPassed = in.readInt();
            s.unresolved = in.readBoolean();
            s.lastMatchTime = in.readLong();
        }
        s.episodes = version >= 2 ? Episodes.read(in) : Episodes.unknown();
        return s;
    }
}
