package io.sensorflow.rules.cep;

import io.sensorflow.rules.SequenceRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings a sequence rule's pattern needs: the extreme readings of a run up to the one
 * that completes the first match, and one breaker after a run that has not matched. Normal
 * readings in between and the rest of a run that has already matched can change nothing, so CEP
 * never sees them; that is also what makes the alert one per run.
 *
 * <p>It tracks the last {@code count} timestamps of the run to know when the pattern matches
 * (the same test as {@code within}: last - first &lt; within).
 */
public final class SequenceCandidates implements CandidateSelector<SequenceCandidates.State> {

    private final SequenceRule rule;
    private final int count;
    private final long withinMs;

    public SequenceCandidates(SequenceRule rule) {
        this.rule = rule;
        this.count = rule.count();
        this.withinMs = rule.within().toMillis();
    }

    /** Per sensor: the run in progress, if any. */
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
            if (s.inRun && !s.matched) {
                out.accept(RuleEvent.of(sensorId, timestamp, value, RuleEvent.BREAKER, s.runStart, s.runOrdinal));
            }
            s.inRun = false;
            s.matched = false;
            s.length = 0;
            return;
        }
        if (!s.inRun) {
            s.inRun = true;
            s.matched = false;
            s.runOrdinal = s.started && s.runStart == timestamp ? s.runOrdinal + 1 : 0;
            s.started = true;
            s.runStart = timestamp;
            s.length = 0;
        }
        if (s.matched) {
            return; // this run has had its alert
        }
        if (s.recent == null) {
            s.recent = new long[count];
        }
        s.recent[s.length % count] = timestamp;
        s.length++;
        out.accept(RuleEvent.of(sensorId, timestamp, value, RuleEvent.EXTREME, s.runStart, s.runOrdinal));
        if (s.length >= count && timestamp - s.recent[(s.length - count) % count] < withinMs) {
            s.matched = true;
        }
    }

    @Override
    public boolean isEmpty(State s, long watermark) {
        return !s.inRun;
    }

    @Override
    public void write(State s, DataOutput out) throws IOException {
        out.writeBoolean(s.inRun);
        out.writeBoolean(s.matched);
        out.writeLong(s.runStart);
        int kept = Math.min(s.length, count);
        out.writeInt(s.length);
        for (int i = s.length - kept; i < s.length; i++) {
            out.writeLong(s.recent[i % count]);
        }
    }

    @Override
    public State read(DataInput in) throws IOException {
        State s = new State();
        s.inRun = in.readBoolean();
        s.matched = in.readBoolean();
        s.runStart = in.readLong();
        s.length = in.readInt();
        s.recent = new long[count];
        int kept = Math.min(s.length, count);
        for (int i = s.length - kept; i < s.length; i++) {
            s.recent[i % count] = in.readLong();
        }
        return s;
    }
}
