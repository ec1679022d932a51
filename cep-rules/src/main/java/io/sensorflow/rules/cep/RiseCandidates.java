package io.sensorflow.rules.cep;

import io.sensorflow.rules.RiseRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings a rise rule's two patterns need: the first reading of each stretch of rising
 * readings, carrying the reading it rose from, and, while a rise began since the last resolution,
 * the first {@code resolveReadings} readings after a rising one that do not rise (that many in a
 * row resolve an episode; the rest, and resolutions with no rise since the last, change no alert). The lowest reading of the last {@code within} is kept with a monotonic
 * queue (ascending values; on equal values the later reading wins), so each reading costs O(1)
 * amortized and the state holds at most the readings of one window.
 *
 * <p>CEP cannot take the starting point of a rise from the stream itself: that reading is
 * usually behind the watermark by the time the rise shows, and CEP drops such records as late.
 */
public final class RiseCandidates implements CandidateSelector<RiseCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 1;

    private final double by;
    private final long withinMs;
    private final int resolveReadings;

    public RiseCandidates(RiseRule rule) {
        this.by = rule.by();
        this.withinMs = rule.within().toMillis();
        this.resolveReadings = rule.resolveReadings();
    }

    /** Per sensor: a queue of (time, value), ascending in both, and whether a rise is going on. */
    public static final class State {
        long[] times = new long[4];
        double[] values = new double[4];
        int head;
        int size;
        boolean rising;
        long lastTime = Long.MIN_VALUE;
        /**
         * The start of the last rise episode and which of those starting then it was. Not in the
         * checkpoint: episodes can share a start only when their readings share one time, and a
         * sensor's readings at one time are all released at once, between two checkpoints.
         */
        long episodeStart = Long.MIN_VALUE;
        int episodeOrdinal;
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
        while (s.size > 0 && timestamp - s.time(0) >= withinMs) {
            s.pollFirst();
        }
        boolean rises = s.size > 0 && value - s.value(0) >= by;
        if (rises && !s.rising) {
            s.episodeOrdinal = s.episodeStart == timestamp ? s.episodeOrdinal + 1 : 0;
            s.episodeStart = timestamp;
            RuleEvent e = RuleEvent.of(sensorId, timestamp, value, RuleEvent.RISE, timestamp, s.episodeOrdinal);
            e.fromTime = s.time(0);
            e.fromValue = s.value(0);
            out.accept(e);
            s.unresolved = true;
            s.lastMatchTime = timestamp;
        }
        if (rises) {
            s.normalsPassed = 0;
        } else if (s.normalsPassed < resolveReadings) {
            if (s.unresolved) { // else no episode can be open: a resolution would change nothing
                out.accept(RuleEvent.of(sensorId, timestamp, value,
                        s.normalsPassed == 0 ? RuleEvent.BACK : RuleEvent.NORMAL, timestamp));
            }
            if (++s.normalsPassed == resolveReadings && timestamp > s.lastMatchTime) {
                s.unresolved = false;
            }
        }
        s.rising = rises;
        while (s.size > 0 && s.value(s.size - 1) >= value) {
            s.size--;
        }
        s.push(timestamp, value);
    }

    @Override
    public boolean isEmpty(State s, long watermark) {
        // Every reading still to come is after the watermark, so once the last one is a whole window
        // behind it nothing kept can be a starting point; a rise still open then ends with the
        // next reading anyway, which has nothing to rise from. Readings due to a resolution keep it.
        return (s.size == 0 || watermark - s.lastTime >= withinMs) && !s.unresolved;
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
    }

    /** Reads this version's form and the unversioned one before it, which had no resolution: nothing is due. */
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
        return s;
    }
}
