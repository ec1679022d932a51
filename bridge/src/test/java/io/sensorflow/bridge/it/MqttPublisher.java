package io.sensorflow.bridge.it;

import java.util.UUID;
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

/** A test device: publishes to the broker, up to 100 QoS 1 publications awaiting the broker's PUBACK at a time. */
final class MqttPublisher implements AutoCloseable {

    private static final int WINDOW = 100;

    private final MqttAsyncClient client;
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final IMqttActionListener listener = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            failure.compareAndSet(null, e);
            window.release();
        }
    };

    MqttPublisher(String broker) throws MqttException {
        client = new MqttAsyncClient(broker, "test-pub-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(WINDOW * 2);
        client.connect(o).waitForCompletion(10_000);
    }

    void publish(String topic, byte[] payload, int qos, boolean retained) throws Exception {
        if (failure.get() != null) {
            throw new IllegalStateException("an earlier publication failed", failure.get());
        }
        if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not acknowledge publications for 10 s");
        }
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        while (true) {
            try {
                client.publish(topic, m, null, listener);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    window.release();
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    /** Waits until the broker acknowledged everything published so far. */
    void flush() throws Exception {
        if (!window.tryAcquire(WINDOW, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not acknowledge all publications within 30 s");
        }
        window.release(WINDOW);
        if (failure.get() != null) {
            throw new IllegalStateException("a publication failed", failure.get());
        }
    }

    @Override
    public void close() throws MqttException {
        try {
            flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(5000);
            }
            client.close(true);
        }
    }
}
