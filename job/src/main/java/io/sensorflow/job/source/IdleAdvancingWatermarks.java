package io.sensorflow.job.source;

import io.sensorflow.job.readings.Reading;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded-out-of-orderness watermarks for one Kafka partition, with two additions.
 *
 * <p>The watermark is emitted as soon as a reading moves it forward by a whole
 * {@code granularity} step, not on a timer: whether a reading is late then depends only on the
 * order of the partition's records, not on when a periodic timer happened to fire, so replays
 * give the same answer. The step keeps watermarks to one per second of event time, not one per
 * reading.
 *
 * <p>When the partition has had no valid reading for {@code idleTimeout} of wall-clock time
 * (counted by {@code clock}: in the job, the input activity clock, which stops while the source is
 * backpressured), event time keeps advancing with that clock from the last reading, so the last windows close
 * and silences become visible even when every sensor stops. The quiet time is counted from the
 * first periodic check that saw the last reading (at most one auto-watermark interval, 200 ms by
 * default, after it), which spares a clock read per reading and errs on the side of a watermark
 * that is slightly behind, never ahead. A check counts at most {@link #MAX_CHECK_GAP_MS} since the
 * one before it: time the task thread spent blocked is not quiet time. A partition that has never had a reading is marked idle
 * instead, so that it holds no one back.
 */
public final class IdleAdvancingWatermarks implements WatermarkGenerator<Reading> {

    private final long outOfOrdernessMs;
    private final long granularityMs;
    private final long idleTimeoutMs;
    private final LongSupplier wallClock;

    /**
     * The most quiet time one periodic check may count. Checks come every auto-watermark interval
     * (200 ms by default) when the task thread is free; a longer gap means the thread was busy or
     * blocked (a sink flushing to a database that is down), so nothing could have been read, and
     * the records waiting in Kafka must not become late for it.
     */
    static final long MAX_CHECK_GAP_MS = 1_000;

    private long maxEventTime = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;
    private long eventsSincePeriodic;
    private long lastCheck;
    /** Quiet time counted since the check that saw the last reading. */
    private long quietMs;

    public IdleAdvancingWatermarks(long outOfOrdernessMs, long granularityMs, long idleTimeoutMs, LongSupplier wallClock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.granularityMs = granularityMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.wallClock = wallClock;
        this.lastCheck = wallClock.getAsLong();
    }

    @Override
    public void onEvent(Reading reading, long eventTime, WatermarkOutput output) {
        if (eventTime == Long.MIN_VALUE) {
            return; // a rejected reading says nothing about event time
        }
        eventsSincePeriodic++;
        if (eventTime > maxEventTime) {
            maxEventTime = eventTime;
            emitIfAdvanced(eventTime - outOfOrdernessMs, output);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = wallClock.getAsLong();
        long sinceCheck = now - lastCheck;
        lastCheck = now;
        if (eventsSincePeriodic > 0) {
            eventsSincePeriodic = 0;
            quietMs = 0;
            return;
        }
        quietMs += Math.min(Math.max(sinceCheck, 0), MAX_CHECK_GAP_MS);
        if (quietMs < idleTimeoutMs) {
            return;
        }
        if (maxEventTime == Long.MIN_VALUE) {
            output.markIdle();
        } else {
            emitIfAdvanced(maxEventTime - outOfOrdernessMs + quietMs, output);
        }
    }

    private void emitIfAdvanced(long candidate, WatermarkOutput output) {
        long watermark = Math.floorDiv(candidate, granularityMs) * granularityMs - 1;
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
