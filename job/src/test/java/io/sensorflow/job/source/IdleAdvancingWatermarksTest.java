package io.sensorflow.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.job.readings.Reading;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/**
 * Watermarks of one partition with outOfOrderness 5 s, granularity 1 s and idle timeout 30 s,
 * driven by a fake wall clock. W = floorDiv(maxEventTime - 5000, 1000) * 1000 - 1, worked out by
 * hand for each case.
 */
class IdleAdvancingWatermarksTest {

    private static final long OOO = 5_000L;
    private static final long GRANULARITY = 1_000L;
    private static final long IDLE = 30_000L;

    /** Wall clock when the generator is created. */
    private static final long C0 = 1_000_000L;
    /** Periodic emit interval of Flink's default auto-watermark interval. */
    private static final long TICK = 200L;

    /** 2026-11-21T08:15:03.120Z. */
    private static final long T0 = 1_795_248_903_120L;
    /** 2026-11-21T08:15:03.500Z. */
    private static final long T1 = 1_795_248_903_500L;

    private long now = C0;
    private final Recording out = new Recording();
    private final IdleAdvancingWatermarks gen = new IdleAdvancingWatermarks(OOO, GRANULARITY, IDLE, () -> now);

    static final class Recording implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        int idle;
        int active;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            idle++;
        }

        @Override
        public void markActive() {
            active++;
        }

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }

    static Reading valid(long eventTime) {
        Reading r = new Reading();
        r.sensorId = "s";
        r.eventTime = eventTime;
        r.temperature = 20.0;
        return r;
    }

    static Reading rejected() {
        Reading r = new Reading();
        r.eventTime = Long.MIN_VALUE;
        return r.reject(io.sensorflow.job.readings.RejectReason.NOT_JSON, "x");
    }

    void event(long eventTime) {
        gen.onEvent(valid(eventTime), eventTime, out);
    }

    void rejectedEvent() {
        gen.onEvent(rejected(), Long.MIN_VALUE, out);
    }

    /** Advances the wall clock to {@code until} in periodic-emit ticks, calling onPeriodicEmit at each. */
    void ticksUntil(long until) {
        while (now + TICK <= until) {
            now += TICK;
            gen.onPeriodicEmit(out);
        }
    }

    void assertStrictlyIncreasing() {
        for (int i = 1; i < out.watermarks.size(); i++) {
            assertThat(out.watermarks.get(i)).isGreaterThan(out.watermarks.get(i - 1));
        }
    }

    // --- event-driven emission -------------------------------------------------------------------

    @Test
    void firstReadingEmitsAtOnceWithoutAnyTimer() {
        event(T0);
        // T0 - 5000 = ...898_120, floored to ...898_000, minus 1
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L);
    }

    @Test
    void emitsOnlyWhenTheFlooredWatermarkAdvances() {
        event(T0);
        event(T0 + 300);   // ...898_420 floors to the same second
        event(T0 + 879);   // ...898_999 still the same second
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L);
        event(T0 + 880);   // ...899_000: next second
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L, 1_795_248_898_999L);
        event(T0 + 2_000); // ...900_120
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L, 1_795_248_898_999L, 1_795_248_899_999L);
    }

    @Test
    void exactSecondBoundary() {
        event(1_795_248_905_000L); // minus 5 s is exactly ...900_000
        assertThat(out.watermarks).containsExactly(1_795_248_899_999L);
    }

    @Test
    void outOfOrderReadingsNeverMoveTheWatermarkBack() {
        event(T0 + 10_000);
        event(T0);
        event(T0 + 5_000);
        event(T0 + 9_999);
        // T0 + 10_000 - 5_000 = ...908_120 -> ...907_999
        assertThat(out.watermarks).containsExactly(1_795_248_907_999L);
    }

    @Test
    void atMostOneWatermarkPerSecondOfEventTime() {
        for (long t = T0; t < T0 + 10_000; t += 7) {
            event(t);
        }
        // maxEventTime T0 + 9_996 = ...913_116 -> ...908_116 -> ...907_999; first was ...897_999
        assertThat(out.watermarks).hasSize(11);
        assertThat(out.watermarks.get(0)).isEqualTo(1_795_248_897_999L);
        assertThat(out.last()).isEqualTo(1_795_248_907_999L);
        assertStrictlyIncreasing();
    }

    @Test
    void floorDivForEarlyEventTimes() {
        event(0L);      // floorDiv(-5000, 1000) * 1000 - 1
        assertThat(out.watermarks).containsExactly(-5_001L);
        event(2_500L);  // floorDiv(-2500, 1000) = -3
        assertThat(out.watermarks).containsExactly(-5_001L, -3_001L);
        event(5_999L);  // floorDiv(999, 1000) = 0
        assertThat(out.watermarks).containsExactly(-5_001L, -3_001L, -1L);
    }

    @Test
    void otherGranularityAndNoOutOfOrderness() {
        IdleAdvancingWatermarks g = new IdleAdvancingWatermarks(0L, 500L, IDLE, () -> now);
        g.onEvent(valid(1_250L), 1_250L, out);
        g.onEvent(valid(1_499L), 1_499L, out);
        g.onEvent(valid(1_500L), 1_500L, out);
        assertThat(out.watermarks).containsExactly(999L, 1_499L);
    }

    @Test
    void deterministicForTheSameRecords() {
        long[] times = {T0, T0 + 400, T0 - 3_000, T0 + 1_900, T0 + 1_100, T0 + 7_777, T0 + 6_000};
        for (long t : times) {
            event(t);
        }
        Recording second = new Recording();
        IdleAdvancingWatermarks other = new IdleAdvancingWatermarks(OOO, GRANULARITY, IDLE, () -> 123L);
        for (long t : times) {
            other.onEvent(valid(t), t, second);
        }
        assertThat(second.watermarks).isEqualTo(out.watermarks);
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L, 1_795_248_899_999L, 1_795_248_904_999L);
    }

    // --- rejected readings -----------------------------------------------------------------------

    @Test
    void rejectedReadingsEmitNothing() {
        rejectedEvent();
        rejectedEvent();
        assertThat(out.watermarks).isEmpty();
        event(T0);
        rejectedEvent();
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L);
    }

    // --- idleness --------------------------------------------------------------------------------

    @Test
    void noIdleAdvanceWhileReadingsKeepComing() {
        for (int s = 0; s < 120; s++) {
            event(T0 + s * 1_000L);
            ticksUntil(now + 1_000);
        }
        // last reading T0 + 119_000 -> minus 5 s = ...017_120 -> ...016_999; one watermark per reading
        assertThat(out.watermarks).hasSize(120);
        assertThat(out.last()).isEqualTo(1_795_249_016_999L);
        assertThat(out.idle).isZero();
    }

    @Test
    void noIdleAdvanceBeforeTheIdleTimeout() {
        event(T0);
        ticksUntil(C0 + IDLE - TICK);
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L);
        assertThat(out.idle).isZero();
    }

    @Test
    void idleAdvanceStartsWhenIdleTimeoutHasPassedSinceThePeriodicCheckThatSawTheLastReading() {
        event(T0); // at wall clock C0; the tick at C0 + 200 ms is the first to see it
        ticksUntil(C0 + IDLE);
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L);
        // quiet for 30 s since that tick: T0 - 5000 + 30000 = ...928_120 -> ...927_999
        ticksUntil(C0 + TICK + IDLE);
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L, 1_795_248_927_999L);
        // at C0 + 40 s, quiet for 39.8 s: T0 - 5000 + 39_800 = ...937_920 -> ...936_999
        ticksUntil(C0 + 40_000);
        assertThat(out.last()).isEqualTo(1_795_248_936_999L);
        assertStrictlyIncreasing();
        assertThat(out.idle).isZero();
    }

    @Test
    void timeTheTaskThreadSpentBlockedBetweenTwoChecksIsNotQuietTime() {
        event(T0);
        ticksUntil(C0 + TICK); // sees the reading: the quiet time starts here
        now += 10 * IDLE; // e.g. a sink flushing to a database that is down holds the thread
        gen.onPeriodicEmit(out);
        assertThat(out.watermarks).as("one check counts at most a second").containsExactly(1_795_248_897_999L);
        long resumed = now;
        ticksUntil(resumed + IDLE - IdleAdvancingWatermarks.MAX_CHECK_GAP_MS - TICK);
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L);
        ticksUntil(resumed + IDLE - IdleAdvancingWatermarks.MAX_CHECK_GAP_MS);
        // quiet for 30 s counted: T0 - 5000 + 30000 = ...928_120 -> ...927_999
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L, 1_795_248_927_999L);
    }

    @Test
    void idleAdvanceFollowsTheWallClock() {
        // T1 ends in .500, so these expectations do not depend on where between two ticks the quiet time starts
        event(T1);
        ticksUntil(C0 + 60_000);
        // T1 - 5000 + 60000 = ...958_500 -> ...957_999
        assertThat(out.last()).isEqualTo(1_795_248_957_999L);
        ticksUntil(C0 + 3_600_000);
        // an hour: T1 - 5000 + 3_600_000 = 1_795_252_498_500 -> 1_795_252_497_999
        assertThat(out.last()).isEqualTo(1_795_252_497_999L);
        assertStrictlyIncreasing();
        assertThat(out.idle).isZero();
    }

    @Test
    void idleAdvanceEmitsAtMostOncePerGranularityStep() {
        event(T1);
        ticksUntil(C0 + 60_000);
        // the reading's own watermark, then one per second of event time from ...927_999 to ...957_999
        // (31), never one per tick
        assertThat(out.watermarks).hasSize(32);
        assertThat(out.watermarks.get(1)).isEqualTo(1_795_248_927_999L);
        assertThat(out.last()).isEqualTo(1_795_248_957_999L);
        assertStrictlyIncreasing();
    }

    @Test
    void rejectedReadingsDoNotKeepThePartitionAwake() {
        event(T1);
        for (int i = 0; i < 175; i++) { // a rejected reading every 200 ms, for 35 s
            rejectedEvent();
            ticksUntil(now + TICK);
        }
        // 35 s quiet of valid readings: T1 - 5000 + 35000 = ...933_500 -> ...932_999
        assertThat(now).isEqualTo(C0 + 35_000);
        assertThat(out.last()).isEqualTo(1_795_248_932_999L);
    }

    @Test
    void aNewReadingRestartsTheQuietTime() {
        event(T1);
        ticksUntil(C0 + 60_000);
        assertThat(out.last()).isEqualTo(1_795_248_957_999L);

        event(T1 + 70_000); // ...973_500 - 5000 = ...968_500 -> ...967_999
        assertThat(out.last()).isEqualTo(1_795_248_967_999L);
        long readingAt = now;
        ticksUntil(readingAt + 29_000);
        assertThat(out.last()).isEqualTo(1_795_248_967_999L);
        ticksUntil(readingAt + 35_000);
        // T1 + 70_000 - 5000 + 35_000 = T1 + 100_000 = 1_795_249_003_500 -> 1_795_249_002_999
        assertThat(out.last()).isEqualTo(1_795_249_002_999L);
        assertStrictlyIncreasing();
    }

    @Test
    void aLateReadingAfterAnIdleAdvanceDoesNotMoveTheWatermarkBack() {
        event(T1);
        ticksUntil(C0 + 60_000);
        long before = out.last();
        event(T1 + 10_000);
        assertThat(out.last()).isEqualTo(before);
        ticksUntil(now + 40_000);
        assertStrictlyIncreasing();
        assertThat(out.last()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void partitionWithoutReadingsIsMarkedIdleAfterTheTimeout() {
        ticksUntil(C0 + IDLE - TICK);
        assertThat(out.idle).isZero();
        ticksUntil(C0 + IDLE);
        assertThat(out.idle).isGreaterThanOrEqualTo(1);
        assertThat(out.watermarks).isEmpty();
    }

    @Test
    void partitionWithOnlyRejectedReadingsIsMarkedIdle() {
        for (int i = 0; i < 150; i++) { // 30 s
            rejectedEvent();
            ticksUntil(now + TICK);
        }
        assertThat(now).isEqualTo(C0 + IDLE);
        assertThat(out.idle).isGreaterThanOrEqualTo(1);
        assertThat(out.watermarks).isEmpty();
    }

    @Test
    void idlePartitionEmitsAgainWhenAReadingArrives() {
        ticksUntil(C0 + 60_000);
        assertThat(out.idle).isGreaterThanOrEqualTo(1);
        event(T0);
        assertThat(out.watermarks).containsExactly(1_795_248_897_999L);
    }
}
