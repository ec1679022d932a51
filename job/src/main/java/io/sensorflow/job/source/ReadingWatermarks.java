package io.sensorflow.job.source;

import io.sensorflow.job.readings.Reading;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The event-time rules of the job: which time a reading carries and how far event time has come. */
public final class ReadingWatermarks {

    private ReadingWatermarks() {}

    /**
     * Watermarks per Kafka partition that trail the latest event time by {@code outOfOrderness},
     * in steps of {@code granularity}, and advance with the wall clock once a partition has had
     * no valid reading for {@code idleTimeout}. Rejected readings carry no event time.
     *
     * <p>The clock is Flink's input activity clock, which stands still while the source is
     * backpressured: a source that reads nothing because a sink is slow (PostgreSQL down, one
     * subtask catching up after a restart) has not gone quiet, and moving event time on would make
     * the readings waiting in Kafka late (FLIP-471).
     */
    public static WatermarkStrategy<Reading> strategy(Duration outOfOrderness, Duration granularity, Duration idleTimeout) {
        long bound = outOfOrderness.toMillis();
        long step = granularity.toMillis();
        long idle = idleTimeout.toMillis();
        return WatermarkStrategy.<Reading>forGenerator(
                        ctx -> new IdleAdvancingWatermarks(bound, step, idle, ctx.getInputActivityClock()::relativeTimeMillis))
                .withTimestampAssigner((reading, kafkaTimestamp) -> reading.isValid() ? reading.eventTime : Long.MIN_VALUE);
    }
}
