package io.sensorflow.rules.cep;

import io.sensorflow.rules.StuckRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings a stuck rule's two patterns need: of each run of one value, the first repeat that
 * can match the firing pattern (the {@code readings}-th reading of the run, or the first at least
 * {@code for} after its start), carrying the run; and, while a run has matched since the last
 * resolution, the first reading with another value after a repeat (it resolves an episode). The
 * rest cannot change an alert: a repeat before that one matches nothing (the pattern is one event),
 * one after it is the same run, already matched; a change of value with no match since the last
 * resolution closes nothing. So CEP sees about one event per stuck run, not one per reading.
 *
 * <p>Values are doubles compared with {@code ==} (-0.0 equals 0.0). The state is the last value
 * and the run: it is never empty once the sensor reported (the next reading may repeat the last),
 * until the caller forgets the sensor.
 */
public final class StuckCandidates implements CandidateSelector<StuckCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 1;

    private final int readings;
    private final long forMs;

    public StuckCandidates(StuckRule rule) {
        this.readings = rule.readings();
        this.forMs = rule.byReadings() ? 0 : rule.forDuration().toMillis();
    }

    /** Per sensor: the last value, the run of it (start, first value, length), and the episode's bookkeeping. */
    public static final class State {
        boolean hasLast;
        double lastValue;
        long runStart;
        double runValue;
        long runLength;
        /**
         * Which run starting at {@code runStart} this is. Not in the checkpoint: runs can share a
         * start only when their readings share one time, and a sensor's readings at one time are all
         * released at once, between two checkpoints.
         */
        int runOrdinal;
        /** Whether a run started since this state was made (also not in the checkpoint). */
        boolean started;
        /** Whether this run has matched: its later repeats are the same episode. */
        boolean matched;
        /** Whether a run matched since the last resolution: only then can a change of value close an episode. */
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
        if (s.hasLast && value == s.lastValue) {
            if (s.runLength < Long.MAX_VALUE) {
                s.runLength++;
            }
            s.lastValue = value;
            if (!s.matched && (readings != 0 ? s.runLength >= readings : timestamp - s.runStart >= forMs)) {
                RuleEvent e = RuleEvent.of(sensorId, timestamp, value, RuleEvent.REPEAT, s.runStart, s.runOrdinal);
                e.fromTime = s.runStart;
                e.fromValue = s.runValue;
                e.runLength = s.runLength;
                out.accept(e);
                s.matched = true;
                s.unresolved = true;
                s.lastMatchTime = timestamp;
            }
            return;
        }
        if (s.hasLast && s.runLength >= 2) { // the first reading with another value after a repeat
            if (s.unresolved) {
                RuleEvent e = RuleEvent.of(sensorId, timestamp, value, RuleEvent.BACK, timestamp);
                e.fromTime = s.runStart;
                e.fromValue = s.lastValue;
                out.accept(e);
            }
            if (timestamp > s.lastMatchTime) {
                s.unresolved = false;
            }
        }
        s.runOrdinal = s.started && s.runStart == timestamp ? s.runOrdinal + 1 : 0;
        s.started = true;
        s.runStart = timestamp;
        s.runValue = value;
        s.runLength = 1;
        s.matched = false;
        s.hasLast = true;
        s.lastValue = value;
    }

    @Override
    public boolean isEmpty(State s, long watermark) {
        return !s.hasLast;
    }

    @Override
    public void write(State s, DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION_MARK + FORMAT_VERSION);
        out.writeBoolean(s.hasLast);
        out.writeDouble(s.lastValue);
        out.writeLong(s.runStart);
        out.writeDouble(s.runValue);
        out.writeLong(s.runLength);
        out.writeBoolean(s.matched);
        out.writeBoolean(s.unresolved);
        out.writeLong(s.lastMatchTime);
    }

    @Override
    public State read(DataInput in) throws IOException {
        int version = CandidateSelector.formatVersion(in.readUnsignedByte(), FORMAT_VERSION, "stuck rule state");
        if (version == 0) {
            throw new IOException("stuck rule state without a format version: stuck rules were versioned from the start");
        }
        State s = new State();
        s.hasLast = in.readBoolean();
        s.lastValue = in.readDouble();
        s.runStart = in.readLong();
        s.runValue = in.readDouble();
        s.runLength = in.readLong();
        s.matched = in.readBoolean();
        s.unresolved = in.readBoolean();
        s.lastMatchTime = in.readLong();
        return s;
    }
}
