package io.sensorflow.job.alerts;

import io.sensorflow.job.readings.Reading;
import io.sensorflow.rules.Rule;
import io.sensorflow.rules.SilenceRule;
import io.sensorflow.rules.cep.RuleEvent;
import io.sensorflow.rules.cep.SilenceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * The candidate selector at one parallelism, as the job runs it between a start and a stop: partition
 * p is read by subtask {@code owner(p)}, each whole second of readings is followed by the watermark
 * (the latest time less {@code boundMs}) on every subtask. What the subtasks send, silence events and
 * each rule's events, is in {@link #candidates} as "rule event @timestamp", sorted. For the tests of
 * its state across stops, restores and rescales.
 */
final class SelectorRun {

    static final int MAX_PARALLELISM = 128;

    final List<OneInputStreamOperatorTestHarness<Reading, SilenceEvent>> subtasks = new ArrayList<>();
    final List<String> candidates = new ArrayList<>();
    private final List<Rule> rules;
    private final IntUnaryOperator owner;
    private final long boundMs;
    private long maxTime = Long.MIN_VALUE;

    /** A start afresh. */
    SelectorRun(List<Rule> rules, List<SilenceRule> silences, long boundMs, int parallelism, IntUnaryOperator owner)
            throws Exception {
        this(rules, silences, boundMs, parallelism, owner, null, 0);
    }

    /** A start from {@code restore}, the states {@code oldParallelism} subtasks wrote. */
    SelectorRun(List<Rule> rules, List<SilenceRule> silences, long boundMs, int parallelism, IntUnaryOperator owner,
            List<OperatorSubtaskState> restore, int oldParallelism) throws Exception {
        this.rules = rules;
        this.owner = owner;
        this.boundMs = boundMs;
        OperatorSubtaskState all = restore == null ? null
                : AbstractStreamOperatorTestHarness.repackageState(restore.toArray(new OperatorSubtaskState[0]));
        for (int i = 0; i < parallelism; i++) {
            var h = new OneInputStreamOperatorTestHarness<Reading, SilenceEvent>(
                    new SelectAlertCandidates(rules, silences, Duration.ofDays(7).toMillis(), 1_000_000),
                    MAX_PARALLELISM, parallelism, i);
            if (all != null) {
                h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        all, MAX_PARALLELISM, oldParallelism, parallelism, i));
            }
            h.open();
            subtasks.add(h);
        }
    }

    /**
     * Sensor {@code sensor}'s reading of second {@code second} (its seq) from partition {@code partition}
     * of topic "readings", at a random millisecond of that second; no values yet.
     */
    static Reading reading(int sensor, int partition, int second, java.util.Random random) {
        Reading r = new Reading();
        r.sensorId = "sensor-" + sensor;
        r.sourceTopic = "readings";
        r.sourcePartition = partition;
        r.seq = second;
        r.eventTime = second * 1000L + random.nextInt(1000);
        return r;
    }

    /** The readings of seconds [from, to), each second followed by the watermark. */
    void feed(List<Reading> readings, int from, int to) throws Exception {
        for (Reading r : readings) {
            int second = (int) (r.eventTime / 1000);
            if (second < from || second >= to) {
                continue;
            }
            if (maxTime != Long.MIN_VALUE && second > maxTime / 1000) {
                watermark(maxTime - boundMs);
            }
            maxTime = Math.max(maxTime, r.eventTime);
            // The selector keeps no reference to a reading, but a fresh one per delivery is what the job does.
            subtasks.get(owner.applyAsInt(r.sourcePartition)).processElement(DifferentialStreams.copy(r), r.eventTime);
        }
        watermark(maxTime - boundMs);
        candidates.sort(null);
    }

    private void watermark(long w) throws Exception {
        for (var h : subtasks) {
            h.processWatermark(new Watermark(w));
        }
        collect();
    }

    private void collect() {
        for (var h : subtasks) {
            for (Object o; (o = h.getOutput().poll()) != null; ) {
                if (o instanceof StreamRecord<?> rec) {
                    candidates.add("silence " + rec.getValue() + " @" + rec.getTimestamp());
                }
            }
            for (Rule rule : rules) {
                var side = h.getSideOutput(SelectAlertCandidates.ruleOutput(rule));
                if (side != null) {
                    for (StreamRecord<RuleEvent> rec; (rec = side.poll()) != null; ) {
                        candidates.add(rule.id() + " " + rec.getValue() + " @" + rec.getTimestamp());
                    }
                }
            }
        }
    }

    /** A checkpoint or savepoint of every subtask (what they send on its barrier included). */
    List<OperatorSubtaskState> snapshot(long checkpointId) throws Exception {
        List<OperatorSubtaskState> states = new ArrayList<>();
        for (var h : subtasks) {
            h.prepareSnapshotPreBarrier(checkpointId);
            states.add(h.snapshot(checkpointId, checkpointId));
        }
        collect();
        candidates.sort(null);
        return states;
    }

    void close() throws Exception {
        for (var h : subtasks) {
            h.close();
        }
    }
}
