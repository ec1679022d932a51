package io.sensorflow.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of one MQTT message to Kafka and back to its acknowledgement:
 *
 * <ol>
 *   <li>{@link #forward} (on the MQTT client's callback thread) takes one of {@code --max-in-flight} permits,
 *       waiting while none is free, registers the message with its connection's {@link OrderedAcks} (QoS 1) and
 *       queues it. Nothing here waits for Kafka, so the MQTT client keeps reading (and answering pings) while
 *       Kafka is down;
 *   <li>the sender thread hands the queued records, in arrival order, to the producer (key = sensor id, value = the
 *       payload). If the producer cannot take a record right now (no metadata for the topic, or no buffer space,
 *       within {@code max.block.ms}: Kafka is down), the same record is offered again after a pause, and nothing
 *       behind it goes first, so the order stays the arrival order;
 *   <li>when Kafka confirms the record (the producer's callback, on its I/O thread), the permit is returned and the
 *       message confirmed: {@link OrderedAcks} acknowledges it once every earlier message is confirmed too;
 *   <li>when Kafka refuses it (only non-retriable errors get here: the producer retries the others for as long as
 *       {@code delivery.timeout.ms}, about 24 days), it is never acknowledged, and the bridge stops: the broker keeps
 *       the message (and everything after it) for the next bridge.
 * </ol>
 *
 * A record whose connection is gone before it is sent is not sent (the broker sends the message again on the next
 * connection); a QoS 0 message is sent anyway, since the broker keeps no copy of it.
 */
final class Forwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private static final Duration MIN_RETRY_PAUSE = Duration.ofMillis(100);
    private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);

    private final Producer<byte[], byte[]> producer;
    private final TopicFilter readingsFilter;
    private final TopicFilter statusFilter;
    private final String readingsTopic;
    private final String statusTopic;
    private final Semaphore permits;
    private final BridgeStats stats;
    private final BooleanSupplier stopping;
    private final Consumer<Exception> onFailure;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private final AtomicBoolean warnedFull = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Starts the sender thread.
     *
     * @param stopping once true, arriving messages are left with the broker, records that cannot be sent are not
     *     retried, and refusals are expected (a force-closed producer fails what it still holds)
     * @param onFailure told about a record Kafka refused while running
     */
    Forwarder(BridgeSettings settings, Producer<byte[], byte[]> producer, BridgeStats stats, BooleanSupplier stopping,
              Consumer<Exception> onFailure) {
        this.producer = producer;
        this.readingsFilter = settings.mqttReadingsTopic();
        this.statusFilter = settings.mqttStatusTopic();
        this.readingsTopic = settings.readingsTopic();
        this.statusTopic = settings.statusTopic();
        this.permits = new Semaphore(settings.maxInFlight());
        this.stats = stats;
        this.stopping = stopping;
        this.onFailure = onFailure;
        this.sender = new Thread(this::sendLoop, "sensorflow-bridge-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Forwards one MQTT message; {@code acks} are those of the connection it came on. Never throws. */
    void forward(OrderedAcks acks, String mqttTopic, int messageId, int qos, boolean duplicate, byte[] payload) {
        stats.received.incrementAndGet();
        if (duplicate) {
            stats.redelivered.incrementAndGet();
        }
        String kafkaTopic = readingsTopic;
        String sensorId = readingsFilter.sensorId(mqttTopic);
        if (sensorId == null) {
            kafkaTopic = statusTopic;
            sensorId = statusFilter.sensorId(mqttTopic);
        }
        if (sensorId == null) {
            // Only a subscription left in the persistent session by an earlier configuration sends these. They have
            // nowhere to go; acknowledged (in order) so that they do not come back on every connection.
            stats.unroutable.incrementAndGet();
            LOG.warn("Dropping a message on MQTT topic '{}': it matches neither {} nor {} (a subscription of an earlier"
                    + " configuration? unsubscribe it, or use a new --mqtt-client-id)", mqttTopic, readingsFilter, statusFilter);
            if (qos > 0) {
                acks.confirmed(acks.arrived(messageId, qos));
            }
            return;
        }
        if (!takePermit(acks)) {
            return; // stopping, or the connection is gone: the broker keeps the message and sends it again
        }
        OrderedAcks.Pending pending = qos > 0 ? acks.arrived(messageId, qos) : null;
        stats.inFlight.incrementAndGet();
        queue.add(new Task(acks, pending, mqttTopic, messageId,
                new ProducerRecord<>(kafkaTopic, sensorId.getBytes(StandardCharsets.UTF_8), payload)));
    }

    /** Stops the sender thread (after the producer is closed, so that no send is waiting for Kafka). */
    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        try {
            sender.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Task t; (t = queue.poll()) != null; ) {
            release(t);
        }
    }

    /** Waits for one of the --max-in-flight permits; false if the bridge stops or the connection goes meanwhile. */
    private boolean takePermit(OrderedAcks acks) {
        boolean waited = false;
        try {
            while (true) {
                if (stopping.getAsBoolean() || !acks.isOpen()) {
                    return false;
                }
                if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (waited) {
                        LOG.info("Kafka confirmed records again: taking MQTT messages again");
                    }
                    return true;
                }
                if (!waited && warnedFull.compareAndSet(false, true)) {
                    LOG.warn("{} records are waiting for Kafka (--max-in-flight): not taking MQTT messages until Kafka"
                            + " confirms some", stats.inFlight());
                }
                waited = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (waited) {
                warnedFull.set(false);
            }
        }
    }

    private void sendLoop() {
        try {
            while (!closed) {
                Task t = queue.poll(100, TimeUnit.MILLISECONDS);
                if (t != null) {
                    send(t);
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            onFailure.accept(new IllegalStateException("the Kafka sender thread failed: " + e, e));
        }
    }

    /** Hands one record to the producer, offering it again while the producer cannot take it. */
    private void send(Task t) throws InterruptedException {
        Duration pause = MIN_RETRY_PAUSE;
        long firstRefusal = 0;
        while (true) {
            if (closed || (t.pending != null && !t.acks.isOpen())) {
                release(t); // the broker sends the message again on the next connection
                return;
            }
            Completion c = new Completion(t);
            c.sendingThread = Thread.currentThread();
            try {
                producer.send(t.record, c);
            } catch (RuntimeException e) {
                c.synchronousFailure = e; // thrown instead of passed to the callback
            }
            c.sendingThread = null;
            Exception refused = c.synchronousFailure;
            if (refused == null) {
                if (firstRefusal != 0) {
                    LOG.info("Kafka takes records again");
                }
                return; // with the producer now: the callback follows
            }
            if (!(refused instanceof RetriableException) || stopping.getAsBoolean()) {
                c.finish(refused);
                return;
            }
            if (firstRefusal == 0) {
                firstRefusal = System.nanoTime();
            }
            LOG.warn("Kafka cannot take records for {} now ({}); trying again, nothing is acknowledged meanwhile",
                    t.record.topic(), refused.getMessage());
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_RETRY_PAUSE) > 0 ? MAX_RETRY_PAUSE : pause.multipliedBy(2);
        }
    }

    private void sleep(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (!closed && !stopping.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    /** A task that will not be sent: its permit back, no acknowledgement. */
    private void release(Task t) {
        stats.inFlight.decrementAndGet();
        permits.release();
        LOG.debug("Not sending the message on {} (id {}): its connection is gone or the bridge stops", t.mqttTopic, t.messageId);
    }

    /** A message on its way: the record, and the connection (acks) it came on. */
    private static final class Task {
        final OrderedAcks acks;
        final OrderedAcks.Pending pending;
        final String mqttTopic;
        final int messageId;
        final ProducerRecord<byte[], byte[]> record;

        Task(OrderedAcks acks, OrderedAcks.Pending pending, String mqttTopic, int messageId,
             ProducerRecord<byte[], byte[]> record) {
            this.acks = acks;
            this.pending = pending;
            this.mqttTopic = mqttTopic;
            this.messageId = messageId;
            this.record = record;
        }
    }

    /** Kafka's answer for one record. */
    private final class Completion implements Callback {
        private final Task task;
        private final AtomicBoolean done = new AtomicBoolean();
        /** Set while the sender thread is inside {@code send}: a failure reported on it then is synchronous. */
        volatile Thread sendingThread;
        volatile Exception synchronousFailure;

        Completion(Task task) {
            this.task = task;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception e) {
            if (e != null && Thread.currentThread() == sendingThread) {
                // The record never got into the producer (no metadata, no buffer space, invalid): the sender decides.
                synchronousFailure = e;
                return;
            }
            finish(e);
        }

        void finish(Exception e) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            stats.inFlight.decrementAndGet();
            permits.release();
            if (e == null) {
                stats.forwarded.incrementAndGet();
                if (task.pending != null) {
                    task.acks.confirmed(task.pending);
                }
                return;
            }
            stats.failed.incrementAndGet();
            if (stopping.getAsBoolean()) {
                LOG.debug("Record of MQTT message {} on {} not confirmed by Kafka before the shutdown: {}",
                        task.messageId, task.mqttTopic, e.toString());
                return;
            }
            onFailure.accept(new IllegalStateException("Kafka refused the record of the MQTT message on '" + task.mqttTopic
                    + "' (id " + task.messageId + ") for topic " + task.record.topic() + ": " + e, e));
        }
    }
}
