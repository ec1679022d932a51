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
 * Every reading past the threshold of a run that reached {@code count} is sent (but for the hold
 * below): the run may match at each of them, and which match makes an alert is the episode's life,
 * kept downstream. The selector follows that life ({@link Episodes}) from the matches, which it
 * tells exactly (the run's last {@code count} times give its {@code within}), and the resolutions.
 * <ul>
 *   <li>With a cooldown, while an episode is provably open ({@link Episodes}: open before this
 *       reading's time, no resolution at it), a run that begins then and the readings within the
 *       threshold after it are held: only its last extreme reading and those after it (the first a
 *       {@link RuleEvent#BACK}, then {@link RuleEvent#NORMAL}s), until the {@code resolveReadings}-th
 *       comes; they are sent then, in order, before it (stamped with its time; the patterns read
 *       their own times). A stretch broken by a reading past the threshold before then is dropped,
 *       and the new run is held in its place. Why that cannot change an alert: until the first
 *       resolution the episode stays open, and that resolution is the first stretch completed, the
 *       one sent; every match before it is no alert (the episode is open), and a match at its very
 *       time is none either (a resolution comes first at one time, and the cooldown starts with it).
 *       What the firing pattern gets of it, one extreme reading and then a {@code BACK}, makes no
 *       match and leaves no partial one: a run that began before the hold, whose readings reached
 *       it, was ended by a {@code BACK} it got, since the hold begins only at a run's first reading.
 *       Without a cooldown nothing is held: there the first match at the resolution's own time opens
 *       the next episode, and it may be a run the hold would have dropped.
 * </ul>
 * The lifecycle then sees no match of the rule on such a sensor while the hold lasts, so an
 * episode held open longer than {@code --forget-sensor-after} (7 days) is forgotten there, as the
 * cep-rules README says of the matches left out while an episode is open.
 */
public final class SequenceCandidates implements CandidateSelector<SequenceCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 3;

    /** The most readings a hold can have: an extreme one and {@code resolve.readings} (at most 1000) after it. */
    private static final int MAX_HELD = 1001;

    private final int count;
    private final int resolveReadings;
    private final long withinMs;
    private final long cooldownMs;
    private final SequenceRule rule;

    public SequenceCandidates(SequenceRule rule) {
        this.rule = rule;
        this.count = rule.count();
        this.resolveReadings = rule.resolveReadings();
        this.withinMs = rule.within().toMillis();
        this.cooldownMs = rule.cooldown().toMillis();
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
        /**
         * The times of the run's last {@code count} readings (the last {@code length} are its own), a
         * ring whose next slot is {@code ringNext}: whether a reading is a match ({@code within}).
         */
        long[] runTimes;
        int ringNext;
        /** The rule's episodes on the sensor, as far as the selector can tell. */
        Episodes episodes = new Episodes();
        /**
         * The stretch held while an episode is provably open: the run's last extreme reading, then the
         * readings within the threshold after it; none when 0.
         */
        int stretchCount;
        long[] stretchTimes;
        double[] stretchValues;

        void holdInStretch(long t, double v, int capacity) {
            if (stretchTimes == null || stretchCount == stretchTimes.length) { // grows past capacity only after a restore with another M
                int n = Math.max(capacity, stretchCount + 1);
                stretchTimes = java.util.Arrays.copyOf(stretchTimes == null ? new long[0] : stretchTimes, n);
                stretchValues = java.util.Arrays.copyOf(stretchValues == null ? new double[0] : stretchValues, n);
            }
            stretchTimes[stretchCount] = t;
            stretchValues[stretchCount] = v;
            stretchCount++;
        }

        void addRunTime(long t, int count) {
            if (runTimes == null) {
                runTimes = new long[count];
            }
            runTimes[ringNext] = t;
            ringNext = ringNext + 1 == count ? 0 : ringNext + 1;
        }
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
        Episodes ep = s.episodes;
        ep.at(timestamp, cooldownMs);
        if (!rule.isExtreme(value)) {
            if (s.normalsPassed < resolveReadings) {
                if (s.stretchCount > 0) {
                    s.holdInStretch(timestamp, value, resolveReadings + 1);
                } else if (s.normalsPassed == 0 && s.sent || s.unresolved) {
                    // The first ends a run that was sent; only while an episode may be open do the next ones follow.
                    out.accept(RuleEvent.of(sensorId, timestamp, value,
                            s.normalsPassed == 0 ? RuleEvent.BACK : RuleEvent.NORMAL, timestamp));
                }
                if (++s.normalsPassed == resolveReadings) {
                    flush(s, sensorId, out); // a held stretch resolves: all of it, in order
                    ep.resolved(); // nothing is kept back: every match is sent or held
                    if (timestamp > s.lastMatchTime) {
                        s.unresolved = false;
                    }
                }
            }
            s.inRun = false;
            s.sent = false;
            s.length = 0;
            return;
        }
        s.normalsPassed = 0;
        boolean held = s.stretchCount > 0; // a run held goes on being held
        if (!s.inRun) {
            s.inRun = true;
            s.runOrdinal = s.started && s.runStart == timestamp ? s.runOrdinal + 1 : 0;
            s.started = true;
            s.runStart = timestamp;
            s.length = 0;
            s.sent = s.unresolved; // an episode may be open: the run's readings may break its resolution
            // A stretch held before is broken: it resolves nothing. Held again from this run while the episode
            // is provably open: what breaks this run's stretch, or resolves it, decides.
            s.stretchCount = 0;
            held = cooldownMs > 0 && ep.exact && ep.open && !ep.resolutionAt;
        }
        if (s.length < count) {
            s.length++;
        }
        s.addRunTime(timestamp, count);
        boolean match = s.length >= count && timestamp - s.runTimes[s.ringNext] < withinMs;
        if (match) {
            ep.matched(); // nothing is kept back: every match is sent or held
        }
        if (s.length >= count) {
            s.unresolved = true;
            s.lastMatchTime = timestamp;
        }
        if (held) { // the run's last extreme reading so far heads the stretch
            s.stretchCount = 0;
            s.holdInStretch(timestamp, value, resolveReadings + 1);
            return;
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
    }

    /** Sends the held stretch, if any, in order: its extreme reading, then those within the threshold. */
    private static void flush(State s, String sensorId, Consumer<RuleEvent> out) {
        for (int i = 0; i < s.stretchCount; i++) {
            long t = s.stretchTimes[i];
            out.accept(i == 0
                    ? RuleEvent.of(sensorId, t, s.stretchValues[i], RuleEvent.EXTREME, s.runStart, s.runOrdinal)
                    : RuleEvent.of(sensorId, t, s.stretchValues[i], i == 1 ? RuleEvent.BACK : RuleEvent.NORMAL, t));
        }
        s.stretchCount = 0;
    }

    @Override
    public boolean isEmpty(State s, long watermark) {
        // Kept while the episodes' life may still decide a hold (open, cooling down); a held stretch
        // comes only while unresolved, and without a cooldown nothing is held. Not unresolved, no
        // episode is open, and a state of an older version (episodes unknown) has had its last
        // resolution at or before its latest reading: once that is a cooldown behind, it is a fresh one.
        if (s.inRun || s.unresolved) {
            return false;
        }
        Episodes ep = s.episodes;
        return cooldownMs == 0 || ep.isEmpty(watermark, cooldownMs)
                || !ep.exact && ep.at != Long.MIN_VALUE && CandidateSelector.passedBy(watermark, ep.at, cooldownMs);
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
        for (int i = 0; i < s.length; i++) { // the run's times, oldest first
            out.writeLong(s.runTimes[Math.floorMod(s.ringNext - s.length + i, count)]);
        }
        s.episodes.write(out);
        out.writeInt(s.stretchCount);
        for (int i = 0; i < s.stretchCount; i++) {
            out.writeLong(s.stretchTimes[i]);
            out.writeDouble(s.stretchValues[i]);
        }
    }

    /**
     * Reads this version's form and the three before it. Versions 0 and 1 sent every reading of a
     * run to the patterns, up to its match, and tracked the run's last {@code count} times for its
     * {@code within}: a run restored from them goes on being sent (its first readings reached CEP).
     * Version 0 had no resolution: a run in progress needs its breaker, and nothing else is due.
     * None before 3 followed the episodes ({@link Episodes#unknown}: nothing is held, what was sent
     * is sent) or held a stretch (what they sent reached CEP).
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
        if (version >= 3) {
            for (int i = 0; i < s.length; i++) {
                s.addRunTime(in.readLong(), count);
            }
            s.episodes = Episodes.read(in);
            int held = in.readInt();
            if (held < 0 || held > MAX_HELD) {
                throw new IOException("sequence rule state holds " + held + " readings, at most " + MAX_HELD
                        + " can be held");
            }
            for (int i = 0; i < held; i++) {
                s.holdInStretch(in.readLong(), in.readDouble(), resolveReadings + 1);
            }
        } else {
            for (int i = 0; i < s.length; i++) {
                s.addRunTime(s.runStart, count); // its times matter to no hold: the episodes are unknown
            }
            s.episodes = Episodes.unknown();
        }
        return s;
    }
}
