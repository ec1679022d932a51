package io.sensorflow.simulator.fault;

import io.sensorflow.oracle.MessageFacts;
import io.sensorflow.oracle.MessageListener;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Messages held back to be emitted later (out-of-order and late readings, duplicate copies), in
 * the order of the base event time at which they are released, then of holding.
 */
public final class HeldMessages {

    private record Held(long releaseAt, long order, MessageFacts facts, byte[] key, byte[] payload) {}

    private final PriorityQueue<Held> queue = new PriorityQueue<>((a, b) -> a.releaseAt != b.releaseAt
            ? Long.compare(a.releaseAt, b.releaseAt) : Long.compare(a.order, b.order));
    private long holds;

    /** Keeps a copy of the message, to emit once base time reaches {@code releaseAt}. */
    public void hold(long releaseAt, MessageFacts facts, byte[] key, byte[] payload, int length) {
        queue.add(new Held(releaseAt, holds++, facts.copy(), key, Arrays.copyOf(payload, length)));
    }

    /**
     * Emits the messages due at or before {@code timeMs}.
     *
     * @return how many were emitted
     */
    public int releaseUpTo(long timeMs, MessageListener out) {
        int n = 0;
        while (!queue.isEmpty() && queue.peek().releaseAt <= timeMs) {
            Held h = queue.poll();
            out.onMessage(h.facts, h.key, h.payload, h.payload.length);
            n++;
        }
        return n;
    }

    /** Emits everything still held, in release order. */
    public int releaseAll(MessageListener out) {
        return releaseUpTo(Long.MAX_VALUE, out);
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
