package io.sensorflow.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorflow.job.config.JobConfig;
import io.sensorflow.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A handful of hand-written readings through the real job, Kafka and PostgreSQL. */
class SensorJobSmokeIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(noRestarts())
            .build());

    private static PipelineEnvironment pipeline;

    @BeforeAll
    static void start() {
        pipeline = PipelineEnvironment.start();
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    private static Configuration noRestarts() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return c;
    }

    @Test
    void aggregatesTheSeedPayloadsRejectsBadOnesAndKeepsLateOnes() throws Exception {
        String topic = "smoke-readings";
        pipeline.kafka.createTopic(topic, 1);
        List<String> messages = new ArrayList<>(List.of(
                // the inspiration projects' payloads, unchanged: 2026-11-21T08:00:00Z = 1795248000
                "{\"device_id\": \"device_1\", \"temperature\": 20.0, \"humidity\": 40.0, \"timestamp\": 1795248000}",
                "{\"sensor_id\":1,\"temperature\":30.0,\"humidity\":60.0,\"timestamp\":\"2026-11-21 08:01:00\"}",
                "{\"sensor_id\":\"device_1\",\"ts\":\"2026-11-21T08:02:00.000Z\",\"temperature\":22.0,\"motion\":true,\"seq\":3}",
                "{\"sensor_id\":\"device_1\",\"ts\":\"2026-11-21T08:02:00.000Z\",\"temperature\":22.0,\"motion\":true,\"seq\":3}",
                "not json at all",
                "{\"device_id\":\"device_1\",\"temperature\":500,\"timestamp\":1795248030}",
                // 08:30 moves the watermark past 08:15 + 5 min of lateness ...
                "{\"device_id\":\"device_1\",\"temperature\":21.0,\"timestamp\":1795249800}",
                // ... so this 08:05 reading is too late for its window
                "{\"device_id\":\"device_1\",\"temperature\":99.0,\"timestamp\":1795248300}"));
        List<byte[]> payloads = new ArrayList<>();
        messages.forEach(m -> payloads.add(m.getBytes(StandardCharsets.UTF_8)));
        pipeline.produce(topic, payloads, p -> null);

        JobConfig config = pipeline.config("--readings-topic", topic, "--dead-letter-topic", topic + "-dlq",
                "--bounded", "--parallelism", "2", "--transactional-id-prefix", "smoke");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineEnvironment.build(env, config);
        env.execute("smoke");

        assertThat(pipeline.rows("SELECT sensor_id, window_start, reading_count, duplicate_count, temperature_count,"
                        + " temperature_min, temperature_max, temperature_avg, humidity_count, motion_readings,"
                        + " motion_count, first_event_time, last_event_time FROM sensor_aggregates ORDER BY 1, 2"))
                .containsExactly(
                        "1|2026-11-21 08:00:00+00|1|0|1|30|30|30|1|0|0|2026-11-21 08:01:00+00|2026-11-21 08:01:00+00",
                        "device_1|2026-11-21 08:00:00+00|2|1|2|20|22|21|1|1|1|2026-11-21 08:00:00+00|2026-11-21 08:02:00+00",
                        "device_1|2026-11-21 08:30:00+00|1|0|1|21|21|21|0|0|0|2026-11-21 08:30:00+00|2026-11-21 08:30:00+00");
        assertThat(pipeline.rows("SELECT sensor_id, avg_temperature FROM sensor_temperatures ORDER BY 1, window_start"))
                .containsExactly("1|30.00", "device_1|21.00", "device_1|21.00");
        assertThat(pipeline.rows("SELECT source_offset, reason_code FROM dead_letters ORDER BY 1"))
                .containsExactly("4|NOT_JSON", "5|OUT_OF_RANGE");
        assertThat(pipeline.rows("SELECT source_offset, sensor_id, event_time, watermark FROM late_readings"))
                .containsExactly("7|device_1|2026-11-21 08:05:00+00|2026-11-21 08:29:54.999+00");

        List<ConsumerRecord<byte[], byte[]>> dlq =
                TopicReader.readAll(pipeline.kafka.bootstrapServers(), topic + "-dlq", true, Duration.ofSeconds(30));
        assertThat(dlq).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(dlq.get(0).value());
        assertThat(first.get("reason_code").asText()).isEqualTo("NOT_JSON");
        assertThat(first.get("payload").asText()).isEqualTo("not json at all");
        assertThat(first.get("source").get("offset").asLong()).isEqualTo(4);
    }
}
