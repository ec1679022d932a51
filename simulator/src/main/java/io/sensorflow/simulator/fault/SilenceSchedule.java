package io.sensorflow.simulator.fault;

import java.util.Arrays;

/**
 * Spans of base event time [from, to) of a sensor, or the fleet: when it takes no readings (a
 * silence), or when it queues them (a {@link BatchedFault}).
 */
public final class SilenceSchedule {

    private long[] fleet = new long[0];
    private final long[][] perSensor;
    private boolean any;

    public SilenceSchedule(int sensors) {
        perSensor = new long[sensors][];
    }

    /** Adds a span; {@code sensor} -1 is the whole fleet. */
    public void add(int sensor, long fromMs, long toMs) {
        any = true;
        if (sensor < 0) {
            fleet = append(fleet, fromMs, toMs);
        } else {
            perSensor[sensor] = append(perSensor[sensor] == null ? new long[0] : perSensor[sensor], fromMs, toMs);
        }
    }

    public boolean isEmpty() {
        return !any;
    }

    public boolean silenced(int sensor, long timeMs) {
        return any && (within(fleet, timeMs) || (perSensor[sensor] != null && within(perSensor[sensor], timeMs)));
    }

    /** The end of a span of {@code sensor} (or the fleet) that holds {@code timeMs}, or -1 if none does (the latest end if several do). */
    public long endOf(int sensor, long timeMs) {
        if (!any) {
            return -1;
        }
        long end = end(fleet, timeMs);
        return perSensor[sensor] == null ? end : Math.max(end, end(perSensor[sensor], timeMs));
    }

    private static long end(long[] spans, long t) {
        long end = -1;
        for (int i = 0; i < spans.length; i += 2) {
            if (t >= spans[i] && t < spans[i + 1]) {
                end = Math.max(end, spans[i + 1]);
            }
        }
        return end;
    }

    private static boolean within(long[] spans, long t) {
        for (int i = 0; i < spans.length; i += 2) {
            if (t >= spans[i] && t < spans[i + 1]) {
                return true;
            }
        }
        return false;
    }

    private static long[] append(long[] spans, long from, long to) {
        long[] a = Arrays.copyOf(spans, spans.length + 2);
        a[spans.length] = from;
        a[spans.length + 1] = to;
        return a;
    }
}
