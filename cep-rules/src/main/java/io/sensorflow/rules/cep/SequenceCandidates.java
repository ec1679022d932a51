package io.sensorflow.rules.cep;

import io.sensorflow.rules.SequenceRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings a sequence rule's two patterns need: the extreme readings of a run up to the one
 * that completes the firing pattern, the first reading within the threshold after an extreme one
 * (it ends a run), and, while a run has matched since the last resolution, the next ones up to
 * {@code resolveReadings} (that many in a row resolve an episode). The rest cannot change an
 * alert: the rest of a run that has matched (its first readings already broke any resolution in
 * progress), readings within the threshold past the first {@code resolveReadings} (the resolution
 * has matched by then), and resolutions with no match since the last one (no episode can be open).
 *
 * <p>It tracks the last {@code count} timestamps of the run to know when the firing pattern
 * matches (the same test as {@code within}: last - first &lt; within).
 */
public final class SequenceCandidates implements CandidateSelector<SequenceCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 1;

    private final int count;
    private final long withinMs;
    private final int resolveReadings;
    private final SequenceRule rule;

    public SequenceCandidates(SequenceRule rule) {
        this.rule = rule;
        this.count = rule.count();
        this.withinMs = rule.within().toMillis();
        this.resolveReadings = rule.resolveReadings();
    }

    /** Per sensor: the run in progress, if any, and how many readings within the threshold followed the last extreme one. */
    public static final class State {
        boolean inRun;
        boolean matched;
        long runStart;
        /**
         * Which run starting at {@code runStart} this is. Not in the checkpoint: runs can share a
         * start only when their readings share one time, and a sensor's readings at one time are all
         * released at once, between two checkpoints.
         */
        int runOrdinal;
        /** Whether a run started since this state was made (also not in the checkpoint). */
        boolean started;
        /** Timestamps of the run's last {@code count} extreme readings, a ring. */
        long[] recent;
        int length;
        /** Readings within the threshold since the last extreme one, up to {@code resolveReadings} (fresh: none due). */
        int normalsPassed = Integer.MAX_VALUE;
        /** Whether a run matched since the last resolution: only then can readings within the threshold close an episode. */
        boolean unresolved;
        /**
         * The time of the last match. A resolution at that same time does not end its episode: at one
         * event time resolutions are taken before matches.
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
                // The first ends a run for the firing pattern; only while an episode may be open does it
                // start a resolution (BACK), and do the next ones follow.
                if (s.normalsPassed == 0 || s.unresolved) {
                    out.accept(RuleEvent.of(sensorId, timestamp, value,
                            s.normalsPassed == 0 && s.unresolved ? RuleEvent.BACK : RuleEvent.NORMAL, timestamp));
                }
                if (++s.normalsPassed == resolveReadings && timestamp > s.lastMatchTime) {
                    s.unresolved = false;
                }
            }
            s.inRun = false;
            s.matched = false;
            s.length = 0;
            return;
        }
        s.normalsPassed = 0;
        if (!s.inRun) {
            s.inRun = true;
            s.matched = false;
            s.runOrdinal = s.started && s.runStart == timestamp ? s.runOrdinal + 1 : 0;
            s.started = true;
            s.runStart = timestamp;
            s.length = 0;
        }
        if (s.matched) {
            return; // this run has matched; its first readings broke any resolution in progress
        }
        if (s.recent == null) {
            s.recent = new long[count];
        }
        s.recent[s.length % count] = timestamp;
        s.length++;
        out.accept(RuleEvent.of(sensorId, timestamp, value, RuleEvent.EXTREME, s.runStart, s.runOrdinal));
        if (s.length >= count && timestamp - s.recent[(s.length - count) % count] < withinMs) {
            s.matched = true;
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
        out.writeBoolean(s.matched);
        out.writeLong(s.runStart);
        int kept = Math.min(s.length, count);
        out.writeInt(s.length);
        for (int i = s.length - kept; i < s.length; i++) {
            out.writeLong(s.recent[i % count]);
        }
        out.writeInt(s.normalsPassed);
        out.writeBoolean(s.unresolved);
        out.writeLong(s.lastMatchTime);
    }

    /**
     * Reads this version's form and the unversioned one before it, which had no resolution: a
     * run in progress needs its breaker, and nothing else is due.
     */
    @Override
    public State read(DataInput in) throws IOException {
        State s = new State();
        int first = in.readUnsignedByte();
        int version = CandidateSelector.formatVersion(first, FORMAT_VERSION, "sequence rule state");
        s.inRun = version == 0 ? first == 1 : in.readBoolean();
        s.matched = in.readBoolean();
        s.runStart = in.readLong();
        s.length = in.readInt();
        s.recent = new long[count];
        int kept = Math.min(s.length, count);
        for (int i = s.length - kept; i < s.length; i++) {
            s.recent[i % count] = in.readLong();
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
