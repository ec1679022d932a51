package io.sensorflow.rules.cep;

import io.sensorflow.rules.SequenceRule;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The readings of a sequence rule's metric that can change one of its alerts, for its two patterns
 * ({@link RulePatterns#sequence}, {@link RulePatterns#sequenceResolved}); the rest are left out. It
 * decides nothing: the patterns do, on the readings' values and times. What it leaves out, and why
 * that cannot change a match:
 * <ul>
 *   <li>the first {@code count - 1} readings of a run past the threshold, until the run has
 *       {@code count}: a match is {@code count} readings of one run, so a run broken before then is
 *       part of none. When the {@code count}-th comes they are sent, in order, before it, stamped
 *       with its time (they are behind the watermark by then; the pattern reads their own times);
 *   <li>readings within the threshold but two: the first after a run that was sent (a
 *       {@link RuleEvent#BACK}: it ends the run for the firing pattern), and, while an episode may
 *       be open (a run of {@code count} since the last resolution), the {@code resolve.readings}-th
 *       in a row after one past it, which carries its stretch: the last reading past the threshold
 *       before it ({@link RuleEvent#metTime}, {@link RuleEvent#metValue}), its place in the
 *       stretch ({@link RuleEvent#runLength}) and the stretch's first reading
 *       ({@link RuleEvent#episodeStart}). The resolving pattern is that one event; the selector
 *       counts the stretch as it counts a run, since most of it is behind the watermark.
 * </ul>
 * Every reading past the threshold of a run that reached {@code count} is sent, but while an
 * episode is provably open and the rule has a cooldown: which match makes an alert is the
 * episode's life, kept downstream, and the selector follows that life ({@link Episodes}) from the
 * matches, which it tells exactly (the run's last {@code count} times give its {@code within}), and
 * the resolutions. While an episode is provably open ({@link Episodes}: open before this reading's
 * time, no resolution at it), a run's readings are left out: a run that has not been sent is
 * dropped whole, one that was sent gets no more (its {@code BACK} still ends it). Why that cannot
 * change an alert: no resolution comes within a run (it takes readings within the threshold), so
 * the episode stays open through the run's matches, and a match at a resolution's own time, which
 * comes after the run, is no alert either (at one time resolutions come first, and the cooldown
 * starts with it). Without a cooldown nothing is left out so: there the first match at the
 * resolution's own time opens the next episode, and it may be a run's reading of that time.
 * The lifecycle then sees no match of the rule on such a sensor while an episode is open, so an
 * episode open longer than {@code --forget-sensor-after} (7 days) is forgotten there, as the
 * cep-rules README says of the matches left out while an episode is open.
 */
public final class SequenceCandidates implements CandidateSelector<SequenceCandidates.State> {

    /** The version of the state this writes, after {@link CandidateSelector#FORMAT_VERSION_MARK}. */
    static final int FORMAT_VERSION = 4;

    /** The most readings a version-3 state could hold: an extreme one and {@code resolve.readings} (at most 1000) after it. */
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

    /** Per sensor: the run in progress, if any, its readings held, and the stretch within the threshold after the last extreme reading. */
    public static final class State {
        boolean inRun;
        /** Whether the run's readings went to the patterns (it reached {@code count} while no episode was provably open). */
        boolean sent;
        /** Whether the run is left out whole: it was not sent when an episode was provably open. */
        boolean dropped;
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
        /** The last reading past the threshold, which a stretch within it follows ({@link RuleEvent#NONE}: not known). */
        long lastExtremeTime = RuleEvent.NONE;
        double lastExtremeValue;
        /** The time of the stretch's first reading within the threshold. */
        long stretchStart;
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
                if (s.normalsPassed == 0) {
                    s.stretchStart = timestamp;
                }
                int place = ++s.normalsPassed;
                boolean resolves = place == resolveReadings && s.lastExtremeTime != RuleEvent.NONE;
                // The first ends a run that was sent; the M-th resolves, which matters only while an episode may be open.
                if (place == 1 && s.sent || resolves && s.unresolved) {
                    RuleEvent e = RuleEvent.of(sensorId, timestamp, value, place == 1 ? RuleEvent.BACK : RuleEvent.NORMAL,
                            s.stretchStart);
                    e.metTime = s.lastExtremeTime;
                    e.metValue = s.lastExtremeValue;
                    e.runLength = place;
                    out.accept(e);
                }
                if (resolves) {
                    ep.resolved(); // nothing is kept back: every match that can open is sent
                    if (timestamp > s.lastMatchTime) {
                        s.unresolved = false;
                    }
                }
            }
            s.inRun = false;
            s.sent = false;
            s.dropped = false;
            s.length = 0;
            return;
        }
        s.normalsPassed = 0;
        s.lastExtremeTime = timestamp;
        s.lastExtremeValue = value;
        // No match of a run while this holds makes an alert (the class comment says why).
        boolean provablyOpen = cooldownMs > 0 && ep.exact && ep.open && !ep.resolutionAt;
        if (!s.inRun) {
            s.inRun = true;
            s.runOrdinal = s.started && s.runStart == timestamp ? s.runOrdinal + 1 : 0;
            s.started = true;
            s.runStart = timestamp;
            s.length = 0;
            s.sent = false;
            s.dropped = false;
        }
        if (s.length < count) {
            s.length++;
        }
        s.addRunTime(timestamp, count);
        boolean match = s.length >= count && timestamp - s.runTimes[s.ringNext] < withinMs;
        if (match) {
            ep.matched(); // nothing is kept back: every match that can open is sent
        }
        if (s.length >= count) {
            s.unresolved = true;
            s.lastMatchTime = timestamp;
        }
        if (provablyOpen && !s.sent) {
            s.dropped = true; // none of it reached the patterns: no BACK is due either
        }
        if (s.dropped) {
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
        } else if (provablyOpen) {
            return; // a match of the open episode: no alert
        }
        out.accept(RuleEvent.of(sensorId, timestamp, value, RuleEvent.EXTREME, s.runStart, s.runOrdinal));
    }

    @Override
    public boolean isEmpty(State s, long watermark) {
        // Kept while the episodes' life may still decide what is left out (open, cooling down); without
        // a cooldown nothing is. Not unresolved, no
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
        int held = s.sent || s.dropped ? 0 : s.length; // a run left out holds nothing
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
        out.writeBoolean(s.dropped);
        out.writeLong(s.lastExtremeTime);
        out.writeDouble(s.lastExtremeValue);
        out.writeLong(s.stretchStart);
    }

    /**
     * Reads this version's form and the three before it. Versions 0 and 1 sent every reading of a
     * run to the patterns, up to its match, and tracked the run's last {@code count} times for its
     * {@code within}: a run restored from them goes on being sent (its first readings reached CEP).
     * Version 0 had no resolution: a run in progress needs its breaker, and nothing else is due.
     * None before 3 followed the episodes ({@link Episodes#unknown}: nothing is left out, what was
     * sent is sent). None before 4 counted the stretch for a one-event resolution: a stretch in
     * progress whose readings went to the resolving pattern of the form before (whose operator does
     * not restore into this one, {@link CompiledRule#resolutionUid}) resolves nothing, as that
     * pattern's partial match is gone; the next stretch does. Version 3's stretch held toward a
     * resolution reached no CEP and is counted on.
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
        }
        if (version >= 4) {
            s.dropped = in.readBoolean();
            s.lastExtremeTime = in.readLong();
            s.lastExtremeValue = in.readDouble();
            s.stretchStart = in.readLong();
        } else if (version == 3) {
            // Version 3 held an open episode's way to its resolution instead (none of it reached CEP): the
            // run's last extreme reading, then the readings within the threshold after it. That is the
            // stretch this version counts; a run in progress that was held is one left out.
            int held = in.readInt();
            if (held < 0 || held > MAX_HELD) {
                throw new IOException("sequence rule state holds " + held + " readings, at most " + MAX_HELD
                        + " can be held");
            }
            for (int i = 0; i < held; i++) {
                long t = in.readLong();
                double v = in.readDouble();
                if (i == 0) {
                    s.lastExtremeTime = t;
                    s.lastExtremeValue = v;
                } else if (i == 1) {
                    s.stretchStart = t;
                }
            }
            s.dropped = s.inRun && held > 0;
            s.sent &= !s.dropped;
        }
        if (version < 3) {
            for (int i = 0; i < s.length; i++) {
                s.addRunTime(s.runStart, count); // its times matter to no hold: the episodes are unknown
            }
            s.episodes = Episodes.unknown();
        }
        return s;
    }
}
