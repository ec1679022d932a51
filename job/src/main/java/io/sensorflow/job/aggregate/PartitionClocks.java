package io.sensorflow.job.aggregate;

import java.util.HashMap;
import java.util.Map;

/**
 * The event-time progress of each Kafka partition, as its own readings show it: the same
 * watermark the source computes per partition ({@code floor(maxEventTime - outOfOrderness)} in
 * steps of the granularity, minus 1), but derived from the records alone, so it is the same in
 * every run over the same records, whatever the interleaving of partitions or the timing of a
 * restore.
 */
final class PartitionClocks {

    private final long outOfOrdernessMs;
    private final long granularityMs;
    private final Map<String, Clock> clocks = new HashMap<>();
    private Clock last;

    PartitionClocks(long outOfOrdernessMs, long granularityMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.granularityMs = granularityMs;
    }

    /** The clock of a partition; consecutive readings mostly come from the same one. */
    Clock of(String topic, int partition) {
        Clock c = last;
        if (c != null && c.partition == partition && c.topic.equals(topic)) {
            return c;
        }
        c = clocks.computeIfAbsent(key(topic, partition), k -> new Clock(topic, partition));
        last = c;
        return c;
    }

    Iterable<Clock> all() {
        return clocks.values();
    }

    /** Restores a partition's progress; when several are given, the furthest wins. */
    void restore(String topic, int partition, long maxEventTime) {
        Clock c = of(topic, partition);
        c.advanceTo(maxEventTime);
    }

    private static String key(String topic, int partition) {
        return topic + '\u0000' + partition;
    }

    /** One partition's latest event time and the watermark it implies. */
    final class Clock {
        final String topic;
        final int partition;
        long maxEventTime = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;

        Clock(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        void advanceTo(long eventTime) {
            if (eventTime > maxEventTime) {
                maxEventTime = eventTime;
                watermark = Math.floorDiv(eventTime - outOfOrdernessMs, granularityMs) * granularityMs - 1;
            }
        }
    }
}
