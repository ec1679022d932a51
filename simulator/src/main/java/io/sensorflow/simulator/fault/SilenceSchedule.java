package io.sensorflow.simulator.fault;

import java.util.Arrays;

/** The spans of base event time [from, to) in which a sensor, or the fleet, takes no readings. */
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
