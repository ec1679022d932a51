package io.sensorflow.simulator.sensor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * When each sensor reads. Every sensor reads once per interval of event time, at its own phase
 * offset within the interval; the fleet's readings form slots in time order: slot
 * {@code tick * sensors + j} is the {@code j}-th sensor in phase order at tick {@code tick}.
 * Times are base (true) times: a skewed sensor clock is applied later.
 */
public final class SensorClock {

    private final long startMs;
    private final long intervalMs;
    private final int sensors;
    private final long[] phase;
    private final int[] order;

    public SensorClock(long startMs, long intervalMs, int sensors, Prng rng) {
        this.startMs = startMs;
        this.intervalMs = intervalMs;
        this.sensors = sensors;
        phase = new long[sensors];
        for (int s = 0; s < sensors; s++) {
            phase[s] = rng.nextLong(intervalMs);
        }
        order = IntStream.range(0, sensors).boxed()
                .sorted(Comparator.<Integer>comparingLong(s -> phase[s]).thenComparingInt(s -> s))
                .mapToInt(Integer::intValue).toArray();
    }

    public int sensors() {
        return sensors;
    }

    public long intervalMs() {
        return intervalMs;
    }

    public long startMs() {
        return startMs;
    }

    /** The sensor that reads in {@code slot}. */
    public int sensorOf(long slot) {
        return order[(int) (slot % sensors)];
    }

    /** The base time of {@code slot}: non-decreasing in slot. */
    public long timeOf(long slot) {
        return startMs + (slot / sensors) * intervalMs + phase[order[(int) (slot % sensors)]];
    }

    /** The first slot whose time is at or after {@code timeMs}. */
    public long firstSlotAtOrAfter(long timeMs) {
        if (timeMs <= startMs) {
            return 0;
        }
        long tick = (timeMs - startMs) / intervalMs;
        long lo = tick * sensors;
        long hi = lo + sensors; // timeOf(hi) >= start + (tick + 1) * interval > timeMs
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (timeOf(mid) < timeMs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public long phaseOf(int sensor) {
        return phase[sensor];
    }

    int[] order() {
        return Arrays.copyOf(order, order.length);
    }
}
