package io.sensorflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** The embedded broker keeps what the bridge needs: a persistent session's messages while it is away, past 1,000. */
class LocalMqttBrokerTest {

    private static final int MESSAGES = 5_000; // mosquitto's default queue limit (1,000) would drop 4,000 of them

    @Test
    void aPersistentSessionGetsEveryAcknowledgedMessageSentWhileItWasAway() throws Exception {
        Path dataDir;
        try (LocalMqttBroker broker = LocalMqttBroker.start()) {
            assertThat(broker.uri()).startsWith("tcp://127.0.0.1:");
            assertThat(Ports.isFree(broker.port())).as("listening").isFalse();
            dataDir = broker.dataDir();

            // The subscriber makes its session, then goes away.
            MqttAsyncClient subscriber = client(broker, "subscriber");
            subscriber.connect(options(false)).waitForCompletion(10_000);
            subscriber.subscribe("sensors/+/readings", 1).waitForCompletion(10_000);
            subscriber.disconnect().waitForCompletion(10_000);
            subscriber.close();

            MqttAsyncClient publisher = client(broker, "publisher");
            publisher.connect(options(true)).waitForCompletion(10_000);
            for (int i = 0; i < MESSAGES; i++) {
                MqttMessage m = new MqttMessage(("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                publisher.publish("sensors/s1/readings", m).waitForCompletion(10_000); // PUBACK: the broker has it
            }
            publisher.disconnect().waitForCompletion(10_000);
            publisher.close();

            List<String> received = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(MESSAGES);
            MqttAsyncClient back = client(broker, "subscriber");
            back.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {}

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    if (!message.isDuplicate() || !received.contains(new String(message.getPayload(), StandardCharsets.UTF_8))) {
                        received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                        all.countDown();
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {}
            });
            org.eclipse.paho.client.mqttv3.IMqttToken connected = back.connect(options(false));
            connected.waitForCompletion(10_000);
            assertThat(connected.getSessionPresent()).as("the broker kept the session").isTrue();
            assertThat(all.await(60, TimeUnit.SECONDS)).as("all %d messages, got %d", MESSAGES, received.size()).isTrue();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                expected.add("{\"seq\":" + i + "}");
            }
            assertThat(received).containsExactlyElementsOf(expected);
            back.disconnect().waitForCompletion(10_000);
            back.close();
        }
        assertThat(Files.exists(dataDir)).as("data directory deleted").isFalse();
    }

    private static MqttAsyncClient client(LocalMqttBroker broker, String id) throws Exception {
        return new MqttAsyncClient(broker.uri(), id, new MemoryPersistence());
    }

    private static MqttConnectOptions options(boolean clean) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        // Paho marks a publication complete a moment before it counts it out of flight: on a busy machine the count
        // lags behind, so it may reach any bound below the number of messages.
        o.setMaxInflight(MESSAGES + 100);
        return o;
    }
}
