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
 *       matched by the {@code resolveReadings}-th, or there is nothing to resolve;
 *   <li>while an episode is provably open ({@link Episodes}: open before this reading's time, no
 *       resolution at it), the first rising reading of a stretch and the readings without a rise
 *       after it, until the {@code resolveReadings}-th of those comes: they are held, and sent then,
 *       in order, before it (stamped with its time; the patterns read their own times). A stretch
 *       broken by a rise before then is dropped: its rising reading's match is no alert (an episode
 *       is open; a resolution at its time would come first only from this stretch's completion, or,
 *       with a cooldown, starts one), and readings broken off by a rise are part of no resolution.
 *       Without a cooldown, a stretch broken at its rising reading's own time is sent as it stands:
 *       a later stretch of that time may still resolve the episode, and then the first match of the
 *       time opens the next one. On a sensor whose
 *       rise never settles this sends CEP nothing while its episode is open, where it sent every
 *       break of a stretch and the first rising reading after it.
 * </ul>
 * The lifecycle then sees no match of the rule on such a sensor while the hold lasts, so an
 * episode held open longer than {@code --forget-sensor-after} (7 days) is forgotten there, as the
 * cep-rules README says of the matches left out while an episode is open.
 */
public final class RiseCandidates implements CandidateSelector<RiseCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 3;

    /** The most readings a hold can have: a rising one and {@code resolve.readings} (at most 1000) after it. */
    private static final int MAX_HELD = 1001;

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
        /**
         * The held stretch while an episode is provably open: its first rising reading, then the
         * readings without a rise after it (the first {@link RuleEvent#BACK}, the others
         * {@link RuleEvent#NORMAL}), each with the reading it is measured from; none when 0.
         */
        int heldCount;
        long[] heldTimes;
        double[] heldValues;
        long[] heldFromTimes;
        double[] heldFromValues;

        void hold(long t, double v, long fromTime, double fromValue, int capacity) {
            if (heldTimes == null || heldCount == heldTimes.length) { // grows only past capacity after a restore with another M
                int n = Math.max(capacity, heldCount + 1);
                heldTimes = java.util.Arrays.copyOf(heldTimes == null ? new long[0] : heldTimes, n);
                heldValues = java.util.Arrays.copyOf(heldValues == null ? new double[0] : heldValues, n);
                heldFromTimes = java.util.Arrays.copyOf(heldFromTimes == null ? new long[0] : heldFromTimes, n);
                heldFromValues = java.util.Arrays.copyOf(heldFromValues == null ? new double[0] : heldFromValues, n);
            }
            heldTimes[heldCount] = t;
            heldValues[heldCount] = v;
            heldFromTimes[heldCount] = fromTime;
            heldFromValues[heldCount] = fromValue;
            heldCount++;
        }

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
                if (s.heldCount > 0 && cooldownMs == 0 && s.heldTimes[0] == timestamp) {
                    // Broken at its rise's own time: a resolution may still come at that time, before which
                    // that first match of the time may open the next episode. Sent as it stands.
                    flush(s, sensorId, out);
                }
                s.heldCount = 0; // broken before it could resolve: resolves nothing, and its rise opened nothing
                Episodes ep = s.episodes;
                RuleEvent kept = ep.matched();
                if (kept != null) {
                    // A rise of this time kept back goes first: should a resolution at this time come,
                    // the first match of the time is the one that opens, and names, the next episode.
                    out.accept(kept);
                }
                if (ep.exact && ep.open && !ep.resolutionAt) {
                    s.hold(timestamp, value, fromTime, fromValue, resolveReadings + 1);
                    later = Episodes.LEAVE;
                }
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
            if (s.heldCount > 0) {
                s.hold(timestamp, value, fromTime, fromValue, resolveReadings + 1);
            } else if (s.unresolved) { // else no episode can be open: a resolution would change nothing
                out.accept(event(sensorId, timestamp, value, s.normalsPassed == 0 ? RuleEvent.BACK : RuleEvent.NORMAL,
                        fromTime, fromValue));
            }
            if (++s.normalsPassed == resolveReadings) {
                flush(s, sensorId, out); // a held stretch resolves: all of it, in order
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

    /** Sends the held stretch, if any, in order: its rising reading, then those without a rise. */
    private static void flush(State s, String sensorId, Consumer<RuleEvent> out) {
        for (int i = 0; i < s.heldCount; i++) {
            out.accept(event(sensorId, s.heldTimes[i], s.heldValues[i],
                    i == 0 ? RuleEvent.RISE : i == 1 ? RuleEvent.BACK : RuleEvent.NORMAL,
                    s.heldFromTimes[i], s.heldFromValues[i]));
        }
        s.heldCount = 0;
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
        // Kept while the episodes' life may still leave out a match (open, cooling down; for a state of
        // version 0 or 1, episodes unknown, until a cooldown after the latest reading).
        return (s.size == 0 || CandidateSelector.passedBy(watermark, s.lastTime, withinMs)) && !s.unresolved
                && s.episodes.isEmpty(watermark, cooldownMs, s.lastTime);
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
        out.writeInt(s.heldCount);
        for (int i = 0; i < s.heldCount; i++) {
            out.writeLong(s.heldTimes[i]);
            out.writeDouble(s.heldValues[i]);
            out.writeLong(s.heldFromTimes[i]);
            out.writeDouble(s.heldFromValues[i]);
        }
    }

    /**
     * Reads this version's form and the three before it: version 0 had no resolution (nothing is
     * due), neither it nor 1 followed the episodes (every match is sent, {@link Episodes#unknown}),
     * none held a stretch (what they sent reached CEP).
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
        if (version >= 3) {
            int held = in.readInt();
            if (held < 0 || held > MAX_HELD) { // resolve.readings is at most 1000: a stretch and its breaks
                throw new IOException("rise rule state holds " + held + " readings, at most " + MAX_HELD + " can be held");
            }
            for (int i = 0; i < held; i++) {
                s.hold(in.readLong(), in.readDouble(), in.readLong(), in.readDouble(), resolveReadings + 1);
            }
        }
        return s;
    }
}
