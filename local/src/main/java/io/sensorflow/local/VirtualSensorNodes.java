package io.sensorflow.local;

import io.sensorflow.simulator.output.MessageSink;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The simulator's sensors as MQTT nodes that behave on the wire as the firmware does (firmware/README.md): each sensor
 * is a connection of its own under its sensor id with a persistent session, a last will {@code offline} (QoS 1,
 * retained) on {@code sensors/<id>/status}, the retained status {@code online} published after connecting, and its
 * readings published to {@code sensors/<id>/readings} at QoS 1, not retained, one at a time: the next reading of a node
 * goes out after the PUBACK of its previous one, so a node's readings arrive in order. A node connects when its first
 * reading is sent; {@link #close()} disconnects every node cleanly (so the broker does not publish the last will), as
 * the firmware's host publisher does at its end.
 */
final class VirtualSensorNodes implements MessageSink {

    /** Most virtual nodes: each is a connection with a few threads of paho's, as each board is a connection. */
    static final int MAX_NODES = 200;
    private static final long TIMEOUT_MS = 30_000;
    private static final int KEEP_ALIVE_SECONDS = 30;

    private final String broker;
    private final Map<String, Node> nodes = new HashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    VirtualSensorNodes(String broker) {
        this.broker = broker;
    }

    /** The topic of a sensor's readings. */
    static String readingsTopic(String sensorId) {
        return "sensors/" + sensorId + "/readings";
    }

    /** The topic of a sensor's status. */
    static String statusTopic(String sensorId) {
        return "sensors/" + sensorId + "/status";
    }

    /** The status payload the firmware publishes: {@code {"sensor_id":"ID","status":"online"}}. */
    static byte[] status(String sensorId, String status) {
        return ("{\"sensor_id\":\"" + sensorId + "\",\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void send(int sensor, byte[] key, byte[] payload, int length) {
        throwIfFailed();
        String sensorId = new String(key, StandardCharsets.UTF_8);
        Node node = nodes.get(sensorId);
        if (node == null) {
            if (nodes.size() >= MAX_NODES) {
                throw new IllegalStateException("more than " + MAX_NODES + " virtual MQTT nodes");
            }
            node = new Node(sensorId);
            nodes.put(sensorId, node);
        }
        node.publish(Arrays.copyOf(payload, length));
    }

    @Override
    public void flush() {
        for (Node node : nodes.values()) {
            node.awaitIdle();
        }
        throwIfFailed();
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            for (Node node : nodes.values()) {
                node.disconnect();
            }
            nodes.clear();
        }
    }

    private void throwIfFailed() {
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("a virtual sensor node could not publish to " + broker + ": " + e.getMessage(), e);
        }
    }

    /** One sensor node: one connection, one reading in flight. */
    private final class Node implements IMqttActionListener {
        private final String sensorId;
        private final MqttAsyncClient client;
        private final Semaphore inFlight = new Semaphore(1);

        Node(String sensorId) {
            this.sensorId = sensorId;
            try {
                client = new MqttAsyncClient(broker, sensorId, new MemoryPersistence());
            } catch (MqttException | IllegalArgumentException e) {
                throw new IllegalStateException("virtual node " + sensorId + ": " + e.getMessage(), e);
            }
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            options.setAutomaticReconnect(false);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
            options.setConnectionTimeout(10);
            options.setWill(statusTopic(sensorId), status(sensorId, "offline"), 1, true);
            try {
                client.connect(options).waitForCompletion(TIMEOUT_MS);
                MqttMessage online = new MqttMessage(status(sensorId, "online"));
                online.setQos(0);
                online.setRetained(true);
                client.publish(statusTopic(sensorId), online);
            } catch (MqttException e) {
                close(client);
                throw new IllegalStateException("virtual node " + sensorId + " cannot connect to the MQTT broker "
                        + broker + ": " + e.getMessage(), e);
            }
        }

        void publish(byte[] payload) {
            acquire();
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            message.setRetained(false);
            while (true) {
                try {
                    client.publish(readingsTopic(sensorId), message, null, this);
                    return;
                } catch (MqttException e) {
                    if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                        pause(); // paho has not counted the previous publication out of flight yet
                        continue;
                    }
                    inFlight.release();
                    throw new IllegalStateException("virtual node " + sensorId + " could not publish: " + e.getMessage(), e);
                } catch (IllegalArgumentException e) {
                    inFlight.release();
                    throw new IllegalStateException("virtual node " + sensorId + " could not publish: " + e.getMessage(), e);
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                inFlight.release();
                throw new IllegalStateException("interrupted while publishing", e);
            }
        }

        void awaitIdle() {
            acquire();
            inFlight.release();
        }

        private void acquire() {
            try {
                if (!inFlight.tryAcquire(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the MQTT broker " + broker + " did not acknowledge a reading of "
                            + sensorId + " for " + TIMEOUT_MS / 1000 + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing", e);
            }
        }

        @Override
        public void onSuccess(IMqttToken token) {
            inFlight.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            failure.compareAndSet(null, e);
            inFlight.release();
        }

        void disconnect() {
            try {
                if (client.isConnected()) {
                    client.disconnect(2000).waitForCompletion(5000);
                }
            } catch (MqttException e) {
                // closing anyway
            }
            close(client);
        }
    }

    private static void close(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to do
        }
    }
}
