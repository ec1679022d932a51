package io.sensorflow.bridge;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgements of one MQTT connection. Each QoS 1 message is registered when it arrives
 * ({@link #arrived}); Kafka's confirmation of its record marks it {@link #confirmed}; a message is acknowledged
 * only when it and every message that arrived before it on this connection are confirmed, so PUBACKs go out in
 * the order the messages came (as MQTT 3.1.1, 4.6, asks) and an acknowledgement always means "this and everything
 * before it is in Kafka". A message whose record failed is never confirmed, so neither it nor anything after it is
 * acknowledged.
 *
 * <p>Once {@link #close() closed} (the connection is gone) nothing more is acknowledged: message ids belong to a
 * connection, and the broker sends every unacknowledged message again on the next one.
 */
final class OrderedAcks {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedAcks.class);

    /** Sends one PUBACK (paho: {@code messageArrivedComplete}). Must not block. */
    @FunctionalInterface
    interface AckSender {
        void ack(int messageId, int qos) throws Exception;
    }

    /** A message waiting for Kafka, or for an earlier message to be confirmed. */
    static final class Pending {
        final int messageId;
        final int qos;
        final long arrivedNanos = System.nanoTime();
        boolean confirmed;

        Pending(int messageId, int qos) {
            this.messageId = messageId;
            this.qos = qos;
        }
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final AckSender sender;
    private final BridgeStats stats;
    private final BooleanSupplier connected;
    private boolean open = true;

    OrderedAcks(AckSender sender, BridgeStats stats) {
        this(sender, stats, () -> true);
    }

    /** @param connected whether the connection is still up (paho says no as soon as it starts shutting it down) */
    OrderedAcks(AckSender sender, BridgeStats stats, BooleanSupplier connected) {
        this.sender = sender;
        this.stats = stats;
        this.connected = connected;
    }

    /** Registers a QoS 1 or 2 message that just arrived, behind every earlier one. */
    synchronized Pending arrived(int messageId, int qos) {
        Pending p = new Pending(messageId, qos);
        if (open) {
            queue.addLast(p);
        }
        return p;
    }

    /**
     * Kafka has the record of {@code p}: acknowledges, in arrival order, every message from the oldest up to the
     * first one that is not confirmed yet. The PUBACKs are handed to the client under this object's lock, so that
     * concurrent confirmations cannot reorder them.
     */
    synchronized void confirmed(Pending p) {
        p.confirmed = true;
        while (open && !queue.isEmpty() && queue.peekFirst().confirmed) {
            Pending head = queue.pollFirst();
            try {
                sender.ack(head.messageId, head.qos);
                stats.acknowledged.incrementAndGet();
            } catch (Exception e) {
                // The connection is going away: the broker sends this message again on the next one.
                LOG.debug("Could not acknowledge MQTT message {}: {}", head.messageId, e.toString());
                close();
            }
        }
    }

    /** No more acknowledgements on this connection. */
    synchronized void close() {
        open = false;
        queue.clear();
    }

    /** Whether acknowledgements can still go out on this connection: not closed, and the connection up. */
    boolean isOpen() {
        synchronized (this) {
            if (!open) {
                return false;
            }
        }
        return connected.getAsBoolean();
    }

    /** Messages waiting to be acknowledged. */
    synchronized int size() {
        return queue.size();
    }

    /** How long the oldest unacknowledged message has waited, in nanoseconds; 0 if none. */
    synchronized long oldestWaitNanos() {
        Pending head = queue.peekFirst();
        return head == null ? 0 : System.nanoTime() - head.arrivedNanos;
    }
}
