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
 * {@link RulePatterns#riseResolved}) decide on what the events carry; what is left out, and why
 * that cannot change an alert:
 * <ul>
 *   <li>a rising reading that provably opens no episode ({@link Episodes#later}: one is open and
 *       nothing at its time can close it, or a cooldown lasts, or an earlier match of its time is
 *       the one that decides); one that may open only if a resolution comes at its time is kept
 *       until the time is decided ({@link Episodes#deferred});
 *   <li>readings without a rise but the {@code resolve.readings}-th in a row after a rising one,
 *       while an episode may be open (a rise since the last resolution), which carries its stretch:
 *       the rising reading before it, with the reading that one rose from
 *       ({@link RuleEvent#metTime} and after), its place in the stretch ({@link RuleEvent#runLength})
 *       and the stretch's first reading ({@link RuleEvent#episodeStart}). The resolving pattern is
 *       that one event; the selector counts the stretch, since most of it is behind the watermark.
 * </ul>
 * The lifecycle then sees no match of the rule on such a sensor while an episode is open, so an
 * episode open longer than {@code --forget-sensor-after} (7 days) is forgotten there, as the
 * cep-rules README says of the matches left out while an episode is open.
 */
public final class RiseCandidates implements CandidateSelector<RiseCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 4;

    /** The most readings a version-3 state could hold: a rising one and {@code resolve.readings} (at most 1000) after it. */
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

    /** Per sensor: a queue of (time, value), ascending in both, and the stretch without a rise after the last rising reading. */
    public static final class State {
        long[] times = new long[4];
        double[] values = new double[4];
        int head;
        int size;
        long lastTime = Long.MIN_VALUE;
        /**
         * The rule's episodes on the sensor, as far as the selector can tell, and whether a rise came
         * since the last resolution: only then can readings without one close an episode.
         */
        Episodes episodes = new Episodes();
        /** Readings without a rise since the last rising one, up to {@code resolveReadings} (fresh: none due). */
        int normalsPassed = Integer.MAX_VALUE;
        /** The last rising reading and the reading it rose from, which a stretch without a rise follows ({@link RuleEvent#NONE}: not known). */
        long metTime = RuleEvent.NONE;
        double metValue;
        long metFromTime = RuleEvent.NONE;
        double metFromValue;
        /** The time of the stretch's first reading without a rise. */
        long stretchStart;

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
        Episodes ep = s.episodes;
        ep.at(timestamp, cooldownMs);
        while (s.size > 0 && timestamp - s.time(0) >= withinMs) {
            s.pollFirst();
        }
        long fromTime = s.size > 0 ? s.time(0) : RuleEvent.NONE;
        double fromValue = s.size > 0 ? s.value(0) : Double.NaN;
        if (RulePatterns.rises(rule, timestamp, value, fromTime, fromValue)) {
            int decision = ep.match(false, timestamp, cooldownMs, out); // sent only when it may open
            if (decision != Episodes.LEAVE) {
                ep.pick(decision, event(sensorId, timestamp, value, RuleEvent.RISE, fromTime, fromValue), out);
            }
            s.normalsPassed = 0;
            s.metTime = timestamp;
            s.metValue = value;
            s.metFromTime = fromTime;
            s.metFromValue = fromValue;
        } else if (s.normalsPassed < resolveReadings) {
            if (s.normalsPassed == 0) {
                s.stretchStart = timestamp;
            }
            int place = ++s.normalsPassed;
            if (place == resolveReadings && s.metTime != RuleEvent.NONE) {
                if (ep.unresolved) { // else no episode can be open: a resolution would change nothing
                    RuleEvent e = event(sensorId, timestamp, value, place == 1 ? RuleEvent.BACK : RuleEvent.NORMAL,
                            fromTime, fromValue);
                    e.episodeStart = s.stretchStart;
                    e.runLength = place;
                    e.metTime = s.metTime;
                    e.metValue = s.metValue;
                    e.metFromTime = s.metFromTime;
                    e.metFromValue = s.metFromValue;
                    out.accept(e);
                }
                ep.resolution(timestamp, out); // a rise of this time kept back goes now: it opens once this closed the episode
            }
        }
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
        // Kept while the episodes' life may still leave out a match (open, cooling down; for a state of
        // version 0 or 1, episodes unknown, until a cooldown after the latest reading).
        return (s.size == 0 || CandidateSelector.passedBy(watermark, s.lastTime, withinMs)) && !s.episodes.unresolved
                && s.episodes.isEmpty(watermark, cooldownMs, s.lastTime);
    }

    @Override
    public void write(State s, DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION_MARK + FORMAT_VERSION);
        out.writeLong(s.lastTime);
        out.writeInt(s.size);
        for (int i = 0; i < s.size; i++) {
            out.writeLong(s.time(i));
            out.writeDouble(s.value(i));
        }
        out.writeInt(s.normalsPassed);
        s.episodes.writeWithMatches(out);
        out.writeLong(s.metTime);
        out.writeDouble(s.metValue);
        out.writeLong(s.metFromTime);
        out.writeDouble(s.metFromValue);
        out.writeLong(s.stretchStart);
    }

    /**
     * Reads this version's form and the four before it: version 0 had no resolution (nothing is
     * due), neither it nor 1 followed the episodes (every match is sent, {@link Episodes#unknown}).
     * None before 4 counted the stretch for a one-event resolution: a stretch in progress whose
     * readings went to the resolving pattern of the form before (whose operator does not restore
     * into this one, {@link CompiledRule#resolutionUid}) resolves nothing, as that pattern's partial
     * match is gone; the next stretch does. Version 3's stretch held toward a resolution (its
     * rising reading, then the readings without a rise after it) reached no CEP and is counted on.
     * Versions before 4 also wrote whether a rise was going on, which nothing needs any more.
     */
    @Override
    public State read(DataInput in) throws IOException {
        State s = new State();
        int first = in.readUnsignedByte();
        int version = CandidateSelector.formatVersion(first, FORMAT_VERSION, "rise rule state");
        if (version >= 1 && version <= 3) {
            in.readBoolean(); // rising
        }
        s.lastTime = in.readLong();
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            s.push(in.readLong(), in.readDouble());
        }
        if (version >= 1) {
            s.normalsPassed = in.readInt();
            s.episodes = Episodes.readWithMatches(in, version >= 2); // version 1 did not follow the episodes
        } else {
            s.episodes = Episodes.unknown();
        }
        if (version >= 4) {
            s.metTime = in.readLong();
            s.metValue = in.readDouble();
            s.metFromTime = in.readLong();
            s.metFromValue = in.readDouble();
            s.stretchStart = in.readLong();
        } else if (version == 3) {
            int held = in.readInt();
            if (held < 0 || held > MAX_HELD) { // resolve.readings is at most 1000: a stretch and its breaks
                throw new IOException("rise rule state holds " + held + " readings, at most " + MAX_HELD + " can be held");
            }
            for (int i = 0; i < held; i++) {
                long t = in.readLong();
                double v = in.readDouble();
                long ft = in.readLong();
                double fv = in.readDouble();
                if (i == 0) {
                    s.metTime = t;
                    s.metValue = v;
                    s.metFromTime = ft;
                    s.metFromValue = fv;
                } else if (i == 1) {
                    s.stretchStart = t;
                }
            }
        }
        return s;
    }
}
