package io.sensorflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorflow.testkit.LocalPostgres;
import io.sensorflow.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The MQTT half of run-local, as a user meets it: a client that is not ours (here paho, as a board or mosquitto_pub
 * would be) publishes readings to the address the banner prints, and every one of them ends in the aggregates, exactly,
 * although the Kafka broker is stopped and started again while they flow: the MQTT broker keeps what the bridge has not
 * acknowledged, the bridge acknowledges only what Kafka has, and the job recovers from its checkpoint.
 */
class MqttChainIT {

    private static final int READINGS_PER_SENSOR = 180; // three one-minute windows of one reading a second
    private static final long WINDOW_MS = 60_000;
    private static final Map<String, Integer> SENSORS = new LinkedHashMap<>();

    static {
        SENSORS.put("mqtt-node-a", 0);
        SENSORS.put("mqtt-node-b", 1000);
    }

    @Test
    void everyReadingPublishedToThePrintedAddressIsInTheAggregatesAcrossAKafkaRestart() throws Exception {
        int postgresPort = Ports.freePort();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalPipeline local = new LocalPipeline();
        local.out = new PrintStream(new TeeStream(printed, System.out), true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(local).execute(
                "--kafka-port", "" + Ports.freePort(), "--postgres-port", "" + postgresPort,
                "--mqtt-port", "" + Ports.freePort(), "--web-ui-port", "" + Ports.freePort(), "--no-simulator",
                "--window-size", "1m", "--idle-timeout", "20s", "--checkpoint-interval", "2s"));
        try {
            // The address, from the banner.
            Matcher address = awaitPrinted(printed, Pattern.compile("MQTT broker +(127\\.0\\.0\\.1):(\\d+) "), exit);
            String broker = "tcp://" + address.group(1) + ":" + address.group(2);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("mosquitto_pub -h " + address.group(1) + " -p "
                    + address.group(2) + " -q 1 -t sensors/my-sensor/readings");

            // Three whole one-minute windows that ended minutes ago, one reading a second per sensor.
            long start = (System.currentTimeMillis() - 5 * WINDOW_MS) / WINDOW_MS * WINDOW_MS;
            List<MqttAsyncClient> nodes = new ArrayList<>();
            for (String sensor : SENSORS.keySet()) {
                MqttAsyncClient node = new MqttAsyncClient(broker, sensor, new MemoryPersistence());
                MqttConnectOptions o = new MqttConnectOptions();
                o.setCleanSession(false);
                o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
                o.setMaxInflight(1000);
                node.connect(o).waitForCompletion(10_000);
                nodes.add(node);
            }
            int half = READINGS_PER_SENSOR / 2;
            publish(nodes, start, 0, half);
            local.kafka().stopBroker(); // the second half is published while Kafka is down
            long inKafka = local.bridge().stats().forwarded();
            publish(nodes, start, half, READINGS_PER_SENSOR);
            Thread.sleep(5_000);
            assertThat(local.bridge().stats().forwarded()).as("nothing reaches Kafka while it is down").isEqualTo(inKafka);
            assertThat(local.bridge().stats().acknowledged()).as("nothing acknowledged that Kafka does not have")
                    .isLessThanOrEqualTo(inKafka);
            local.kafka().startBroker();
            for (MqttAsyncClient node : nodes) {
                node.disconnect().waitForCompletion(10_000);
                node.close();
            }

            LocalPostgres postgres = local.postgres();
            int expectedRows = SENSORS.size() * (int) (READINGS_PER_SENSOR * 1000L / WINDOW_MS);
            List<Map<String, Object>> rows = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (rows.size() < expectedRows) {
                assertThat(System.nanoTime()).as("%d rows within 180 s, have %s", expectedRows, rows).isLessThan(deadline);
                assertThat(exit).as("run-local is still running").isNotDone();
                Thread.sleep(500);
                rows = EndToEndIT.aggregates(postgres);
            }
            List<Map<String, Object>> expected = new ArrayList<>();
            for (Map.Entry<String, Integer> sensor : SENSORS.entrySet()) {
                for (int w = 0; w < expectedRows / SENSORS.size(); w++) {
                    expected.add(EndToEndIT.expectedRow(sensor.getKey(), sensor.getValue(), start, w));
                }
            }
            assertThat(rows).hasSize(expected.size());
            for (int r = 0; r < rows.size(); r++) {
                // Messages the bridge had sent to Kafka but not acknowledged when Kafka stopped come again: the job
                // counts each reading once, and its repeats in duplicate_count.
                Map<String, Object> actual = new LinkedHashMap<>(rows.get(r));
                actual.remove("duplicate_count");
                Map<String, Object> want = new LinkedHashMap<>(expected.get(r));
                want.remove("duplicate_count");
                EndToEndIT.assertRow(actual, want);
            }
            assertThat(EndToEndIT.count(postgres, "SELECT count(*) FROM dead_letters")).as("dead letters").isZero();
            assertThat(EndToEndIT.count(postgres, "SELECT count(*) FROM late_readings")).as("late readings").isZero();
        } finally {
            local.stop();
        }
        assertThat(exit.get()).isZero();
    }

    /** Readings k in [from, to) of every sensor, at QoS 1, waiting for each PUBACK (the broker has it then). */
    private static void publish(List<MqttAsyncClient> nodes, long start, int from, int to) throws Exception {
        List<String> ids = new ArrayList<>(SENSORS.keySet());
        for (int k = from; k < to; k++) {
            for (int s = 0; s < nodes.size(); s++) {
                int i = SENSORS.get(ids.get(s)) + k;
                String ts = Instant.ofEpochMilli(start + k * 1000L).toString();
                String payload = "{\"sensor_id\":\"" + ids.get(s) + "\",\"ts\":\"" + ts + "\",\"temperature\":" + (20 + i % 5)
                        + ",\"humidity\":" + (40 + i % 7) + ",\"distance_cm\":" + (100.5 + i % 11) + ",\"motion\":"
                        + (i % 4 == 0) + ",\"seq\":" + i + "}";
                MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                nodes.get(s).publish("sensors/" + ids.get(s) + "/readings", m).waitForCompletion(30_000);
            }
        }
    }

    static Matcher awaitPrinted(ByteArrayOutputStream printed, Pattern pattern, CompletableFuture<Integer> exit)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Matcher m = pattern.matcher(printed.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m;
            }
            assertThat(exit).as("run-local is still running; printed:%n%s", printed).isNotDone();
            assertThat(System.nanoTime()).as("%s printed within 120 s", pattern).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Writes to both: what run-local prints stays in the test's log too. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
