package io.sensorflow.bridge;

import io.sensorflow.durations.Durations;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT to Kafka bridge. {@link #run()} forwards until {@link #stop()} (or a record Kafka refuses) and returns
 * the exit code; {@link #start()} runs it on a thread of its own.
 *
 * <p>At least once, in both directions of failure:
 * <ul>
 *   <li>an MQTT message is acknowledged only after Kafka confirmed its record (and the records of every message
 *       that came before it on the connection), see {@link Forwarder} and {@link OrderedAcks};
 *   <li>while Kafka is down, records wait in the producer (no delivery timeout to speak of), their messages stay
 *       unacknowledged, and the broker stops sending once its window of unacknowledged messages is full, keeping
 *       the rest in the session;
 *   <li>if the bridge dies, the broker sends every unacknowledged message again to the next bridge with the same
 *       client id (persistent session). Kafka may then get a record twice: the job de-duplicates by sensor and seq.
 * </ul>
 *
 * <p>At start the bridge first waits until Kafka knows both topics (so that it takes no message it cannot send, and
 * says clearly what is missing), then connects to MQTT; a lost MQTT connection is replaced by a new one after a
 * backoff (0.5 s doubling to 30 s).
 */
public final class Bridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration DISCONNECT_QUIESCE = Duration.ofSeconds(5);
    private static final long WAITING_REPORT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long POLL_MILLIS = 100;

    private final BridgeSettings settings;
    private final Producer<byte[], byte[]> producer;
    private final BridgeStats stats = new BridgeStats();
    private Forwarder forwarder;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean connected;
    private volatile boolean awaitingKafka;
    private volatile Thread thread;
    private volatile Integer exitCode;
    private long lastWaitingReport;

    /**
     * Creates the Kafka producer (connecting to nothing yet).
     *
     * @throws SettingsException if a {@code --kafka-property} is not valid
     */
    public Bridge(BridgeSettings settings) {
        this(settings, createProducer(settings));
    }

    /** With a producer of the caller's (tests); closed by the bridge. */
    Bridge(BridgeSettings settings, Producer<byte[], byte[]> producer) {
        this.settings = settings;
        this.producer = producer;
    }

    private static Producer<byte[], byte[]> createProducer(BridgeSettings settings) {
        try {
            return new KafkaProducer<>(settings.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        } catch (ConfigException e) {
            throw new SettingsException("--kafka-property: " + e.getMessage(), e);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SettingsException("--kafka-property or --kafka-bootstrap-servers: the Kafka producer cannot be"
                    + " created: " + cause.getMessage(), e);
        }
    }

    /** Runs {@link #run()} on a new thread and returns at once. */
    public Bridge start() {
        Thread t = new Thread(this::run, "sensorflow-bridge");
        thread = t;
        t.start();
        return this;
    }

    public BridgeStats stats() {
        return stats;
    }

    public BridgeSettings settings() {
        return settings;
    }

    /** Whether an MQTT connection is up and subscribed. */
    public boolean isConnected() {
        return connected;
    }

    /** The record Kafka refused, which stopped the bridge; null if none. */
    public Exception failure() {
        return failure.get();
    }

    /**
     * Forwards until {@link #stop()} is called or Kafka refuses a record.
     *
     * @return 0 after a stop, 1 after a failure
     */
    public int run() {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        LOG.info("sensorflow-bridge starting: {}", settings);
        try {
            try {
                forwarder = new Forwarder(settings, producer, stats, () -> stopRequested, this::fail);
                if (awaitKafka()) {
                    forwardUntilStopped();
                }
            } catch (RuntimeException e) {
                fail(e);
            } finally {
                closeProducer(); // first: a send waiting for Kafka metadata gives up when the producer closes
                if (forwarder != null) {
                    forwarder.close();
                }
            }
            Exception f = failure.get();
            if (f != null) {
                LOG.error("sensorflow-bridge stopped after a failure ({}). Messages that were not acknowledged stay"
                        + " with the MQTT broker for the next start.", stats, f);
                exitCode = 1;
            } else {
                LOG.info("sensorflow-bridge stopped: {}", stats);
                exitCode = 0;
            }
            return exitCode;
        } finally {
            finished.countDown();
        }
    }

    /** What {@link #run()} returned: null while it runs. */
    public Integer exitCode() {
        return exitCode;
    }

    /**
     * Asks the bridge to stop and waits until it has: messages in flight get up to {@code --shutdown-timeout} for
     * Kafka to confirm them (and are then acknowledged), then the MQTT connection is closed with a DISCONNECT and
     * the producer closed. What Kafka has not confirmed by then stays with the broker for the next start.
     *
     * @return whether it stopped within the shutdown timeout plus a margin
     */
    public boolean stop() {
        stopRequested = true;
        if (thread == null) {
            closeProducer(); // never started
            return true;
        }
        if (awaitingKafka) {
            // Nothing is in flight yet; closing the producer ends a wait for metadata at once.
            closeProducer();
        }
        try {
            return finished.await(settings.shutdownTimeout().toMillis() + 15_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Whether {@link #stop()} was called (or a failure stopped the bridge). */
    public boolean stopRequested() {
        return stopRequested;
    }

    private void fail(Exception e) {
        if (failure.compareAndSet(null, e)) {
            LOG.error("Stopping the bridge: {}", e.getMessage());
        }
        stopRequested = true;
    }

    /** Waits until the producer knows both topics' partitions; false if asked to stop meanwhile. */
    private boolean awaitKafka() {
        awaitingKafka = true;
        try {
            return awaitTopics();
        } catch (RuntimeException e) {
            if (stopRequested) {
                return false; // the producer was closed by stop()
            }
            throw e;
        } finally {
            awaitingKafka = false;
        }
    }

    private boolean awaitTopics() {
        Backoff backoff = new Backoff();
        for (String topic : List.of(settings.readingsTopic(), settings.statusTopic())) {
            while (true) {
                if (stopRequested) {
                    return false;
                }
                try {
                    List<PartitionInfo> partitions = producer.partitionsFor(topic);
                    if (partitions != null && !partitions.isEmpty()) {
                        LOG.info("Kafka topic {} has {} partitions", topic, partitions.size());
                        backoff.reset();
                        break;
                    }
                    LOG.warn("Kafka topic {} has no partitions yet: waiting", topic);
                } catch (KafkaException e) {
                    if (stopRequested) {
                        return false;
                    }
                    LOG.warn("Kafka topic {} is not available at {} ({}). Is Kafka up, and does the topic exist? The bridge"
                            + " connects to MQTT once it is.", topic, settings.kafkaBootstrapServers(), e.getMessage());
                }
                sleep(backoff.next());
            }
        }
        return true;
    }

    private void forwardUntilStopped() {
        Backoff backoff = new Backoff();
        while (!stopRequested) {
            MqttSession session = null;
            try {
                session = new MqttSession(settings, forwarder, stats);
                session.connect();
            } catch (Exception e) {
                LOG.warn("Cannot connect to the MQTT broker {} as '{}': {}. Retrying in {}.", settings.mqttBroker(),
                        settings.mqttClientId(), describe(e), Durations.format(backoff.peek()));
                if (session != null) {
                    session.abandon();
                }
                sleep(backoff.next());
                continue;
            }
            stats.connections.incrementAndGet();
            connected = true;
            LOG.info("Connected to {} as '{}' ({}), subscribed to {} and {} at QoS 1", settings.mqttBroker(),
                    settings.mqttClientId(), session.sessionPresent() ? "the broker had kept the session"
                            : "new session: the broker kept nothing for this client id", settings.mqttReadingsTopic(),
                    settings.mqttStatusTopic());
            backoff.reset();
            try {
                while (!stopRequested && !session.awaitLost(POLL_MILLIS)) {
                    reportWaiting(session);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested = true;
            }
            connected = false;
            if (stopRequested) {
                shutDown(session);
                return;
            }
            LOG.warn("Lost the connection to the MQTT broker {}: {}. Unacknowledged messages come again on the next"
                    + " connection; reconnecting in {}.", settings.mqttBroker(), describe(session.lostCause()),
                    Durations.format(backoff.peek()));
            session.abandon();
            sleep(backoff.next());
        }
    }

    /** Lets Kafka confirm what is in flight (acknowledging it), then disconnects from MQTT. */
    private void shutDown(MqttSession session) {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        LOG.info("Stopping: waiting up to {} for Kafka to confirm {} records in flight",
                Durations.format(settings.shutdownTimeout()), stats.inFlight());
        try {
            while (stats.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = stats.inFlight();
        session.disconnect(DISCONNECT_QUIESCE);
        if (left > 0) {
            LOG.warn("{} records were not confirmed by Kafka within {}: their MQTT messages stay unacknowledged and"
                    + " come again on the next start", left, Durations.format(settings.shutdownTimeout()));
        }
    }

    private void closeProducer() {
        try {
            // Anything still in flight now cannot be acknowledged any more (no connection): do not wait for it.
            producer.close(stats.inFlight() > 0 ? Duration.ZERO : Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Closing the Kafka producer: {}", e.toString());
        }
    }

    private void reportWaiting(MqttSession session) {
        long oldest = session.acks().oldestWaitNanos();
        long now = System.nanoTime();
        if (oldest > WAITING_REPORT_NANOS && now - lastWaitingReport > WAITING_REPORT_NANOS) {
            lastWaitingReport = now;
            LOG.warn("{} MQTT messages are waiting for Kafka, the oldest for {} s (Kafka down?). They stay"
                    + " unacknowledged, so the broker keeps them.", session.acks().size(),
                    TimeUnit.NANOSECONDS.toSeconds(oldest));
        }
    }

    private void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (!stopRequested && System.nanoTime() < end) {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        }
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "no reason given";
        }
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            text.append(": ").append(c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName());
        }
        return text.toString();
    }

    /** 0.5 s, doubling to 30 s. */
    private static final class Backoff {
        private Duration next = MIN_BACKOFF;

        Duration peek() {
            return next;
        }

        Duration next() {
            Duration d = next;
            next = next.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next.multipliedBy(2);
            return d;
        }

        void reset() {
            next = MIN_BACKOFF;
        }
    }
}
