package io.sensorflow.simulator.output;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes each message at QoS 1 to {@code sensors/<sensor id>/readings}, as the firmware does (not retained; the
 * payload unchanged). Up to {@link #WINDOW} publications wait for the broker's PUBACK at a time; {@link #flush()}
 * waits for all of them. A failed publication (or a lost connection) is remembered and thrown from {@link #flush()},
 * {@link #close()} or the next {@link #send}. The connection is a clean session with a random client id: the
 * simulator is a fleet of publishers, not a subscriber.
 */
public final class MqttMessageSink implements MessageSink {

    /** Publications awaiting their PUBACK at most. */
    static final int WINDOW = 256;
    private static final long TIMEOUT_MS = 30_000;

    private final String broker;
    private final MqttAsyncClient client;
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong failed = new AtomicLong();
    private final IMqttActionListener listener = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            failed.incrementAndGet();
            failure.compareAndSet(null, e);
            window.release();
        }
    };

    /**
     * Connects to {@code broker} ({@code tcp://host:port}).
     *
     * @throws IllegalStateException if the broker cannot be reached
     */
    public MqttMessageSink(String broker) {
        this.broker = broker;
        String clientId = "sensorflow-sim-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        try {
            client = new MqttAsyncClient(broker, clientId, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalStateException("--mqtt-broker " + broker + ": " + e.getMessage(), e);
        }
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(10);
        // Paho counts a publication done a moment before it calls the listener: room for the difference.
        options.setMaxInflight(WINDOW * 2);
        try {
            client.connect(options).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            closeQuietly();
            throw new IllegalStateException("cannot connect to the MQTT broker " + broker + ": " + e.getMessage(), e);
        }
    }

    /** The topic of a sensor's readings. */
    public static String readingsTopic(String sensorId) {
        return "sensors/" + sensorId + "/readings";
    }

    @Override
    public void send(int sensor, byte[] key, byte[] payload, int length) {
        throwIfFailed();
        String topic = readingsTopic(new String(key, StandardCharsets.UTF_8));
        MqttMessage message = new MqttMessage(Arrays.copyOf(payload, length));
        message.setQos(1);
        message.setRetained(false);
        acquire(1);
        while (true) {
            try {
                client.publish(topic, message, null, listener);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                    pause(); // paho has not counted a finished publication out yet
                    continue;
                }
                window.release();
                throw new IllegalStateException("publishing to " + topic + " on " + broker + " failed: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                window.release();
                throw new IllegalStateException("sensor id '" + new String(key, StandardCharsets.UTF_8)
                        + "' cannot be an MQTT topic level: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void flush() {
        acquire(WINDOW);
        window.release(WINDOW);
        throwIfFailed();
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            try {
                if (client.isConnected()) {
                    client.disconnect(5000).waitForCompletion(10_000);
                }
            } catch (MqttException e) {
                // closing anyway
            }
            closeQuietly();
        }
    }

    private void acquire(int permits) {
        try {
            if (!window.tryAcquire(permits, TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the MQTT broker " + broker + " did not acknowledge publications for "
                        + TIMEOUT_MS / 1000 + " s" + (client.isConnected() ? "" : " (the connection is lost)"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + broker, e);
        }
    }

    private void throwIfFailed() {
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException(failed.get() + " message(s) could not be published to the MQTT broker "
                    + broker + ": " + e.getMessage(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    private void closeQuietly() {
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to do
        }
    }
}
