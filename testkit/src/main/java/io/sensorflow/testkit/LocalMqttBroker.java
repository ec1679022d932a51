package io.sensorflow.testkit;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MQTT broker (Moquette, MQTT 3.1.1 and 5) inside this JVM, from Maven artifacts, listening on 127.0.0.1 only,
 * set up the way the bridge needs for no loss:
 * <ul>
 *   <li>sessions of clients that connect with clean session off are kept, and never expire
 *       ({@code persistent_client_expiration} unset), with their subscriptions;
 *   <li>QoS 1 messages for such a session are queued while its client is away or has its window of unacknowledged
 *       messages full; Moquette's session queues have no length limit, so nothing the broker acknowledged to a
 *       publisher is dropped (mosquitto's default {@code max_queued_messages 1000} drops the rest);
 *   <li>the queues, sessions and retained messages are on disk ({@code persistence_enabled}, segmented queues) in a
 *       directory of this broker's, deleted by {@link #close()}: a long Kafka outage fills a file, not the heap;
 *   <li>a publication is acknowledged (PUBACK) only once it is in every matching session's queue: when the
 *       broker's internal command queue is full it does not acknowledge and the publisher sends again. That queue
 *       ({@code session_queue_size}) is made large so this does not happen in bursts;
 *   <li>the usage report Moquette sends to its authors by default ({@code telemetry_enabled}) is off.
 * </ul>
 *
 * <p>Moquette keeps at most 10 messages in flight to a subscriber and sends one that is not acknowledged within 5 s
 * again (with the DUP flag) while the connection is up; the bridge then forwards it again, and the job counts the
 * reading once (same sensor and seq). Messages larger than {@link #MAX_MESSAGE_BYTES} are refused (the connection of
 * the client that sent one is closed), so every message the bridge takes fits a Kafka record.
 */
public final class LocalMqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMqttBroker.class);

    private static final String HOST = "127.0.0.1";
    /** The largest MQTT message accepted, far below Kafka's 1 MB max.request.size. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final int RANDOM_PORT_ATTEMPTS = 3;

    private final int port;
    private final Path dataDir;
    private final Server server = new Server();
    private final Thread shutdownHook = new Thread(this::close, "localmqtt-shutdown");
    private boolean closed;
    private boolean running;

    private LocalMqttBroker(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a broker on a free random port. */
    public static LocalMqttBroker start() {
        RuntimeException last = null;
        for (int attempt = 0; attempt < RANDOM_PORT_ATTEMPTS; attempt++) {
            int port = Ports.freePort();
            try {
                return startOn(port);
            } catch (RuntimeException e) {
                if (!causedByBindFailure(e)) {
                    throw e;
                }
                last = e; // the port was taken between choosing and binding it
            }
        }
        throw last;
    }

    /**
     * Starts a broker on {@code port} (1883 for the local stack).
     *
     * @throws IllegalStateException if the port is already in use
     */
    public static LocalMqttBroker start(int port) {
        Ports.requireFree(port, "MQTT");
        return startOn(port);
    }

    private static LocalMqttBroker startOn(int port) {
        Path dir;
        try {
            dir = Files.createTempDirectory("localmqtt-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the MQTT broker's data directory", e);
        }
        LocalMqttBroker broker = new LocalMqttBroker(port, dir);
        try {
            broker.startServer();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        return broker;
    }

    private void startServer() {
        long started = System.nanoTime();
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, HOST);
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENT_QUEUE_TYPE_PROPERTY_NAME, "segmented");
        p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toString());
        p.setProperty(IConfig.SESSION_QUEUE_SIZE, "100000");
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        // Flush each write at once: a PUBACK must not wait for a timer.
        p.setProperty(IConfig.BUFFER_FLUSH_MS_PROPERTY_NAME, "0");
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("MQTT broker did not start on " + HOST + ":" + port + ": " + e, e);
        }
        // Moquette logs a failure to bind and carries on without a listener.
        if (Ports.isFree(port)) {
            server.stopServer();
            throw new IllegalStateException("MQTT broker could not listen on " + HOST + ":" + port,
                    new BindException("port " + port));
        }
        running = true;
        LOG.info("MQTT broker up on {} in {} ms", uri(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** {@code tcp://127.0.0.1:PORT}, for MQTT clients. */
    public String uri() {
        return "tcp://" + HOST + ":" + port;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    /**
     * Drops this broker's own JVM shutdown hook, for a caller that stops everything itself on shutdown in its own
     * order (run-local stops the job before the brokers it writes to, so that nothing logs about a vanished broker).
     */
    public LocalMqttBroker withoutShutdownHook() {
        removeShutdownHook();
        return this;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (running) {
                server.stopServer();
            }
        } catch (RuntimeException e) {
            LOG.warn("Stopping the MQTT broker on {} failed", uri(), e);
        } finally {
            deleteDataDir();
            removeShutdownHook();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this may be the hook running
        }
    }

    private void deleteDataDir() {
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete the MQTT broker's data directory {}", dataDir, e);
        }
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
