package io.sensorflow.job.alerts;

import io.sensorflow.rules.cep.SilenceEvent;
import java.util.PriorityQueue;

/**
 * What the released readings and the watermark say about the time after each sensor's latest
 * reading, told to the silence rules' CEP operators as {@link SilenceEvent}s:
 * {@link SilenceEvent#QUIET} when the watermark reaches the latest reading plus one of the
 * sensor's silence thresholds (a deadline kept per sensor in a queue and moved lazily: a reading
 * only records its time), {@link SilenceEvent#QUIET} and {@link SilenceEvent#BACK} when a reading
 * ends a gap longer than the sensor's shortest threshold. A reading that is followed within that
 * threshold by the next can start or end no silence, and is left out. The patterns decide; a
 * sensor that keeps reporting sends nothing.
 */
final class SilenceDeadlines {

    /** Where the events go: {@code releasing} is the watermark being released. */
    interface Sender {
        void send(SilenceEvent event, long releasing);
    }

    private final Sender sender;
    /** Sensors by when to look at their silence deadlines next; an entry whose time is not its sensor's {@code dueAt} is stale. */
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));

    SilenceDeadlines(Sender sender) {
        this.sender = sender;
    }

    /**
     * One released reading of {@code s} at {@code time}, in event-time order: {@code before} is the
     * time of the reading released before it (Long.MIN_VALUE: none), {@code releasing} the
     * watermark releasing it.
     */
    void released(SensorState s, long before, long time, long releasing) {
        RuleScopes.SensorRules rules = s.rules;
        if (!rules.anySilence() || time == before) {
            return;
        }
        if (before != Long.MIN_VALUE && time - before > rules.silenceAfters()[0]) {
            // A gap the sensor's shortest silence can see: what was not reported of it, when that
            // may reach a threshold, and its end.
            if (nextDeadline(before, s.quietReported, rules) <= time - 1) {
                sender.send(SilenceEvent.quiet(s.sensorId, before, s.quietReported, time - 1, rules.silences()), releasing);
            }
            sender.send(SilenceEvent.back(s.sensorId, before, time, rules.silences()), releasing);
        }
        s.quietReported = time; // nothing reported yet of the quiet after this reading
        schedule(s);
    }

    /**
     * The watermark is at {@code upTo}: tells the silence rules of the sensors whose quiet time has
     * reached a deadline. The final watermark of a bounded input (Long.MAX_VALUE) is the end of the
     * data, not time passing: the selector does not call this for it.
     */
    void reach(long upTo) {
        while (!due.isEmpty() && due.peek().at <= upTo) {
            Due d = due.poll();
            SensorState s = d.sensor;
            if (s.dropped || d.at != s.dueAt) {
                continue; // the sensor was queued earlier since
            }
            if (nextDeadline(s.lastTime(), s.quietReported, s.rules) <= upTo) {
                // Quiet from its latest reading up to the watermark: the patterns decide whether a silence starts.
                sender.send(SilenceEvent.quiet(s.sensorId, s.lastTime(), s.quietReported, upTo, s.rules.silences()), upTo);
                s.quietReported = upTo;
            }
            s.dueAt = nextDeadline(s.lastTime(), s.quietReported, s.rules);
            if (s.dueAt != Long.MAX_VALUE) {
                d.at = s.dueAt; // moved lazily: readings since only recorded their time
                due.add(d);
            }
        }
    }

    /**
     * Queues the sensor at its next silence deadline unless it is queued at or before it already:
     * an earlier time is moved on when it comes. A deadline before the queued time (a reading
     * ending a gap that only a longer threshold had still to report) queues it once more.
     */
    void schedule(SensorState s) {
        long at = nextDeadline(s.lastTime(), s.quietReported, s.rules);
        if (at < s.dueAt) {
            s.dueAt = at;
            due.add(new Due(s, at));
        }
    }

    /**
     * The first of the sensor's silence deadlines (its latest reading plus a threshold) that its
     * quiet time has not been reported to reach yet, or Long.MAX_VALUE when none is left.
     */
    private static long nextDeadline(long last, long quietReported, RuleScopes.SensorRules rules) {
        if (last == Long.MIN_VALUE) {
            return Long.MAX_VALUE;
        }
        for (long after : rules.silenceAfters()) {
            if (last <= Long.MAX_VALUE - after && last + after > quietReported) {
                return last + after;
            }
        }
        return Long.MAX_VALUE;
    }

    /** A sensor in the queue. */
    private static final class Due {
        final SensorState sensor;
        long at;

        Due(SensorState sensor, long at) {
            this.sensor = sensor;
            this.at = at;
        }
    }
}
