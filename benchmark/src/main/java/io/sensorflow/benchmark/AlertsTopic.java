package io.sensorflow.benchmark;

import io.sensorflow.oracle.ExpectedAlert;
import io.sensorflow.oracle.JobOutputTopics;
import io.sensorflow.testkit.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The job's alerts topic, read_committed, as the oracle's expected alerts, to compare with them. */
final class AlertsTopic {

    private AlertsTopic() {}

    static List<ExpectedAlert> read(String bootstrapServers, String topic) throws Exception {
        List<ExpectedAlert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrapServers, topic, true, Duration.ofSeconds(10))) {
            alerts.add(JobOutputTopics.alert(r.value()));
        }
        return alerts;
    }
}
