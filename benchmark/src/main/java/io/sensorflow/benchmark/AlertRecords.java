package io.sensorflow.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.simulator.oracle.ExpectedAlert;
import io.sensorflow.testkit.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The alerts topic, read_committed, as the simulator oracle's records, to compare with them. */
final class AlertRecords {

    private AlertRecords() {}

    static List<ExpectedAlert> read(String bootstrapServers, String topic) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<ExpectedAlert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrapServers, topic, true, Duration.ofSeconds(10))) {
            alerts.add(ExpectedAlert.fromJobJson(json.readTree(r.value())));
        }
        return alerts;
    }
}
