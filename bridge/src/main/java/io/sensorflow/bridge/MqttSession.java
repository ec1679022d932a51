package io.sensorflow.bridge;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection: its own paho client, created for this connection only and never reconnected, so that an
 * acknowledgement Kafka confirms late can only ever go to the connection its message came on (message ids are
 * reused on the next connection, where the same id may be another message). Paho's own automatic reconnect is off;
 * {@link Bridge} makes a new session instead.
 *
 * <p>Clean session is off: the broker keeps the subscriptions and every unacknowledged QoS 1 message under the client
 * id while the bridge is away, and sends them again on the next connection.
 */
final class MqttSession implements MqttCallback {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);

    static final int KEEP_ALIVE_SECONDS = 30;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final int SUBSCRIPTION_REFUSED = 0x80;

    private final BridgeSettings settings;
    private final Forwarder forwarder;
    private final MqttAsyncClient client;
    private final OrderedAcks acks;
    private final CountDownLatch lost = new CountDownLatch(1);
    private volatile Throwable lostCause;
    private boolean sessionPresent;

    MqttSession(BridgeSettings settings, Forwarder forwarder, BridgeStats stats) throws MqttException {
        this.settings = settings;
        this.forwarder = forwarder;
        // Memory persistence: the bridge publishes nothing, and QoS 1 messages it receives need no client-side state.
        this.client = new MqttAsyncClient(settings.mqttBroker(), settings.mqttClientId(), new MemoryPersistence());
        this.acks = new OrderedAcks(client::messageArrivedComplete, stats, client::isConnected);
        client.setManualAcks(true);
        client.setCallback(this);
    }

    /** Connects and subscribes to both filters at QoS 1. */
    void connect() throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(false);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setConnectionTimeout((int) CONNECT_TIMEOUT.toSeconds());
        if (settings.mqttUsername() != null) {
            options.setUserName(settings.mqttUsername());
        }
        if (settings.mqttPassword() != null) {
            options.setPassword(settings.mqttPassword().toCharArray());
        }
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(CONNECT_TIMEOUT.toMillis() + 5000);
        sessionPresent = connected.getSessionPresent();

        // Subscribing again to a subscription the session already has is harmless (the broker only sends the
        // retained status messages again), and it puts new filters in place after a change of settings.
        String[] filters = {settings.mqttReadingsTopic().toString(), settings.mqttStatusTopic().toString()};
        IMqttToken subscribed = client.subscribe(filters, new int[] {1, 1});
        subscribed.waitForCompletion(CONNECT_TIMEOUT.toMillis());
        int[] granted = subscribed.getGrantedQos();
        for (int i = 0; i < filters.length; i++) {
            int qos = granted != null && i < granted.length ? granted[i] : 1;
            if (qos == SUBSCRIPTION_REFUSED) {
                throw new IllegalStateException("the MQTT broker refused the subscription to " + filters[i]
                        + " (not authorized for it?)");
            }
            if (qos == 0) {
                throw new IllegalStateException("the MQTT broker granted only QoS 0 for " + filters[i]
                        + ": messages could be lost, so the bridge does not run like that");
            }
        }
    }

    /** Whether the broker still had the session (and so kept what arrived meanwhile). */
    boolean sessionPresent() {
        return sessionPresent;
    }

    /** Waits until the connection is lost; false if it is still up after {@code millis}. */
    boolean awaitLost(long millis) throws InterruptedException {
        return lost.await(millis, TimeUnit.MILLISECONDS);
    }

    Throwable lostCause() {
        return lostCause;
    }

    OrderedAcks acks() {
        return acks;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        forwarder.forward(acks, topic, message.getId(), message.getQos(), message.isDuplicate(), message.getPayload());
    }

    @Override
    public void connectionLost(Throwable cause) {
        lostCause = cause;
        acks.close();
        lost.countDown();
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // The bridge publishes nothing.
    }

    /**
     * Disconnects cleanly: the acknowledgements already handed to the client go out before the DISCONNECT (paho
     * sends them in order, and the disconnect waits up to {@code quiesce} for pending work), then no more.
     */
    void disconnect(Duration quiesce) {
        try {
            if (client.isConnected()) {
                client.disconnect(quiesce.toMillis()).waitForCompletion(quiesce.toMillis() + 5000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.toString());
        } finally {
            acks.close();
            close();
        }
    }

    /** Drops the connection without acknowledging anything more (after it was lost, or a connect failed). */
    void abandon() {
        acks.close();
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT forced disconnect: {}", e.toString());
        } finally {
            close();
        }
    }

    private void close() {
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing the MQTT client: {}", e.toString());
        }
    }
}
