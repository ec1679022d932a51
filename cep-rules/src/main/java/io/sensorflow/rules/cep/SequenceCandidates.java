package io.sensorflow.rules.cep;

import io.sensorflow.rules.SequenceRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings of a sequence rule's metric that can change one of its alerts, for its two patterns
 * ({@link RulePatterns#sequence}, {@link RulePatterns#resolved}); the rest are left out. It
 * decides nothing: the patterns do, on the readings' values and times. What it leaves out, and why
 * that cannot change a match:
 * <ul>
 *   <li>the first {@code count - 1} readings of a run past the threshold while no episode can be
 *       open, until the run has {@code count}: a match is {@code count} readings of one run, so a
 *       run broken before then is part of none, and with no episode open its readings resolve
 *       nothing either. When the {@code count}-th comes they are sent, in order, before it, stamped
 *       with its time (they are behind the watermark by then; the pattern reads their own times);
 *   <li>readings within the threshold other than the first after a run that was sent (it ends the
 *       run for the firing pattern) and, while an episode may be open (a run of {@code count} since
 *       the last resolution), the first {@code resolveReadings} after one past it (those resolve):
 *       the firing pattern needs no more than one to end a run, and a resolution has matched at the
 *       {@code resolveReadings}-th, or there is nothing to resolve.
 * </ul>
 * Every reading past the threshold of a run that reached {@code count} is sent: the run may match
 * at each of them ({@code within} is for the pattern to judge), and which match makes an alert is
 * the episode's life, kept downstream.
 */
public final class SequenceCandidates implements CandidateSelector<SequenceCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 2;

    private final int count;
    private final int resolveReadings;
    private final SequenceRule rule;

    public SequenceCandidates(SequenceRule rule) {
        this.rule = rule;
        this.count = rule.count();
        this.resolveReadings = rule.resolveReadings();
    }

    /** Per sensor: the run in progress, if any, its readings held, and how many readings within the threshold followed the last extreme one. */
    public static final class State {
        boolean inRun;
        /** Whether the run's readings go to the patterns (it reached {@code count}, or began while an episode may be open). */
        boolean sent;
        long runStart;
        /**
         * Which run starting at {@code runStart} this is (in the checkpoint since version 2: a run that
         * began in a burst of readings at one time may make its alert after a restore).
         */
        int runOrdinal;
        /** Whether a run started since this state was made. */
        boolean started;
        /** The run's length, up to {@code count}. */
        int length;
        /** The run's first readings, held while it is not {@link #sent}: {@code length} of them. */
        long[] heldTimes;
        double[] heldValues;
        /** Readings within the threshold since the last extreme one, up to {@code resolveReadings} (fresh: none due). */
        int normalsPassed = Integer.MAX_VALUE;
        /** Whether a run reached {@code count} since the last resolution: only then can an episode be open. */
        boolean unresolved;
        /**
         * The time of the last reading of a run of {@code count} (a match may be there). A resolution at
         * that same time does not end its episode: at one event time resolutions are taken before matches.
         */
        long lastMatchTime = Long.MIN_VALUE;
    }

    @Override
    public State newState() {
        return new State();
    }

    @Override
    public void accept(State s, String sensorId, long timestamp, double value, Consumer<RuleEvent> out) {
        if (Double.isNaN(value)) {
            return; // no reading of this metric: neither extends nor breaks a run
        }
        if (!rule.isExtreme(value)) {
            if (s.normalsPassed < resolveReadings) {
                // The first ends a run that was sent; only while an episode may be open do the next ones follow.
                if (s.normalsPassed == 0 && s.sent || s.unresolved) {
                    out.accept(RuleEvent.of(sensorId, timestamp, value,
                            s.normalsPassed == 0 ? RuleEvent.BACK : RuleEvent.NORMAL, timestamp));
                }
                if (++s.normalsPassed == resolveReadings && timestamp > s.lastMatchTime) {
                    s.unresolved = false;
                }
            }
            s.inRun = false;
            s.sent = false;
            s.length = 0;
            return;
        }
        s.normalsPassed = 0;
        if (!s.inRun) {
            s.inRun = true;
            s.runOrdinal = s.started && s.runStart == timestamp ? s.runOrdinal + 1 : 0;
            s.started = true;
            s.runStart = timestamp;
            s.length = 0;
            s.sent = s.unresolved; // an episode may be open: the run's readings may break its resolution
        }
        if (s.length < count) {
            s.length++;
        }
        if (!s.sent && s.length < count) {
            if (s.heldTimes == null) {
                s.heldTimes = new long[count - 1];
                s.heldValues = new double[count - 1];
            }
            s.heldTimes[s.length - 1] = timestamp;
            s.heldValues[s.length - 1] = value;
            return;
        }
        if (!s.sent) { // the count-th: what was held goes first, in order
            for (int i = 0; i < s.length - 1; i++) {
                out.accept(RuleEvent.of(sensorId, s.heldTimes[i], s.heldValues[i], RuleEvent.EXTREME, s.runStart, s.runOrdinal));
            }
            s.sent = true;
        }
        out.accept(RuleEvent.of(sensorId, timestamp, value, RuleEvent.EXTREME, s.runStart, s.runOrdinal));
        if (s.length >= count) {
            s.unresolved = true;
            s.lastMatchTime = timestamp;
        }
    }

    @Override
    public boolean isEmpty(State s, long watermark) {
        return !s.inRun && !s.unresolved;
    }

    @Override
    public void write(State s, DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION_MARK + FORMAT_VERSION);
        out.writeBoolean(s.inRun);
        out.writeBoolean(s.sent);
        out.writeBoolean(s.started);
        out.writeLong(s.runStart);
        out.writeInt(s.runOrdinal);
        out.writeInt(s.length);
        int held = s.sent ? 0 : s.length;
        out.writeInt(held);
        for (int i = 0; i < held; i++) {
            out.writeLong(s.heldTimes[i]);
            out.writeDouble(s.heldValues[i]);
        }
        out.writeInt(s.normalsPassed);
        out.writeBoolean(s.unresolved);
        out.writeLong(s.lastMatchTime);
    }

    /**
     * Reads this version's form and the two before it. Those sent every reading of a run to the
     * patterns, up to its match, and tracked the run's last {@code count} times for its
     * {@code within}: a run restored from them goes on being sent (its first readings reached CEP).
     * Version 0 had no resolution: a run in progress needs its breaker, and nothing else is due.
     */
    @Override
    public State read(DataInput in) throws IOException {
        State s = new State();
        int first = in.readUnsignedByte();
        int version = CandidateSelector.formatVersion(first, FORMAT_VERSION, "sequence rule state");
        s.inRun = version == 0 ? first == 1 : in.readBoolean();
        if (version >= 2) {
            s.sent = in.readBoolean();
            s.started = in.readBoolean();
            s.runStart = in.readLong();
            s.runOrdinal = in.readInt();
            s.length = in.readInt();
            int held = in.readInt();
            if (held > 0) {
                s.heldTimes = new long[count - 1];
                s.heldValues = new double[count - 1];
            }
            for (int i = 0; i < held; i++) {
                long t = in.readLong();
                double v = in.readDouble();
                if (i < count - 1) {
                    s.heldTimes[i] = t;
                    s.heldValues[i] = v;
                }
            }
            s.length = Math.min(s.length, count);
        } else {
            in.readBoolean(); // whether the run had matched
            s.runStart = in.readLong();
            int length = in.readInt();
            for (int i = Math.max(0, length - count); i < length; i++) {
                in.readLong();
            }
            s.length = Math.min(length, count);
            s.sent = s.inRun;
        }
        // In a run, the last reading was extreme; otherwise no episode could be open before version 1.
        s.normalsPassed = version >= 1 ? in.readInt() : s.inRun ? 0 : Integer.MAX_VALUE;
        s.unresolved = version >= 1 && in.readBoolean();
        if (version >= 1) {
            s.lastMatchTime = in.readLong();
        }
        return s;
    }
}
