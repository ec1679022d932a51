package io.sensorflow.rules.cep;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * What a selector knows of its rule's episodes on one sensor, so that it can leave out a match
 * that provably makes no alert. It follows the episode's life as {@code AlertLifecycle} keeps it
 * (an episode opens at a match while none is open and the last resolution is at least
 * {@code cooldown} before; a resolution closes it; at one event time resolutions come before
 * matches, and the first match of that time is the one that may open), from the matches and
 * resolutions the rule's patterns make, which the selector can tell exactly (rise and stuck: their
 * conditions are on the reading and what it carries). A time is decided when the next time comes.
 *
 * <p>A match at time {@code t} can open an episode only if it is the first match at {@code t} and,
 * once {@code t}'s resolutions are taken, none is open and no cooldown lasts. So the outlier and
 * stuck selectors send the first match of a stretch of them always (their resolution pattern needs
 * it, and it costs one event; the rise's, one event carrying its stretch, does not), and a later
 * one ({@link #later}) only when it can be the alert: no episode open and the
 * cooldown over, or (cooldown 0) an open episode that a resolution at the same time may still
 * close; that last one it keeps until the time is decided ({@link #deferred}), sending it if the
 * resolution came, or before the first match of a new stretch at that time (it is the time's first).
 */
final class Episodes {

    /**
     * Whether a match came since the last resolution: only then can an episode be open, and readings
     * that may resolve it are due. Kept by {@link #match} and {@link #resolution}; written by
     * {@link #writeWithMatches}, not by {@link #write}.
     */
    boolean unresolved;
    /**
     * The time of the last match. A resolution at that same time does not end its episode: at one
     * event time resolutions are taken before matches.
     */
    long lastMatchTime = Long.MIN_VALUE;
    /** The decided state: whether an episode is open, and when the last one was resolved. */
    boolean open;
    long resolvedAt = Long.MIN_VALUE;
    /** The time being decided, and what it has had so far. */
    long at = Long.MIN_VALUE;
    boolean matchAt;
    boolean resolutionAt;
    /** A match at {@link #at} kept until a resolution at that time comes, or the time passes. */
    RuleEvent deferred;
    /**
     * False for a state restored from a version that did not follow episodes: then every match is sent,
     * as the lifecycle may be in any state.
     */
    boolean exact = true;

    /** A reading at {@code t} comes: the times before it are decided. */
    void at(long t, long cooldownMs) {
        if (t != at) {
            decide(cooldownMs);
            at = t;
        }
    }

    /** Takes what {@link #at} had: no reading of that time can come any more. */
    private void decide(long cooldownMs) {
        if (resolutionAt && open) {
            open = false;
            resolvedAt = at;
        }
        if (matchAt && !open && (resolvedAt == Long.MIN_VALUE || at - resolvedAt >= cooldownMs)) {
            open = true;
        }
        matchAt = false;
        resolutionAt = false;
        deferred = null;
    }

    /** What to do with a later match: leave it out, send it, or keep it as {@link #deferred}. */
    static final int LEAVE = 0;
    static final int SEND = 1;
    static final int DEFER = 2;

    /**
     * A match at the current time that is not the first of its stretch: {@link #SEND} when it may
     * open an episode; {@link #DEFER} when it may only if a resolution comes at this time (the
     * caller keeps it as {@link #deferred}); else {@link #LEAVE}. Either way it is the time's match.
     */
    int later(long cooldownMs) {
        if (matchAt) {
            return exact ? LEAVE : SEND; // not the first of its time: that one decides
        }
        matchAt = true;
        if (!exact) {
            return SEND;
        }
        if (!open) {
            return resolvedAt == Long.MIN_VALUE || at - resolvedAt >= cooldownMs ? SEND : LEAVE;
        }
        if (resolutionAt) {
            return cooldownMs == 0 ? SEND : LEAVE; // closed at this time, and a cooldown starts with it
        }
        return cooldownMs == 0 ? DEFER : LEAVE;
    }

    /**
     * The first of a stretch of matches, which is always sent. Returns the match of this time kept
     * as {@link #deferred}, or null: it came first, so it must reach CEP first (the first match of a
     * time is the one that may open), and it now goes with this one whatever comes later.
     */
    RuleEvent matched() {
        matchAt = true;
        RuleEvent d = deferred;
        deferred = null;
        return d;
    }

    /**
     * A match at {@code t}, the current time: {@code first} when it is the first of a stretch of
     * matches (always sent; a match of this time kept back goes before it). Returns what to do with
     * it ({@link #SEND}, {@link #DEFER} or {@link #LEAVE}), for {@link #pick}.
     */
    int match(boolean first, long t, long cooldownMs, Consumer<RuleEvent> out) {
        unresolved = true;
        lastMatchTime = t;
        if (!first) {
            return later(cooldownMs);
        }
        RuleEvent d = matched();
        if (d != null) {
            out.accept(d);
        }
        return SEND;
    }

    /** Does with the event of a match what {@link #match} said. */
    void pick(int decision, RuleEvent e, Consumer<RuleEvent> out) {
        if (decision == SEND) {
            out.accept(e);
        } else if (decision == DEFER) {
            deferred = e;
        }
    }

    /**
     * The reading at {@code t} that completes a resolution (the pattern's match, when its readings
     * were sent): sends a match of this time kept back for it; no episode can be open after it
     * unless a match came at {@code t}.
     */
    void resolution(long t, Consumer<RuleEvent> out) {
        RuleEvent d = resolved();
        if (d != null) {
            out.accept(d); // a match of this time that opens once the resolution closed the episode
        }
        if (t > lastMatchTime) {
            unresolved = false;
        }
    }

    /**
     * {@link #unresolved} and {@link #lastMatchTime}, then {@link #write}: the form the outlier and
     * stuck selectors' states have.
     */
    void writeWithMatches(DataOutput out) throws IOException {
        out.writeBoolean(unresolved);
        out.writeLong(lastMatchTime);
        write(out);
    }

    /**
     * What {@link #writeWithMatches} wrote; {@code followed} false for a version that wrote the
     * matches but did not follow the episodes (nothing after them): {@link #unknown}.
     */
    static Episodes readWithMatches(DataInput in, boolean followed) throws IOException {
        boolean unresolved = in.readBoolean();
        long lastMatchTime = in.readLong();
        Episodes e = followed ? read(in) : unknown();
        e.unresolved = unresolved;
        e.lastMatchTime = lastMatchTime;
        return e;
    }

    /** A resolution at the current time; returns the deferred match to send now, or null. */
    RuleEvent resolved() {
        resolutionAt = true;
        RuleEvent d = deferred;
        deferred = null;
        return d;
    }

    /**
     * Whether a fresh state would say the same from now on: no episode open or maybe closing at the
     * time being decided, no cooldown that can still suppress a match after {@code watermark}.
     */
    boolean isEmpty(long watermark, long cooldownMs) {
        if (watermark >= at) {
            decide(cooldownMs); // every reading at that time has been taken
        }
        if (!exact || open || matchAt || resolutionAt) {
            return false;
        }
        return resolvedAt == Long.MIN_VALUE || cooldownMs == 0 || CandidateSelector.passedBy(watermark, resolvedAt, cooldownMs);
    }

    /**
     * {@link #isEmpty(long, long)}, or for a state that did not follow the episodes ({@link #unknown}):
     * the caller has checked that no match came since the last resolution, so no episode is open
     * (every match and the readings that resolve it reached the lifecycle); the lifecycle's last
     * resolution was at a reading no later than {@code latest}, the latest reading of the metric
     * the state has taken (none: Long.MIN_VALUE, and then nothing to resolve either), so once that
     * is a cooldown behind the watermark no cooldown can suppress a match.
     */
    boolean isEmpty(long watermark, long cooldownMs, long latest) {
        return isEmpty(watermark, cooldownMs) || !exact
                && (cooldownMs == 0 || latest == Long.MIN_VALUE || CandidateSelector.passedBy(watermark, latest, cooldownMs));
    }

    void write(DataOutput out) throws IOException {
        out.writeBoolean(exact);
        out.writeBoolean(open);
        out.writeLong(resolvedAt);
        out.writeLong(at);
        out.writeBoolean(matchAt);
        out.writeBoolean(resolutionAt);
    }

    /** A state written by {@link #write}; a deferred match is none (a sensor's readings of one time are released between two checkpoints). */
    static Episodes read(DataInput in) throws IOException {
        Episodes e = new Episodes();
        e.exact = in.readBoolean();
        e.open = in.readBoolean();
        e.resolvedAt = in.readLong();
        e.at = in.readLong();
        e.matchAt = in.readBoolean();
        e.resolutionAt = in.readBoolean();
        return e;
    }

    /** For a state of an earlier version: sends every match. */
    static Episodes unknown() {
        Episodes e = new Episodes();
        e.exact = false;
        return e;
    }
}
