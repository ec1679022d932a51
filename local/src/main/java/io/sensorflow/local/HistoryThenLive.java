package io.sensorflow.local;

import io.sensorflow.simulator.output.EventTimePacedSink;
import io.sensorflow.simulator.output.MessageSink;

/**
 * The simulator's readings up to now (its history) to one sink, and from then on to another: the history is
 * backfilled into Kafka directly, so that the first windows close within seconds, and the live readings go the way a
 * board's go, over MQTT (through the broker and the bridge, at QoS 1 and one at a time per node, a history of
 * 135,000 readings took over a minute on 2 cores). The switch is the first {@link #flush()}: an
 * {@link EventTimePacedSink} flushes its target when it has caught up with the wall clock. The history is flushed
 * (in Kafka) before the first live reading goes out, so each sensor's readings stay in order.
 */
final class HistoryThenLive implements MessageSink {

    private final MessageSink history;
    private final MessageSink live;
    private volatile boolean caughtUp;

    HistoryThenLive(MessageSink history, MessageSink live) {
        this.history = history;
        this.live = live;
    }

    @Override
    public void send(int sensor, byte[] key, byte[] payload, int length) {
        (caughtUp ? live : history).send(sensor, key, payload, length);
    }

    @Override
    public void flush() {
        if (!caughtUp) {
            history.flush();
            caughtUp = true;
        } else {
            live.flush();
        }
    }

    /** Whether the history is sent and readings now go to the live sink. */
    boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void close() {
        try {
            history.close();
        } finally {
            live.close();
        }
    }
}
