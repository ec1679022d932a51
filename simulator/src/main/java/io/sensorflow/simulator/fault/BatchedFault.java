package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.OracleParameters;
import java.time.Duration;

/**
 * A sensor, or the whole fleet, offline for {@code length} of event time from {@code at} (a random
 * time when null), {@code count} times, doing what the firmware does then: it keeps taking readings
 * (seq advances, times are the real ones), queues them, and sends them oldest first in one burst
 * when it is back. Readings queued longer than the out-of-orderness arrive behind the watermark:
 * they count in their window, and no alert rule sees them.
 *
 * <p>The burst goes out at {@link #releaseAt}: the end of the outage, moved up to the next time
 * whose watermark step begins there. With readings at most one watermark step apart on each
 * partition, every partition's watermark then equals the one-stream watermark the oracle judges by.
 */
public record BatchedFault(SensorRef sensor, TimeRef at, Duration length, int count, String origin)
        implements FaultSpec {

    @Override
    public FaultKind kind() {
        return FaultKind.BATCHED;
    }

    /**
     * When the readings queued until {@code endMs} are sent: the first time t &gt;= endMs with
     * t - outOfOrderness a multiple of the watermark granularity.
     */
    public static long releaseAt(long endMs, OracleParameters p) {
        long g = p.watermarkGranularityMs();
        long phase = Math.floorMod(endMs - p.outOfOrdernessMs(), g);
        return phase == 0 ? endMs : endMs + (g - phase);
    }

    @Override
    public void validate(FaultContext c) {
        Faults.checkSpan(sensor, at, length, count, c, origin, "an outage", "30s");
    }
}
