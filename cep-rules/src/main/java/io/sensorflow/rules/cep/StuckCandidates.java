package io.sensorflow.rules.cep;

import io.sensorflow.rules.StuckRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings of a stuck rule's metric that can change one of its alerts, each carrying its run
 * (the first reading of the run of its value, and its place in it): the patterns
 * ({@link RulePatterns#stuck}, {@link RulePatterns#resolved}) decide on that. What is left out, and
 * why that cannot change an alert:
 * <ul>
 *   <li>a repeat before the first that meets the rule ({@code readings}-th, or {@code for} after
 *       the run's start): a match is one such reading, and the first reading with another value
 *       resolves whatever came before it;
 *   <li>a later repeat of a run, when it provably opens no episode ({@link Episodes}: one is open
 *       and nothing at its time can close it, or a cooldown lasts, or an earlier match of its time
 *       is the one that decides);
 *   <li>a change of value with no match since the last resolution: nothing is open to close.
 * </ul>
 * So CEP sees about two events per stuck run, not one per reading.
 *
 * <p>Values are doubles compared with {@code ==} (-0.0 equals 0.0). The state is the last value
 * and the run: it is never empty once the sensor reported (the next reading may repeat the last),
 * until the caller forgets the sensor.
 */
public final class StuckCandidates implements CandidateSelector<StuckCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 2;

    private final StuckRule rule;
    private final long cooldownMs;

    public StuckCandidates(StuckRule rule) {
        this.rule = rule;
        this.cooldownMs = rule.cooldown().toMillis();
    }

    /** Per sensor: the last value, the run of it (start, first value, length), and the episode's bookkeeping. */
    public static final class State {
        boolean hasLast;
        double lastValue;
        long runStart;
        double runValue;
        long runLength;
        /**
         * Which run starting at {@code runStart} this is (in the checkpoint since version 2: a run that
         * began in a burst of readings at one time may make its alert after a restore).
         */
        int runOrdinal;
        /** Whether a run started since this state was made. */
        boolean started;
        /** Whether this run has matched: its later repeats are the same stretch of matches. */
        boolean matched;
        /**
         * The rule's episodes on the sensor, as far as the selector can tell, and whether a run matched
         * since the last resolution: only then can a change of value close an episode.
         */
        Episodes episodes = new Episodes();
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
        s.episodes.at(timestamp, cooldownMs);
        if (s.hasLast && value == s.lastValue) {
            if (s.runLength < Long.MAX_VALUE) {
                s.runLength++;
            }
            s.lastValue = value;
            if (rule.byReadings() ? s.runLength >= rule.readings() : timestamp - s.runStart >= rule.forDuration().toMillis()) {
                int decision = s.episodes.match(!s.matched, timestamp, cooldownMs, out);
                if (decision != Episodes.LEAVE) {
                    RuleEvent e = RuleEvent.of(sensorId, timestamp, value, RuleEvent.REPEAT, s.runStart, s.runOrdinal);
                    e.fromTime = s.runStart;
                    e.fromValue = s.runValue;
                    e.runLength = s.runLength;
                    s.episodes.pick(decision, e, out);
                }
                s.matched = true;
            }
            return;
        }
        if (s.hasLast && s.runLength >= 2) { // the first reading with another value after a repeat
            if (s.episodes.unresolved) {
                RuleEvent e = RuleEvent.of(sensorId, timestamp, value, RuleEvent.BACK, timestamp);
                e.fromTime = s.runStart;
                e.fromValue = s.lastValue;
                e.runLength = s.runLength;
                out.accept(e);
            }
            s.episodes.resolution(timestamp, out);
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
        s.episodes.writeWithMatches(out);
        out.writeBoolean(s.started);
        out.writeInt(s.runOrdinal);
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
        s.episodes = Episodes.readWithMatches(in, version >= 2); // version 1 did not follow episodes
        if (version >= 2) {
            s.started = in.readBoolean();
            s.runOrdinal = in.readInt();
        }
        return s;
    }
}
