package io.sensorflow.job.alerts;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who owns a sensor's entry after a restore. Each entry is tagged with its Kafka partition and
 * the subtask that wrote it. At the same parallelism a subtask takes back what it wrote, as its
 * Kafka partitions come back to it too. At another parallelism nobody can tell yet which subtask
 * will read which partition, so every subtask keeps the entries unclaimed, and the one that reads
 * the first record of a partition claims that partition's entries ({@link #claim}); the others
 * drop their copies once the watermark has passed everything in them ({@link #writeKept}).
 */
final class PartitionClaims {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PartitionClaims.class);

    private final int subtask;
    private final int parallelism;
    /**
     * Restored entries nobody has claimed yet, by Kafka partition: after a restore at another
     * parallelism, until the subtask that now reads the partition sees its first record.
     */
    private final Map<Integer, List<SensorState>> unclaimed = new HashMap<>();

    PartitionClaims(int subtask, int parallelism) {
        this.subtask = subtask;
        this.parallelism = parallelism;
    }

    /**
     * Sorts the restored entries: returns this subtask's own when the parallelism is unchanged,
     * and keeps every entry whose owner is not known yet (another parallelism, or unclaimed since
     * one) for {@link #claim}. Of several copies of one sensor, a claimed one is the live one.
     */
    List<SensorState> restore(Iterable<byte[]> entries, CandidateStateFormat format) throws IOException {
        List<SensorState> own = new ArrayList<>();
        Set<String> ownIds = new HashSet<>();
        Map<String, SensorState> pending = new HashMap<>();
        for (byte[] bytes : entries) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            CandidateStateFormat.Header h = CandidateStateFormat.Header.read(in);
            if (h.claimed() && h.writerParallelism() == parallelism) {
                if (h.writer() == subtask) {
                    SensorState s = format.read(in, h.version());
                    own.add(s);
                    ownIds.add(s.sensorId);
                }
                continue; // else its writer takes it back
            }
            SensorState s = format.read(in, h.version());
            s.claimed = h.claimed();
            SensorState other = pending.get(s.sensorId);
            if (other == null || (s.claimed && !other.claimed)
                    || (s.claimed == other.claimed && s.readings.held() > other.readings.held())) {
                pending.put(s.sensorId, s);
            }
        }
        int kept = 0;
        for (SensorState s : pending.values()) {
            if (!ownIds.contains(s.sensorId)) {
                s.claimed = false;
                unclaimed.computeIfAbsent(s.partition, p -> new ArrayList<>()).add(s);
                kept++;
            }
        }
        LOG.info("Alert candidates, subtask {} of {}: restored {} sensors of its own and {} unclaimed",
                subtask, parallelism, own.size(), kept);
        return own;
    }

    boolean isEmpty() {
        return unclaimed.isEmpty();
    }

    /**
     * This subtask reads {@code partition} of {@code topic}: returns the unclaimed entries of that
     * partition whose sensor is not in {@code live}, to be its own now (none: an empty list).
     * Readings they hold that the watermark has already passed are dropped, as every operator
     * downstream is past them (only when the partition sent nothing for longer than the idle
     * timeout after the restore).
     */
    List<SensorState> claim(String topic, int partition, Map<String, SensorState> live, long watermark) {
        List<SensorState> entries = unclaimed.remove(partition);
        if (entries == null) {
            return List.of();
        }
        List<SensorState> claimed = new ArrayList<>();
        List<SensorState> otherTopic = null;
        for (SensorState s : entries) {
            if (!Objects.equals(s.topic, topic)) {
                (otherTopic == null ? otherTopic = new ArrayList<>() : otherTopic).add(s);
            } else if (!live.containsKey(s.sensorId)) {
                s.readings.dropUpTo(watermark);
                claimed.add(s);
            }
        }
        if (otherTopic != null) {
            unclaimed.put(partition, otherTopic);
        }
        return claimed;
    }

    /**
     * Writes the unclaimed entries that still matter to {@code snapshot}, and forgets those that
     * are {@code spent}. Every subtask keeps writing its unclaimed copies, so that whichever
     * subtask turns out to own the partition finds them after a failover too.
     */
    void writeKept(List<byte[]> snapshot, Predicate<SensorState> spent, CandidateStateFormat format) throws IOException {
        for (Iterator<List<SensorState>> lists = unclaimed.values().iterator(); lists.hasNext(); ) {
            List<SensorState> entries = lists.next();
            entries.removeIf(spent);
            if (entries.isEmpty()) {
                lists.remove();
            }
            for (SensorState s : entries) {
                snapshot.add(format.write(s, subtask, parallelism));
            }
        }
    }

    /** Restored entries this subtask holds unclaimed. */
    int size() {
        int n = 0;
        for (List<SensorState> entries : unclaimed.values()) {
            n += entries.size();
        }
        return n;
    }
}
